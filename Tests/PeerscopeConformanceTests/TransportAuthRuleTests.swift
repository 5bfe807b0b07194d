import Crypto
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

@Suite("BFD transport and authentication rules: trigger and clean twin")
struct TransportAuthRuleTests {
    @Test("BFD.IP.TTL.SINGLEHOP: TTL 254 on single hop; SHOULD only with authentication")
    func ttl() {
        var bad = Exchange()
        bad.a.ttl = 254
        bad.handshake()
        let finding = bad.run().findings.first { $0.rule.id == "BFD.IP.TTL.SINGLEHOP" }
        #expect(finding?.level == .must)
        var authenticated = Exchange()
        authenticated.a.ttl = 254
        authenticated.a.authentication = .simplePassword(keyID: 1, password: [1])
        authenticated.handshake()
        #expect(authenticated.run().findings.first { $0.rule.id == "BFD.IP.TTL.SINGLEHOP" }?.level == .should)
        #expect(!Exchange.clean().all().contains("BFD.IP.TTL.SINGLEHOP"))
    }

    @Test("BFD.IP.PORT.SRC, PORT.DST, PORT.STABLE")
    func ports() {
        var source = Exchange()
        source.a.port = 3784
        source.handshake()
        #expect(source.problems().contains("BFD.IP.PORT.SRC"))
        // A sender that swapped its ports: from 3784 to an ephemeral port (still BFD, as Wireshark sees it).
        var destination = Exchange()
        destination.everyPacket = { observation in
            observation.destinationPort = observation.sourcePort
            observation.sourcePort = BFDTransport.singleHopPort
        }
        destination.handshake()
        #expect(destination.problems().contains("BFD.IP.PORT.DST"))
        var unstable = Exchange.clean(seconds: 2)
        unstable.a.port = 50000
        unstable.periodic(seconds: 1)
        #expect(unstable.problems().contains("BFD.IP.PORT.STABLE"))
        let clean = Exchange.clean().problems()
        #expect(clean.isDisjoint(with: ["BFD.IP.PORT.SRC", "BFD.IP.PORT.DST", "BFD.IP.PORT.STABLE"]))
    }

    @Test("BFD.IP.PORT.UNIQUE: two concurrent sessions from one address share a source port")
    func portUnique() {
        var first = Exchange.clean(seconds: 2)
        var second = Exchange()
        second.b.address = IPAddress("192.0.2.9")!
        second.a.discriminator = 33
        second.b.discriminator = 44
        second.handshake()
        second.periodic(seconds: 2)
        first.packets += second.packets
        first.packets.sort { $0.timeNanoseconds < $1.timeNanoseconds }
        for index in first.packets.indices { first.packets[index].frameNumber = index + 1 }
        #expect(first.problems().contains("BFD.IP.PORT.UNIQUE"))
        second.a.port = 49200
        var separate = Exchange.clean(seconds: 2)
        var other = Exchange()
        other.a.port = 49200
        other.b.address = IPAddress("192.0.2.9")!
        other.handshake()
        separate.packets += other.packets
        separate.packets.sort { $0.timeNanoseconds < $1.timeNanoseconds }
        for index in separate.packets.indices { separate.packets[index].frameNumber = index + 1 }
        #expect(!separate.problems().contains("BFD.IP.PORT.UNIQUE"))
    }

    @Test("BFD.IP.MULTIHOP.AUTH and BFD.IP.TTL.MULTIHOP")
    func multihop() {
        var exchange = Exchange()
        exchange.transport = .multihop
        exchange.a.ttl = 252
        exchange.b.ttl = 252
        exchange.handshake()
        let all = exchange.all()
        #expect(all.contains("BFD.IP.MULTIHOP.AUTH"))
        #expect(all.contains("BFD.IP.TTL.MULTIHOP"))
        #expect(!all.contains("BFD.IP.TTL.SINGLEHOP"))
        var authenticated = Exchange()
        authenticated.transport = .multihop
        authenticated.a.authentication = .simplePassword(keyID: 1, password: [1])
        authenticated.b.authentication = .simplePassword(keyID: 1, password: [1])
        authenticated.handshake()
        #expect(!authenticated.all().contains("BFD.IP.MULTIHOP.AUTH"))
        #expect(SessionRulesProbe.hops(252) == 3)
        #expect(SessionRulesProbe.hops(62) == 2)
    }

