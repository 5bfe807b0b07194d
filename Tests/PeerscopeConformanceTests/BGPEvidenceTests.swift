import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Issue 11 items 3–5 for BGP: keepalive evidence at the precision measured, GTSM a MUST only
/// when it is known to be on. Truth: the frames and times the test itself wrote, RFC 4271 §4.4
/// (KEEPALIVE no more often than once a second) and RFC 5082 §3 (TTL 255 with GTSM on).
@Suite("BGP evidence and GTSM")
struct BGPEvidenceTests {
    @Test("KEEPALIVE.RATE names the two KEEPALIVEs that came too close, with their exact gap")
    func keepaliveFrames() throws {
        var exchange = BGPExchange.clean()
        let before = exchange.frames.count
        exchange.advance(seconds: 1)
        exchange.send(.a, .keepalive)
        exchange.now += 7_260_000
        exchange.send(.a, .keepalive)
        // The frames are numbered in time order from 1: these two are the last A sent.
        let ordered = exchange.frames.enumerated().sorted { $0.element.time < $1.element.time }
        let first = ordered.firstIndex { $0.offset == before }! + 1
        let second = ordered.firstIndex { $0.offset == before + 1 }! + 1
        let finding = try exchange.analyse().findings.first { $0.rule.id == "BGP.TMR.KEEPALIVE.RATE" && $0.side == "192.0.2.1" }
        #expect(finding?.frames == [first, second])
        #expect(finding?.measured == .duration(nanoseconds: 7_260_000))
        // Clean twin: 3 s keepalives with hold time 9 s.
        #expect(try !BGPExchange.clean().rules().contains("BGP.TMR.KEEPALIVE.RATE"))
    }

    static func gtsm(_ hint: GTSMHint, ttlA: UInt8, sameAS: Bool = false) throws -> [Finding] {
        var exchange = BGPExchange()
        exchange.a.ttl = ttlA
        exchange.b.ttl = 255
        if sameAS { exchange.b.asn = exchange.a.asn }
        exchange.establish()
        exchange.keepalives(seconds: 6)
        var options = CheckOptions()
        options.gtsm = hint
        return try exchange.analyse(options: options).findings.filter { $0.rule.id == "BGP.IP.GTSM" }
    }

    @Test("GTSM: a MUST only when known on (--gtsm, --gtsm-peer); otherwise a SHOULD; iBGP at 254 is not evidence")
    func gtsm() throws {
        // Not known: one end at 255, the other at 64 — a difference, not a proof.
        #expect(try Self.gtsm(.unknown, ttlA: 64).map(\.level) == [.should])
        // Known on for every session, or for this peer: TTL 64 is discarded by the receiver.
        #expect(try Self.gtsm(.all, ttlA: 64).map(\.level) == [.must])
        #expect(try Self.gtsm(.peers([IPAddress("192.0.2.2")!]), ttlA: 64).map(\.level) == [.must])
        // Known on for another peer only: back to the SHOULD.
        #expect(try Self.gtsm(.peers([IPAddress("198.51.100.9")!]), ttlA: 64).map(\.level) == [.should])
        // iBGP between loopbacks, captured one hop from A: 254 is what a 255 sender shows there.
        #expect(try Self.gtsm(.unknown, ttlA: 254, sameAS: true).isEmpty)
        // Clean twin: both at 255, even with GTSM known on.
        #expect(try Self.gtsm(.all, ttlA: 255).isEmpty)
    }
}
