import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Every BGP rule of CONFORMANCE.md §7 and CAPTURE.TCP.HOLE: a capture that triggers it and a clean
/// twin that differs in exactly that respect.
@Suite("BGP rules: trigger and clean twin")
struct BGPRuleTests {
    @Test("a clean exchange: Established, routes held, EoR, capabilities; no MUST or SHOULD")
    func cleanExchange() throws {
        let analysis = try BGPExchange.clean().analyse()
        #expect(analysis.findings.filter { $0.level != .info }.isEmpty, "\(analysis.findings.map(\.message))")
        let rules = Set(analysis.findings.map(\.rule.id))
        #expect(rules.isSuperset(of: ["BGP.OPEN.CAPS", "BGP.TMR.HOLD.NEGOTIATED", "BGP.UPD.EOR"]))
        let session = try #require(analysis.bgpSessions.first)
        #expect(analysis.bgpSessions.count == 1)
        #expect(session.stateName == "Established")
        #expect(session.negotiatedHoldTime == 9)
        #expect(session.a.routes.count == 1)
        #expect(session.b.routes.count == 2)
        #expect(session.a.endOfRIB[.ipv4Unicast] != nil)
        #expect(session.initiator == 0)
        // keepalives(every: 3) waits 3 s and then 0.5 ms for B's, so A's gaps are 3.0005 s exactly.
        #expect(session.a.keepaliveInterval == 3_000_500_000)
        #expect(session.a.messages[4] == 4)  // the KEEPALIVE confirming the OPEN and three periodic ones
    }

    @Test("a session picked up mid-stream (no OPEN captured): KEEPALIVEs both ways read as Established (RFC 4271 §8.2.2), one way only does not")
    func midStreamState() throws {
        var both = BGPExchange()
        both.send(.a, .keepalive)
        both.send(.b, .keepalive)
        #expect(try #require(both.analyse().bgpSessions.first).stateName == "Established")
        var one = BGPExchange()
        one.send(.a, .keepalive)
        #expect(try #require(one.analyse().bgpSessions.first).stateName == "Connect")
    }

    @Test("BGP.MSG.MARKER: a marker that is not all ones")
    func marker() throws {
        var bent = BGPExchange()
        bent.establish()
        var bytes = BGPMessage.keepalive.encoded()
        bytes[3] = 0
        bent.segment(.a, flags: [.ack, .psh], payload: bytes)
        #expect(try bent.findings().contains("BGP.MSG.MARKER MUST"))
        var clean = BGPExchange()
        clean.establish()
        clean.send(.a, .keepalive)
        #expect(try !clean.rules().contains("BGP.MSG.MARKER"))
    }

    @Test("BGP.MSG.LENGTH: 4,096 bytes is the limit unless both negotiated Extended Message")
    func length() throws {
        let prefixes = (0..<1_200).map { "10.\($0 / 256).\($0 % 256).0/24" }
        var bent = BGPExchange()
        bent.establish()
        bent.announce(.a, prefixes)
        #expect(try bent.findings().contains("BGP.MSG.LENGTH MUST"))
        var clean = BGPExchange()
        clean.a.capabilities.append(.extendedMessage)
        clean.b.capabilities.append(.extendedMessage)
        clean.establish()
        clean.announce(.a, prefixes)
        let analysis = try clean.analyse()
        #expect(!analysis.findings.contains { $0.rule.id == "BGP.MSG.LENGTH" })
        #expect(analysis.bgpSessions.first?.a.routes.count == 1_200)
    }

    @Test("BGP.MSG.TYPE: a message of type 9")
    func type() throws {
        var bent = BGPExchange()
        bent.establish()
        bent.send(.b, .unknown(type: 9, body: []))
        #expect(try bent.findings().contains("BGP.MSG.TYPE MUST"))
        #expect(try !BGPExchange.clean().rules().contains("BGP.MSG.TYPE"))
    }

