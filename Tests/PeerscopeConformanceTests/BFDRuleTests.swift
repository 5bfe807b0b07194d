import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Every rule has a trigger (a plausible exchange with exactly one defect) and the clean twin.
@Suite("BFD rules: trigger and clean twin")
struct BFDRuleTests {
    @Test("a clean exchange has no MUST or SHOULD finding, and the expected INFO ones")
    func cleanExchange() {
        let exchange = Exchange.clean()
        #expect(exchange.problems().isEmpty, "\(exchange.run().findings.filter { $0.level != .info }.map(\.message))")
        let info = exchange.all()
        #expect(info.isSuperset(of: ["BFD.TMR.NEGOTIATED", "BFD.FSM.HANDSHAKE", "BFD.TMR.JITTER.RANGE"]))
        #expect(exchange.run().sessions.count == 1)
    }

    /// The clean exchange with one packet from A bent by `modify`, halfway through.
    func oneBadPacket(_ modify: @escaping (inout BFDObservation) -> Void) -> Exchange {
        var exchange = Exchange()
        exchange.handshake()
        exchange.periodic(seconds: 3)
        exchange.advance(milliseconds: 1)
        exchange.send(.a, modify: modify)
        exchange.periodic(seconds: 3)
        return exchange
    }

    @Test("packet format rules fire on exactly the bent field", arguments: [
        ("BFD.PKT.MULT.ZERO", 0), ("BFD.PKT.M.BIT", 1), ("BFD.PKT.MYDISC.ZERO", 2), ("BFD.PKT.PF.BOTH", 3),
        ("BFD.PKT.DIAG.RESERVED", 4), ("BFD.PKT.YOURDISC.STATE", 5), ("BFD.PKT.YOURDISC.REFLECT", 6),
    ])
    func packetFormat(rule: String, variant: Int) {
        let exchange = oneBadPacket { observation in
            switch variant {
            case 0: observation.packet.detectMultiplier = 0
            case 1: observation.packet.flags.insert(.multipoint)
            case 2: observation.packet.myDiscriminator = 0
            case 3: observation.packet.flags.formUnion([.poll, .final])
            case 4: observation.packet.diagnostic = .unknown(17)
            case 5: observation.packet.yourDiscriminator = 0
            default: observation.packet.yourDiscriminator = 99
            }
        }
        #expect(exchange.all().contains(rule), "\(rule) not reported")
        #expect(!Exchange.clean().all().contains(rule))
    }

