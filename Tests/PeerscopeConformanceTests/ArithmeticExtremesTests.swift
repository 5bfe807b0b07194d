import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Issue 12 item 4 for the rules: values at the ends of their wire ranges never trap. Extremes
/// from the field widths of RFC 5880 §4.1 (32-bit µs intervals, 8-bit Detect Mult) and RFC 4271
/// §4.2 (16-bit Hold Time).
@Suite("rules at the extremes of the wire's ranges")
struct ArithmeticExtremesTests {
    @Test("Desired Min TX 0 and Required Min RX 0 once Up: no infinite ratio, no trap")
    func zeroIntervals() {
        var exchange = Exchange.clean(seconds: 1)
        exchange.a.desiredTx = 0
        exchange.a.requiredRx = 0
        exchange.b.desiredTx = 0
        exchange.b.requiredRx = 0
        for _ in 0..<6 {
            exchange.send(.a, flags: .poll)
            exchange.advance(milliseconds: 1)
            exchange.send(.b, flags: .final)
            exchange.advance(milliseconds: 100)
        }
        for _ in 0..<6 {
            exchange.send(.a)
            exchange.send(.b)
            exchange.advance(milliseconds: 100)
        }
        let findings = exchange.run().findings
        // RFC 5880 §6.8.3: Desired Min TX 0 is not allowed to be below 1 s while not Up, but while Up
        // the rules have nothing to compare a gap with; the run must simply finish.
        #expect(!findings.isEmpty)
    }

    @Test("2³²−1 µs intervals with Detect Mult 255: the detection time is computed, not trapped")
    func maximumIntervals() {
        var exchange = Exchange()
        exchange.a.desiredTx = .max
        exchange.a.requiredRx = .max
        exchange.a.multiplier = 255
        exchange.b.desiredTx = .max
        exchange.b.requiredRx = .max
        exchange.b.multiplier = 255
        exchange.handshake()
        exchange.periodic(seconds: 3)
        let result = exchange.run()
        #expect(result.sessions.count == 1)
        // 255 × (2³²−1) µs exceeds 32 bits: the session reports the largest value it can hold.
        #expect(result.sessions.first?.detectionTime(forPacketsFrom: 0) == .max)
    }

    @Test("a BGP hold time of 65535 s and 400 days between two frames: no trap")
    func holdTimeMaximum() throws {
        var exchange = BGPExchange()
        exchange.a.holdTime = 65_535
        exchange.b.holdTime = 65_535
        exchange.establish()
        exchange.keepalives(seconds: 10, every: 0.2)
        // frames: …, A's last KEEPALIVE, B's last KEEPALIVE.
        let lastFromA = exchange.frames[exchange.frames.count - 2].time
        exchange.advance(seconds: 400 * 86_400)
        exchange.send(.a, .keepalive)
        let gap = exchange.now - lastFromA
        let findings = try exchange.analyse().findings
        let silence = findings.first { $0.rule.id == "BGP.TMR.KEEPALIVE.MAX" }
        // 400 days ≫ 65535 s (and beyond the 213 days that trapped Units.fixed): reported, in ns
        // (UnitsTests formats durations this long).
        #expect(silence?.measured == .duration(nanoseconds: Int64(gap)))
        #expect(gap / 1_000_000_000 == 34_560_000)
    }

    @Test("CAPTURE.TIME.BACKWARDS: a frame earlier than the one before; no gap across it is judged")
    func timeBackwards() throws {
        // A clean session, then one packet of A stamped 10 s in the past: without the guard its
        // gap would be negative, a "too fast" MUST the packets do not prove.
        var exchange = Exchange.clean(seconds: 2)
        exchange.advance(milliseconds: 250)
        exchange.send(.a) { $0.timeNanoseconds -= 10_000_000_000 }
        #expect(!exchange.run().findings.contains { $0.level == .must })
        let step = try exchange.viaCapture(options: CheckOptions()).first { $0.rule.id == "CAPTURE.TIME.BACKWARDS" }
        #expect(step?.frames == [exchange.packets.count])
        // Twin: the same packet in time order raises neither.
        var twin = Exchange.clean(seconds: 2)
        twin.advance(milliseconds: 250)
        twin.send(.a)
        #expect(!twin.run().findings.contains { $0.rule.id == "CAPTURE.TIME.BACKWARDS" || $0.level == .must })
    }

    @Test("the tolerance is clamped: a huge slack or resolution cannot overflow the sums")
    func tolerance() {
        var options = CheckOptions()
        options.slackNanoseconds = .max
        options.resolutionNanoseconds = .max
        #expect(options.toleranceNanoseconds == CheckOptions.maximumToleranceNanoseconds)
        var exchange = Exchange.clean(seconds: 2)
        exchange.periodic(seconds: 1, jitter: 0.3...0.4)
        _ = exchange.run(options: options)
    }
}

/// Issue 11 item 7: authentication is counted positively.
@Suite("authentication counted positively")
struct AuthenticationTallyTests {
    @Test("with the right key: N of N verified with key 7, in a finding and in the engine's tally")
    func counted() {
        let secret = Array("s3cret".utf8)
        var options = CheckOptions()
        options.keys[7] = secret
        let exchange = TransportAuthRuleTests().authenticated(.keyedSHA1, secret: secret)
        let packetsFromA = exchange.packets.filter { $0.source == exchange.a.address }.count
        let findings = exchange.run(options: options).findings.filter { $0.rule.id == "BFD.AUTH.DIGEST" }
        let expected = "\(packetsFromA) of \(packetsFromA) packet(s) verified with key 7"
        #expect(findings.contains { $0.level == .info && $0.side == "192.0.2.1" && $0.messageText.contains(expected) })
        // Wrong key: counted as failures, and the MUST stays.
        let bad = TransportAuthRuleTests().authenticated(.keyedSHA1, secret: secret, signWith: Array("other".utf8))
        let badFindings = bad.run(options: options).findings.filter { $0.rule.id == "BFD.AUTH.DIGEST" }
        #expect(badFindings.contains { $0.messageText.contains("0 of \(packetsFromA) packet(s) verified with key 7 (\(packetsFromA) failed)") })
        #expect(badFindings.contains { $0.level == .must })
        // No key: nothing is claimed verified.
        #expect(!exchange.run().findings.contains { $0.messageText.contains("verified with key") })
    }
}