    @Test("BGP.OPEN.VERSION, BGP.OPEN.HOLD, BGP.OPEN.ID")
    func openFields() throws {
        func exchange(_ bend: (inout BGPOpen) -> Void) -> BGPExchange {
            var exchange = BGPExchange()
            exchange.segment(.a, flags: .syn)
            exchange.segment(.b, flags: [.syn, .ack])
            var open = exchange.open(.a)
            bend(&open)
            exchange.send(.a, .open(open))
            exchange.send(.b, .open(exchange.open(.b)))
            return exchange
        }
        #expect(try exchange { $0.version = 3 }.findings().contains("BGP.OPEN.VERSION MUST"))
        #expect(try exchange { $0.holdTime = 2 }.findings().contains("BGP.OPEN.HOLD MUST"))
        #expect(try !exchange { $0.holdTime = 3 }.rules().contains("BGP.OPEN.HOLD"))
        #expect(try !exchange { $0.holdTime = 0 }.rules().contains("BGP.OPEN.HOLD"))
        #expect(try exchange { $0.identifier = IPv4Address(0) }.findings().contains("BGP.OPEN.ID MUST"))
        #expect(try exchange { $0.identifier = IPv4Address(192, 0, 2, 2) }.findings().contains("BGP.OPEN.ID MUST"))
        let clean = try exchange { _ in }.rules()
        #expect(clean.isDisjoint(with: ["BGP.OPEN.VERSION", "BGP.OPEN.HOLD", "BGP.OPEN.ID", "BGP.OPEN.AS4"]))
    }

    @Test("BGP.OPEN.AS4: a 4-byte ASN must travel as AS_TRANS in My AS")
    func as4() throws {
        var bent = BGPExchange()
        bent.a.asn = 4_200_000_001
        bent.establish()
        var wrong = bent.open(.a)
        wrong.myAS = UInt16(truncatingIfNeeded: bent.a.asn)
        var broken = BGPExchange()
        broken.a.asn = 4_200_000_001
        broken.segment(.a, flags: .syn)
        broken.send(.a, .open(wrong))
        #expect(try broken.findings().contains("BGP.OPEN.AS4 MUST"))
        let analysis = try bent.analyse()
        #expect(!analysis.findings.contains { $0.rule.id == "BGP.OPEN.AS4" })
        #expect(analysis.bgpSessions.first?.a.open?.autonomousSystem == 4_200_000_001)
    }

    @Test("BGP.FSM.SEQUENCE: an UPDATE before the peer's KEEPALIVE")
    func sequence() throws {
        var bent = BGPExchange()
        bent.segment(.a, flags: .syn)
        bent.segment(.b, flags: [.syn, .ack])
        bent.send(.a, .open(bent.open(.a)))
        bent.send(.b, .open(bent.open(.b)))
        bent.send(.a, .keepalive)
        bent.announce(.a, ["198.51.100.0/24"])
        bent.send(.b, .keepalive)
        #expect(try bent.findings().contains("BGP.FSM.SEQUENCE MUST"))
        var early = BGPExchange()
        early.segment(.a, flags: .syn)
        early.send(.a, .keepalive)
        #expect(try early.findings().contains("BGP.FSM.SEQUENCE MUST"))
        #expect(try !BGPExchange.clean().rules().contains("BGP.FSM.SEQUENCE"))
    }

    @Test("BGP.TMR.HOLD.NEGOTIATED: the smaller offer wins")
    func holdNegotiated() throws {
        var exchange = BGPExchange()
        exchange.b.holdTime = 30
        exchange.establish()
        exchange.keepalives(seconds: 6)
        let analysis = try exchange.analyse()
        let finding = try #require(analysis.findings.first { $0.rule.id == "BGP.TMR.HOLD.NEGOTIATED" })
        #expect(finding.measured == .seconds(9))
        #expect(analysis.bgpSessions.first?.negotiatedHoldTime == 9)
    }

