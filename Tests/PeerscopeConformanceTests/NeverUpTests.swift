import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Issue 11 item 6: why a session never came up, in one finding. Truth: RFC 5880 §6.8.6 (what a
/// receiver discards), RFC 5881 §5 (single-hop TTL 255), RFC 5883 §2 and the lab manifest of
/// `multihop-ttl` (FRR's minimum TTL 254 discards BIRD's TTL-64 packets).
@Suite("why a session never came up")
struct NeverUpTests {
    static func neverUp(_ exchange: Exchange, options: CheckOptions = CheckOptions()) -> [Finding] {
        exchange.run(options: options).findings.filter { $0.rule.id == "BFD.FSM.NEVER.UP" }
    }

    @Test("single hop: B discards A's TTL-254 packets and never leaves Down; A heard B (Init)")
    func singleHopTTL() {
        var exchange = Exchange()
        exchange.a.ttl = 254
        exchange.send(.b, slow: true)
        exchange.advance(milliseconds: 20)
        exchange.a.state = .`init`
        exchange.a.yours = exchange.b.discriminator
        for _ in 0..<5 {
            exchange.send(.a, slow: true)
            exchange.advance(milliseconds: 900)
            exchange.send(.b, slow: true)
            exchange.advance(milliseconds: 100)
        }
        let found = Self.neverUp(exchange)
        #expect(found.count == 1)
        #expect(found.first?.side == "192.0.2.2")
        #expect(found.first?.messageText.contains("TTL 254") == true)
        #expect(found.first?.messageText.contains("RFC 5881 §5") == true)
        #expect(found.first?.level == .info)
        // Clean twin: a session that comes Up has nothing to explain.
        #expect(Self.neverUp(Exchange.clean()).isEmpty)
    }

    @Test("a side held in AdminDown is the reason, no side is blamed for discarding")
    func adminDown() {
        var exchange = Exchange()
        exchange.a.state = .adminDown
        for _ in 0..<3 {
            exchange.send(.a, diagnostic: .administrativelyDown, slow: true)
            exchange.advance(milliseconds: 500)
            exchange.send(.b, slow: true)
            exchange.advance(milliseconds: 500)
        }
        let found = Self.neverUp(exchange)
        #expect(found.count == 1)
        #expect(found.first?.side == "192.0.2.1")
        #expect(found.first?.messageText.contains("administratively down") == true)
    }

    @Test("both sides heard each other but neither reached Up: said so, no side blamed")
    func heardButNotUp() {
        var exchange = Exchange()
        exchange.send(.a, slow: true)
        exchange.advance(milliseconds: 20)
        exchange.b.state = .`init`
        exchange.b.yours = exchange.a.discriminator
        exchange.send(.b, slow: true)
        exchange.advance(milliseconds: 20)
        // §6.8.6: Down receiving Init goes Up; this A goes only to Init and stays there.
        exchange.a.state = .`init`
        exchange.a.yours = exchange.b.discriminator
        for _ in 0..<3 {
            exchange.send(.a, slow: true)
            exchange.advance(milliseconds: 500)
            exchange.send(.b, slow: true)
            exchange.advance(milliseconds: 500)
        }
        let found = Self.neverUp(exchange)
        #expect(found.count == 1)
        #expect(found.first?.side == nil)
        #expect(found.first?.messageText.contains("each side heard the other") == true)
    }

    @Test("authentication on one side only: neither hears the other; with --key the digest is judged")
    func authenticationOneSided() {
        let secret = Array("s3cret".utf8)
        var exchange = Exchange()
        exchange.a.authentication = .keyed(.keyedSHA1, keyID: 2, sequenceNumber: 0)
        var sequence: UInt32 = 0
        exchange.everyPacket = { observation in
            guard observation.packet.authentication != nil else { return }
            sequence &+= 1
            observation.packet.authentication?.sequenceNumber = sequence
            observation.packet = TransportAuthRuleTests.signed(observation.packet, secret: secret)
        }
        for _ in 0..<4 {
            exchange.send(.a, slow: true)
            exchange.advance(milliseconds: 500)
            exchange.send(.b, slow: true)
            exchange.advance(milliseconds: 500)
        }
        let unverified = Self.neverUp(exchange)
        #expect(unverified.count == 1)
        #expect(unverified.first?.messageText.contains("neither side accepted") == true)
        #expect(unverified.first?.messageText.contains("key 2") == true)
        #expect(unverified.first?.messageText.contains("not verified") == true)
        var options = CheckOptions()
        options.keys[2] = secret
        #expect(Self.neverUp(exchange, options: options).first?.messageText.contains("verifies with the key given") == true)
        options.keys[2] = Array("wrong".utf8)
        #expect(Self.neverUp(exchange, options: options).first?.messageText.contains("does not verify") == true)
    }

    @Test("lab multihop-ttl: FRR (198.51.100.1) discards BIRD's low-TTL multihop packets, as its manifest says")
    func labMultihopTTL() throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/lab/multihop-ttl.pcap").path
        let analysis = try CaptureAnalysis(path: path)
        let found = analysis.findings.filter { $0.rule.id == "BFD.FSM.NEVER.UP" }
        #expect(found.count == 1)
        #expect(found.first?.side == "198.51.100.1")
        #expect(found.first?.messageText.contains("multihop minimum TTL") == true)
        // The lab's other multihop run (minimum TTL lowered) comes Up: nothing to explain.
        let twin = try CaptureAnalysis(path: GoldenFindingsTests.root.appendingPathComponent("captures/lab/multihop.pcap").path)
        #expect(!twin.findings.contains { $0.rule.id == "BFD.FSM.NEVER.UP" })
    }

    @Test("BGP: SYNs to port 179 never answered, in one finding; an Established twin has none")
    func bgpSynUnanswered() throws {
        var exchange = BGPExchange()
        for _ in 0..<3 {
            exchange.segment(.a, flags: [.syn])
            exchange.advance(seconds: 1)
        }
        let found = try exchange.analyse().findings.filter { $0.rule.id == "BGP.FSM.NEVER.UP" }
        #expect(found.count == 1)
        #expect(found.first?.messageText.contains("never answered") == true)
        #expect(found.first?.side == "192.0.2.1")
        #expect(try !BGPExchange.clean().rules().contains("BGP.FSM.NEVER.UP"))
        // BGPExchange sends with TTL 1 (eBGP default): GTSM known on names the discard.
        #expect(found.first?.messageText.contains("TTL 1: a peer running GTSM") == true)
        var options = CheckOptions()
        options.gtsm = .all
        let withGTSM = try exchange.analyse(options: options).findings.first { $0.rule.id == "BGP.FSM.NEVER.UP" }
        #expect(withGTSM?.messageText.contains("GTSM is on (as given to check): the peer discards them (RFC 5082 §3)") == true)
    }

    @Test("BGP: every connection refused with RST is said so")
    func bgpRefused() throws {
        var exchange = BGPExchange()
        for _ in 0..<2 {
            // Each attempt from a new ephemeral port, as a speaker retrying does.
            exchange.a.port += 1
            exchange.segment(.a, flags: [.syn])
            exchange.advance(seconds: 0.0001)
            exchange.segment(.b, flags: [.rst, .ack])
            exchange.advance(seconds: 1)
        }
        let found = try exchange.analyse().findings.filter { $0.rule.id == "BGP.FSM.NEVER.UP" }
        #expect(found.count == 1)
        #expect(found.first?.messageText.contains("refused with RST") == true, "\(found.map(\.message))")
        #expect(found.first?.measured == .count(2, noun: "connection attempt"))
    }

    @Test("BGP: TCP MD5 (option 19) on one side only is named, and no capability is called negotiated")
    func bgpMD5OneSide() throws {
        var exchange = BGPExchange()
        exchange.segment(.a, flags: [.syn])
        // RFC 2385 §3.0: kind 19, length 18, a 16-byte digest; padded to a 4-byte multiple with NOPs.
        exchange.frames[exchange.frames.count - 1].bytes = TCPOptionTests.withOption(
            exchange.frames[exchange.frames.count - 1].bytes, [1, 1, 19, 18] + [UInt8](repeating: 0xAB, count: 16))
        exchange.advance(seconds: 1)
        let analysis = try exchange.analyse()
        let found = analysis.findings.filter { $0.rule.id == "BGP.FSM.NEVER.UP" }
        #expect(found.first?.messageText.contains("TCP MD5 (option 19") == true)
        #expect(analysis.bgpSessions.first?.sides[0].tcpAuthentication == 19)
        #expect(analysis.bgpSessions.first?.sides[1].tcpAuthentication == nil)
    }

    @Test("BGP: both OPENs but no KEEPALIVE: no negotiated hold time or capabilities are reported")
    func notEstablishedNoNegotiation() throws {
        var exchange = BGPExchange()
        exchange.segment(.a, flags: [.syn])
        exchange.segment(.b, flags: [.syn, .ack])
        exchange.segment(.a, flags: [.ack])
        exchange.send(.a, .open(exchange.open(.a)))
        exchange.send(.b, .open(exchange.open(.b)))
        exchange.advance(seconds: 1)
        let findings = try exchange.analyse().findings
        #expect(!findings.contains { $0.rule.id == "BGP.TMR.HOLD.NEGOTIATED" })
        let caps = findings.first { $0.rule.id == "BGP.OPEN.CAPS" }
        #expect(caps?.messageText.contains("nothing was negotiated") == true)
        #expect(caps?.measured == nil)
        let clean = try BGPExchange.clean().analyse().findings
        #expect(clean.contains { $0.rule.id == "BGP.TMR.HOLD.NEGOTIATED" })
    }
}