    /// A keyed packet with a real digest over the secret (RFC 5880 §6.7.3/§6.7.4).
    static func signed(_ packet: BFDControlPacket, secret: [UInt8]) -> BFDControlPacket {
        var packet = packet
        guard let input = packet.digestInput(secret: secret), let type = packet.authentication?.type else { return packet }
        let digest: [UInt8] = type.digestLength == 16 ? Array(Insecure.MD5.hash(data: input)) : Array(Insecure.SHA1.hash(data: input))
        packet.authentication?.data = AuthBytes(digest)
        return packet
    }

    func authenticated(_ type: BFDAuthType, secret: [UInt8], sequenceStep: UInt32 = 1,
                       signWith: [UInt8]? = nil, seconds: Double = 2) -> Exchange {
        var exchange = Exchange()
        var sequence: UInt32 = 100
        exchange.a.authentication = .keyed(type, keyID: 7, sequenceNumber: 0)
        exchange.b.authentication = .keyed(type, keyID: 7, sequenceNumber: 0)
        exchange.everyPacket = { observation in
            sequence &+= sequenceStep
            observation.packet.authentication?.sequenceNumber = sequence
            observation.packet = TransportAuthRuleTests.signed(observation.packet, secret: signWith ?? secret)
        }
        exchange.handshake()
        exchange.periodic(seconds: seconds)
        return exchange
    }

    @Test("BFD.AUTH.DIGEST verifies MD5 and SHA1 with the key; a wrong key fails; no key is not verified",
          arguments: [BFDAuthType.keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1])
    func digest(type: BFDAuthType) {
        var options = CheckOptions()
        options.keys[7] = Array("s3cret".utf8)
        let good = authenticated(type, secret: Array("s3cret".utf8))
        #expect(!good.problems(options: options).contains("BFD.AUTH.DIGEST"))
        let unverified = good.run().findings.first { $0.rule.id == "BFD.AUTH.DIGEST" }
        #expect(unverified?.level == .info)
        #expect(unverified?.messageText.contains("not verified") == true)
        let bad = authenticated(type, secret: Array("s3cret".utf8), signWith: Array("other".utf8))
        #expect(bad.problems(options: options).contains("BFD.AUTH.DIGEST"))
    }