    @Test("BGP.TMR.KEEPALIVE.MAX: a side silent beyond the hold time; the peer's Hold Timer Expired")
    func keepaliveMax() throws {
        var bent = BGPExchange()
        bent.establish()
        bent.keepalives(seconds: 6)
        bent.keepalives(seconds: 12, only: .a)
        bent.send(.a, .notification(BGPNotification(code: 4, subcode: 0)))
        let analysis = try bent.analyse()
        let finding = try #require(analysis.findings.first { $0.rule.id == "BGP.TMR.KEEPALIVE.MAX" })
        #expect(finding.side == "192.0.2.2")
        #expect(finding.messageText.contains("Hold Timer Expired"))
        #expect(analysis.bgpSessions.first?.teardown?.side == 0)
        #expect(try !BGPExchange.clean().rules().contains("BGP.TMR.KEEPALIVE.MAX"))
    }

    @Test("CAPTURE.TCP.HOLE: a segment the capture missed; the ACK past it releases what follows")
    func hole() throws {
        var exchange = BGPExchange()
        exchange.establish()
        exchange.advance(seconds: 3)
        exchange.dropNextSegment = .a
        exchange.send(.a, .keepalive)
        exchange.advance(seconds: 0.5)
        exchange.announce(.a, ["198.51.100.0/24"])
        exchange.advance(seconds: 0.001)
        exchange.send(.b, .keepalive)  // acknowledges both of a's segments
        exchange.keepalives(seconds: 6)
        let analysis = try exchange.analyse()
        let hole = try #require(analysis.findings.first { $0.rule.id == "CAPTURE.TCP.HOLE" })
        #expect(hole.measured == .count(19, noun: "byte"))
        let session = try #require(analysis.bgpSessions.first)
        #expect(session.holes == 1)
        #expect(session.a.routes.count == 1, "the UPDATE after the hole is decoded")
        #expect(!analysis.findings.contains { $0.rule.id == "BGP.TMR.KEEPALIVE.MAX" })
        #expect(try !BGPExchange.clean().rules().contains("CAPTURE.TCP.HOLE"))
    }

    @Test("CAPTURE.TCP.HOLE: the reassembly cap gives a gap up; a retransmission that differs is reported")
    func reassemblyCapAndConflict() throws {
        var exchange = BGPExchange()
        exchange.establish()
        exchange.dropNextSegment = .a
        exchange.send(.a, .keepalive)
        for index in 0..<8 { exchange.announce(.a, ["10.0.\(index).0/24"]) }
        var options = CheckOptions()
        options.tcpBufferLimit = 200
        let analysis = try exchange.analyse(options: options)
        let hole = try #require(analysis.findings.first { $0.rule.id == "CAPTURE.TCP.HOLE" })
        #expect(hole.messageText.contains("buffer cap"))
        #expect(analysis.bgpSessions.first?.a.routes.count == 8, "every UPDATE after the gap is still decoded")
        // A retransmission of a's last KEEPALIVE with different bytes: first copy wins, reported.
        var conflict = BGPExchange()
        conflict.establish()
        conflict.send(.a, .keepalive)
        var bent = BGPMessage.keepalive.encoded()
        bent[18] = 2
        conflict.a.sequence &-= 19
        conflict.segment(.a, flags: [.ack, .psh], payload: bent)
        let found = try conflict.analyse()
        let finding = try #require(found.findings.first { $0.rule.id == "CAPTURE.TCP.HOLE" })
        #expect(finding.measured == .composite([.count(1, noun: "byte"), .text(" differ")]))
        #expect(found.bgpSessions.first?.a.messages[2] == 0, "the conflicting copy is not decoded as an UPDATE")
    }

    @Test("BGP.TMR.KEEPALIVE.RATE: faster than once a second, or slower than a third of the hold time")
    func keepaliveRate() throws {
        var fast = BGPExchange()
        fast.establish()
        fast.keepalives(seconds: 5, every: 0.5)
        #expect(try fast.findings().contains("BGP.TMR.KEEPALIVE.RATE SHOULD"))
        var slow = BGPExchange()
        slow.establish()
        slow.keepalives(seconds: 16, every: 4)
        #expect(try slow.findings().contains("BGP.TMR.KEEPALIVE.RATE SHOULD"))
        #expect(try !BGPExchange.clean().rules().contains("BGP.TMR.KEEPALIVE.RATE"))
    }