/// The TCP option walk of `TCPHeader.decode` (RFC 9293 §3.1 option layout).
@Suite("TCP options: segment authentication")
struct TCPOptionTests {
    /// `frame` (Ethernet/IPv4/TCP with a 20-byte TCP header) with `option` bytes appended to the TCP
    /// header: data offset, IPv4 total length and header checksum rewritten to match.
    static func withOption(_ frame: [UInt8], _ option: [UInt8]) -> [UInt8] {
        precondition(option.count % 4 == 0)
        var bytes = frame
        let ip = 14, tcp = 34
        bytes.insert(contentsOf: option, at: tcp + 20)
        bytes[tcp + 12] = UInt8((20 + option.count) / 4) << 4 | (bytes[tcp + 12] & 0x0F)
        let total = (Int(bytes[ip + 2]) << 8 | Int(bytes[ip + 3])) + option.count
        bytes[ip + 2] = UInt8(total >> 8)
        bytes[ip + 3] = UInt8(total & 0xFF)
        bytes[ip + 10] = 0
        bytes[ip + 11] = 0
        var sum = 0
        for index in stride(from: ip, to: ip + 20, by: 2) { sum += Int(bytes[index]) << 8 | Int(bytes[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        bytes[ip + 10] = UInt8((~sum >> 8) & 0xFF)
        bytes[ip + 11] = UInt8(~sum & 0xFF)
        return bytes
    }

    static func decode(options: [UInt8]) throws -> TCPHeader {
        var header: [UInt8] = [0xC3, 0x50, 0x00, 0xB3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x02, 0xFF, 0xFF, 0, 0, 0, 0]
        header[12] = UInt8((20 + options.count) / 4) << 4
        let bytes = header + options
        return try bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            return try TCPHeader.decode(&cursor)
        }
    }

    @Test("MD5 (RFC 2385: kind 19, length 18) after an MSS option; TCP-AO (RFC 5925: kind 29); none")
    func kinds() throws {
        let md5 = [2, 4, 0x05, 0xB4, 19, 18] + [UInt8](repeating: 0, count: 16) + [1, 0]
        #expect(try Self.decode(options: md5).authenticationOption == 19)
        let ao: [UInt8] = [29, 16, 1, 1] + [UInt8](repeating: 7, count: 12)
        #expect(try Self.decode(options: ao).authenticationOption == 29)
        #expect(try Self.decode(options: [2, 4, 0x05, 0xB4]).authenticationOption == nil)
    }

    @Test("a malformed option list (length 0, length past the header) ends the walk without a trap")
    func malformed() throws {
        #expect(try Self.decode(options: [8, 0, 19, 18]).authenticationOption == nil)
        #expect(try Self.decode(options: [1, 1, 19, 40]).authenticationOption == nil)
        #expect(try Self.decode(options: [1, 1, 1, 8]).authenticationOption == nil)
    }
}