    @Test("BFD.AUTH.DIGEST names the HMAC-SHA1 quirk")
    func hmacQuirk() {
        var exchange = Exchange()
        let secret = Array("frr".utf8)
        exchange.a.authentication = .keyed(.keyedSHA1, keyID: 1, sequenceNumber: 5)
        exchange.everyPacket = { observation in
            guard observation.packet.authentication != nil else { return }
            var zeroed = observation.packet
            zeroed.authentication?.data = AuthBytes(repeatElement(0, count: 20))
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: zeroed.encoded, using: SymmetricKey(data: secret))
            observation.packet.authentication?.data = AuthBytes(Array(mac))
        }
        exchange.handshake()
        var options = CheckOptions()
        options.keys[1] = secret
        let finding = exchange.run(options: options).findings.first { $0.rule.id == "BFD.AUTH.DIGEST" && $0.level == .must }
        #expect(finding?.messageText.contains("HMAC-SHA1") == true)
    }

    @Test("simple password verification")
    func simplePassword() {
        var exchange = Exchange()
        exchange.a.authentication = .simplePassword(keyID: 2, password: Array("letmein".utf8))
        exchange.handshake()
        var right = CheckOptions()
        right.keys[2] = Array("letmein".utf8)
        #expect(!exchange.problems(options: right).contains("BFD.AUTH.DIGEST"))
        var wrong = CheckOptions()
        wrong.keys[2] = Array("nope".utf8)
        #expect(exchange.problems(options: wrong).contains("BFD.AUTH.DIGEST"))
    }

    @Test("BFD.AUTH.SEQ.METICULOUS: a repeated sequence number")
    func meticulous() {
        #expect(authenticated(.meticulousKeyedSHA1, secret: [1], sequenceStep: 0).problems().contains("BFD.AUTH.SEQ.METICULOUS"))
        #expect(!authenticated(.meticulousKeyedSHA1, secret: [1]).problems().contains("BFD.AUTH.SEQ.METICULOUS"))
        // Keyed (non-meticulous) may repeat.
        #expect(!authenticated(.keyedMD5, secret: [1], sequenceStep: 0).problems().contains("BFD.AUTH.SEQ.METICULOUS"))
    }

    @Test("BFD.AUTH.SEQ.WINDOW: a jump beyond 3 × Detect Mult")
    func window() {
        #expect(authenticated(.keyedMD5, secret: [1], sequenceStep: 20).problems().contains("BFD.AUTH.SEQ.WINDOW"))
        #expect(!authenticated(.keyedMD5, secret: [1], sequenceStep: 2).problems().contains("BFD.AUTH.SEQ.WINDOW"))
        // RFC 5880 §6.7.3: meticulous narrows the window's lower end to RcvAuthSeq+1; its upper end,
        // RcvAuthSeq + 3 × Detect Mult, holds as for the keyed types.
        #expect(authenticated(.meticulousKeyedMD5, secret: [1], sequenceStep: 20).problems().contains("BFD.AUTH.SEQ.WINDOW"))
        #expect(!authenticated(.meticulousKeyedMD5, secret: [1], sequenceStep: 3).problems().contains("BFD.AUTH.SEQ.WINDOW"))
    }

    @Test("BFD.AUTH.SEQ.WINDOW: a jump across packets the capture lost is not a violation",
          arguments: [BFDAuthType.keyedSHA1, .meticulousKeyedSHA1])
    func windowAcrossCaptureLoss(type: BFDAuthType) {
        // Every packet takes the next sequence number: A's 10 packets after its 5th are lost by the
        // capture, so its next captured packet is at least 11 numbers on (> 3 × Detect Mult 3).
        // The receiver got them (its window moved with them): the wire shows no violation.
        var exchange = authenticated(type, secret: [1], seconds: 8)
        let fromA = exchange.packets.indices.filter { exchange.packets[$0].source == exchange.a.address }
        #expect(fromA.count > 20)
        let lost = Set(fromA[5..<15])
        exchange.packets = exchange.packets.indices.filter { !lost.contains($0) }.map { exchange.packets[$0] }
        for index in exchange.packets.indices { exchange.packets[index].frameNumber = index + 1 }
        #expect(!exchange.problems().contains("BFD.AUTH.SEQ.WINDOW"))
        #expect(!exchange.problems().contains("BFD.AUTH.SEQ.METICULOUS"))
    }

    @Test("BFD.AUTH.KEYID: key rollover is reported")
    func keyRollover() {
        var exchange = authenticated(.keyedSHA1, secret: [1])
        #expect(!exchange.all().contains("BFD.AUTH.KEYID"))
        exchange.a.authentication?.keyID = 8
        exchange.periodic(seconds: 1)
        #expect(exchange.all().contains("BFD.AUTH.KEYID"))
    }

    @Test("echo: BFD.IP.ECHO.UP, ECHO.RATE and ECHO.LOOP")
    func echo() {
        var exchange = Exchange()
        exchange.b.echoRx = 50_000
        exchange.handshake()
        exchange.periodic(seconds: 1)
        var tracker = BFDSessionTracker()
        var engine = BFDConformanceEngine()
        for observation in exchange.packets {
            tracker.observe(observation) { context, session in engine.packet(context, session: session) }
        }
        let a = exchange.a.address
        // Echoes every 60 ms, each looped back 1 ms later; then three 10 ms apart (too fast).
        var time = exchange.now
        for index in 0..<10 {
            time += index < 7 ? 60_000_000 : 10_000_000
            let echo = BFDEchoPacket(payloadLength: 24, payloadDigest: UInt64(index))
            engine.echo(frame: 1000 + 2 * index, time: time, source: a, ttl: 255, echo: echo, tracker: tracker)
            engine.echo(frame: 1001 + 2 * index, time: time + 1_000_000, source: a, ttl: 254, echo: echo, tracker: tracker)
        }
        engine.finish(sessions: tracker.sessions, lastFrameTime: time)
        let ids = engine.findings.all.map(\.rule.id)
        #expect(ids.contains("BFD.IP.ECHO.RATE"))
        #expect(!ids.contains("BFD.IP.ECHO.UP"))
        let loop = engine.findings.all.first { $0.rule.id == "BFD.IP.ECHO.LOOP" }
        #expect(loop?.measured == .composite([.number(10), .text(" sent, "), .number(10), .text(" looped back, "), .number(0), .text(" not seen back")]))

        // Echo before the session is Up.
        var early = BFDConformanceEngine()
        var fresh = BFDSessionTracker()
        fresh.observe(exchange.packets[0]) { context, session in early.packet(context, session: session) }
        early.echo(frame: 2, time: 1, source: a, ttl: 255, echo: BFDEchoPacket(payloadLength: 8, payloadDigest: 1), tracker: fresh)
        #expect(early.findings.all.contains { $0.rule.id == "BFD.IP.ECHO.UP" })
    }
}

/// Reaches the hop arithmetic without exposing it publicly twice.
enum SessionRulesProbe {
    static func hops(_ ttl: UInt8) -> Int { BFDConformanceEngine.impliedHops(ttl) }
}