    @Test("BGP.UPD.ATTRS: missing NEXT_HOP, wrong flags, duplicate attributes")
    func attributes() throws {
        func exchange(_ attributes: [BGPPathAttribute]) -> BGPExchange {
            var exchange = BGPExchange()
            exchange.establish()
            exchange.send(.a, .update(BGPUpdate(attributes: attributes, announced: [BGPExchange.route("198.51.100.0/24")])))
            return exchange
        }
        let good = BGPExchange.attributes(from: 65_001, nextHop: IPv4Address(192, 0, 2, 1))
        let missing = try exchange(Array(good.prefix(2))).analyse().findings.first { $0.rule.id == "BGP.UPD.ATTRS" }
        #expect(missing?.level == .must)
        #expect(missing?.messageText.contains("NEXT_HOP") == true)
        #expect(missing?.messageText.contains("treat-as-withdraw") == true)
        var flagged = good
        flagged[0].flags = BGPPathAttribute.optional | BGPPathAttribute.transitive
        #expect(try exchange(flagged).findings().contains("BGP.UPD.ATTRS MUST"))
        #expect(try exchange(good + [good[0]]).findings().contains("BGP.UPD.ATTRS MUST"))
        #expect(try !exchange(good).rules().contains("BGP.UPD.ATTRS"))
        // IPv6 routes travel in MP_REACH_NLRI: no NEXT_HOP attribute needed.
        let v6 = [good[0], good[1], BGPPathAttribute(flags: BGPPathAttribute.optional, value: .mpReach(
            family: .ipv6Unicast, nextHop: BGPNextHop(bytes: Array(repeating: 0x20, count: 16), family: .ipv6Unicast),
            nlri: [.prefix(BGPExchange.route("2001:db8::/32"))]))]
        var mp = BGPExchange()
        mp.establish()
        mp.send(.a, .update(BGPUpdate(attributes: v6)))
        let analysis = try mp.analyse()
        #expect(!analysis.findings.contains { $0.rule.id == "BGP.UPD.ATTRS" })
        #expect(analysis.bgpSessions.first?.a.routes.count == 1)
    }

    @Test("BGP.NOTIF.DECODE: the RFC 9003 shutdown communication is shown")
    func notification() throws {
        var exchange = BGPExchange.clean()
        let text = Array("maintenance window 42".utf8)
        exchange.send(.b, .notification(BGPNotification(code: 6, subcode: 2, data: [UInt8(text.count)] + text)))
        exchange.segment(.b, flags: [.fin, .ack])
        let analysis = try exchange.analyse()
        let finding = try #require(analysis.findings.first { $0.rule.id == "BGP.NOTIF.DECODE" })
        #expect(finding.messageText.contains("maintenance window 42"))
        #expect(analysis.bgpSessions.first?.teardown?.side == 1)
        #expect(analysis.bgpSessions.first?.stateName == "Idle")
    }

    @Test("BGP.IP.GTSM: one side sends TTL 255, the other does not")
    func gtsm() throws {
        var bent = BGPExchange()
        bent.a.ttl = 255
        bent.establish()
        bent.keepalives(seconds: 3)
        let finding = try #require(try bent.analyse().findings.first { $0.rule.id == "BGP.IP.GTSM" })
        #expect(finding.side == "192.0.2.2")
        #expect(finding.level == .should)
        var both = BGPExchange()
        both.a.ttl = 255
        both.b.ttl = 255
        both.establish()
        #expect(try !both.rules().contains("BGP.IP.GTSM"))
        #expect(try !BGPExchange.clean().rules().contains("BGP.IP.GTSM"))
    }
}