    /// RFC 5880 §6.8.6 makes each of these a reason to discard on its own; a receiver stops at the
    /// first, but the analyzer (asking the endpoint's checks one reason at a time) names them all.
    @Test("one packet with all four header defects of §6.8.6 raises each of their rules")
    func everyHeaderDefect() {
        let exchange = oneBadPacket { observation in
            observation.packet.detectMultiplier = 0
            observation.packet.flags.insert(.multipoint)
            observation.packet.myDiscriminator = 0
            observation.packet.yourDiscriminator = 0
            observation.packet.state = .up
        }
        #expect(exchange.all().isSuperset(of: ["BFD.PKT.MULT.ZERO", "BFD.PKT.M.BIT", "BFD.PKT.MYDISC.ZERO",
                                               "BFD.PKT.YOURDISC.STATE"]))
    }

    @Test("BFD.PKT.AUTH.CONSISTENT: the A bit toggles within a direction")
    func authConsistent() {
        var exchange = Exchange()
        exchange.a.authentication = .simplePassword(keyID: 1, password: Array("pw".utf8))
        exchange.b.authentication = .simplePassword(keyID: 1, password: Array("pw".utf8))
        exchange.handshake()
        exchange.periodic(seconds: 2)
        #expect(!exchange.all().contains("BFD.PKT.AUTH.CONSISTENT"))
        exchange.a.authentication = nil
        exchange.periodic(seconds: 2)
        #expect(exchange.all().contains("BFD.PKT.AUTH.CONSISTENT"))
    }

    @Test("BFD.PKT.DEMAND.WHEN: D set while not Up on both ends")
    func demandWhen() {
        var exchange = Exchange()
        exchange.send(.a, flags: .demand, slow: true)
        #expect(exchange.problems().contains("BFD.PKT.DEMAND.WHEN"))
        var clean = Exchange.clean(seconds: 2)
        clean.advance(milliseconds: 100)
        clean.send(.a, flags: .demand)
        #expect(!clean.problems().contains("BFD.PKT.DEMAND.WHEN"))
    }

    @Test("malformed packets map to their rules", arguments: [
        (WireError.Reason.badVersion(0), 0, "BFD.PKT.VERSION"),
        (.lengthTooSmall(declared: 20, minimum: 24), 3, "BFD.PKT.LENGTH.MIN"),
        (.lengthBeyondData(declared: 40, available: 24), 3, "BFD.PKT.LENGTH.PAYLOAD"),
        (.badAuthLength(type: 2, length: 20), 24, "BFD.PKT.AUTH.LEN"),
        (.lengthBeyondData(declared: 24, available: 16), 24, "BFD.PKT.AUTH.LEN"),
    ])
    func malformed(reason: WireError.Reason, offset: Int, rule: String) {
        var engine = BFDConformanceEngine()
        engine.malformed(frame: 5, time: 0, error: WireError(.bfd, reason, at: offset), transport: .singleHop,
                         source: IPAddress("192.0.2.1"))
        #expect(engine.findings.all.map(\.rule.id) == [rule])
        #expect(engine.findings.all.first?.frames == [5])
    }

    // MARK: §2 state machine

    @Test("BFD.FSM.TRANSITION: Down→Up without the peer's Init")
    func transitionSkipsHandshake() {
        var exchange = Exchange()
        exchange.send(.a, slow: true)
        exchange.advance(milliseconds: 20)
        exchange.send(.b, slow: true)  // B Down
        exchange.advance(milliseconds: 5)
        exchange.a.state = .up
        exchange.a.yours = 22
        exchange.send(.a, slow: true)  // A jumps Down→Up having only heard Down
        #expect(exchange.problems().contains("BFD.FSM.TRANSITION"))
        #expect(!Exchange.clean().problems().contains("BFD.FSM.TRANSITION"))
    }

    @Test("BFD.FSM.DIAG.DOWN: Up→Down with diag 0; diag 3 after the peer's Down is clean")
    func diagDown() {
        var bad = Exchange.clean(seconds: 2)
        bad.advance(milliseconds: 10)
        bad.a.state = .down
        bad.send(.a, slow: true)
        #expect(bad.problems().contains("BFD.FSM.DIAG.DOWN"))

        var good = Exchange.clean(seconds: 2)
        good.advance(milliseconds: 10)
        good.b.state = .down
        good.send(.b, diagnostic: .administrativelyDown, slow: true)
        good.advance(milliseconds: 2)
        good.a.state = .down
        good.send(.a, diagnostic: .neighborSignaledSessionDown, slow: true)
        #expect(!good.problems().contains("BFD.FSM.DIAG.DOWN"))
        #expect(!good.problems().contains("BFD.FSM.TRANSITION"))
    }

    @Test("BFD.FSM.ADMINDOWN.RX: staying Up after the peer's AdminDown; going Down (diag 3) is clean")
    func adminDownReceived() {
        var bad = Exchange.clean(seconds: 2)
        bad.b.state = .adminDown
        bad.b.yours = 11
        bad.everyPacket = { observation in
            if observation.packet.state == .adminDown { observation.packet.diagnostic = .administrativelyDown }
        }
        bad.periodic(seconds: 3)
        #expect(bad.problems().contains("BFD.FSM.ADMINDOWN.RX"))

        var good = Exchange.clean(seconds: 2)
        good.b.state = .adminDown
        good.send(.b, diagnostic: .administrativelyDown, slow: true)
        good.advance(milliseconds: 3)
        good.a.state = .down
        good.send(.a, diagnostic: .neighborSignaledSessionDown, slow: true)
        #expect(!good.problems().contains("BFD.FSM.ADMINDOWN.RX"))
        #expect(!good.problems().contains("BFD.FSM.TRANSITION"))
    }

    @Test("BFD.FSM.FLAP: Up→Down→Up is counted")
    func flap() {
        var exchange = Exchange.clean(seconds: 2)
        exchange.advance(milliseconds: 5)
        exchange.b.state = .down
        exchange.send(.b, diagnostic: .controlDetectionTimeExpired, slow: true)
        exchange.advance(milliseconds: 2)
        exchange.a.state = .down
        exchange.send(.a, diagnostic: .neighborSignaledSessionDown, slow: true)
        exchange.advance(milliseconds: 2)
        exchange.b.state = .`init`
        exchange.send(.b, slow: true)
        exchange.advance(milliseconds: 2)
        exchange.a.state = .up
        exchange.send(.a, slow: true)
        exchange.advance(milliseconds: 2)
        exchange.b.state = .up
        exchange.send(.b, slow: true)
        let flaps = exchange.run().findings.filter { $0.rule.id == "BFD.FSM.FLAP" }
        #expect(flaps.count == 2)
        #expect(!Exchange.clean().all().contains("BFD.FSM.FLAP"))
    }

    @Test("BFD.FSM.IMMEDIATE: a state change announced only at the next periodic slot")
    func immediate() {
        var exchange = Exchange.clean(seconds: 2)
        exchange.advance(milliseconds: 5)
        exchange.b.state = .down
        exchange.send(.b, diagnostic: .administrativelyDown, slow: true)
        exchange.advance(milliseconds: 290)
        exchange.a.state = .down
        exchange.send(.a, diagnostic: .neighborSignaledSessionDown, slow: true)
        #expect(exchange.problems().contains("BFD.FSM.IMMEDIATE"))
        #expect(!Exchange.clean().problems().contains("BFD.FSM.IMMEDIATE"))
    }
}
