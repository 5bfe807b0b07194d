import Foundation
import PeerscopeWire
import Testing

/// BMP (RFC 7854) at a collector: a capture built with our encoder, decoded by `decode -Y bmp`
/// and judged by tshark's BMP dissector, message by message.
@Suite("differential: BMP vs tshark", .serialized)
struct BMPTsharkTests {
    static let router = IPAddress("192.0.2.10")!, collector = IPAddress("192.0.2.20")!
    static let peer = BMPPerPeerHeader(flags: 0x40, address: IPAddress("198.51.100.1")!, asn: 65001,
                                       bgpID: IPv4Address(198, 51, 100, 1), timestampSeconds: 1_700_000_000,
                                       timestampMicroseconds: 250_000)

    static var messages: [BMPMessage] {
        let sentOpen = BGPMessage.open(BGPOpen(myAS: 65000, holdTime: 90, identifier: IPv4Address(192, 0, 2, 10),
                                               capabilities: [.multiprotocol(.ipv4Unicast), .fourOctetAS(65000)])).encoded()
        let receivedOpen = BGPMessage.open(BGPOpen(myAS: 65001, holdTime: 180, identifier: IPv4Address(198, 51, 100, 1),
                                                   capabilities: [.routeRefresh, .fourOctetAS(65001)])).encoded()
        let update = BGPMessage.update(BGPUpdate(attributes: [
            BGPPathAttribute(flags: 0x40, value: .origin(0)),
            BGPPathAttribute(flags: 0x40, value: .asPath([BGPASPathSegment(type: 2, asns: [65001, 4_200_000_001])])),
            BGPPathAttribute(flags: 0x40, value: .nextHop(IPv4Address(198, 51, 100, 1))),
            BGPPathAttribute(flags: 0xC0, value: .communities([0xFFFF_FF01])),
        ], announced: [BGPPrefix(address: IPAddress("203.0.113.0")!, length: 24),
                       BGPPrefix(address: IPAddress("10.1.0.0")!, length: 16)])).encoded()
        let notification = BGPMessage.notification(BGPNotification(code: 6, subcode: 2)).encoded()
        return [
            .initiation([BMPTLV(type: 2, text: "r1"), BMPTLV(type: 1, text: "peerscope test router")]),
            .peerUp(BMPPeerUp(peer: peer, localAddress: router, localPort: 179, remotePort: 40_001,
                              sentOpenMessage: sentOpen, receivedOpenMessage: receivedOpen)),
            .routeMonitoring(peer, bgpMessage: update),
            .statisticsReport(peer, [BMPTLV(type: 0, value: [0, 0, 0, 3]),
                                     BMPTLV(type: 7, value: [0, 0, 0, 0, 0, 0, 0x01, 0x00])]),
            .peerDown(BMPPeerDown(peer: peer, reason: 3, data: notification)),
            .termination([BMPTLV(type: 0, text: "bye"), BMPTLV(type: 1, value: [0, 0])]),
        ]
    }

    /// SYN, SYN+ACK, then one segment per message, except the Route Monitoring message, which is cut
    /// over two segments so that reassembly is part of what is judged.
    static func writeCapture() throws -> String {
        var sequence: UInt32 = 100
        var frames: [[UInt8]] = []
        func segment(_ flags: TCPFlags, _ payload: [UInt8] = [], fromCollector: Bool = false) {
            let header = TCPHeader(sourcePort: fromCollector ? 11019 : 50_000, destinationPort: fromCollector ? 50_000 : 11019,
                                   sequenceNumber: fromCollector ? 9000 : sequence, acknowledgmentNumber: fromCollector ? sequence : 9001,
                                   flags: flags)
            frames.append(FrameBuilder(source: fromCollector ? collector : router, destination: fromCollector ? router : collector,
                                       transport: .tcp(header)).build(payload: payload))
            if !fromCollector { sequence &+= UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0) }
        }
        segment(.syn)
        segment([.syn, .ack], fromCollector: true)
        for message in messages {
            let bytes = message.encoded()
            if case .routeMonitoring = message {
                segment([.ack], Array(bytes.prefix(30)))
                segment([.ack, .psh], Array(bytes.dropFirst(30)))
            } else {
                segment([.ack, .psh], bytes)
            }
        }
        let path = Scratch.path("bmp.pcap")
        try Scratch.write(frames, to: path, linkType: .ethernet)
        return path
    }

    @Test("every message round-trips through the BMP codec")
    func roundTrip() throws {
        for message in Self.messages {
            let bytes = message.encoded()
            let decoded = try bytes.withUnsafeBytes { view throws(WireError) in try BMPMessage.decode(view) }
            #expect(decoded == message)
        }
    }

    @Test("every proper prefix of every message is a typed error")
    func prefixes() {
        for message in Self.messages {
            let bytes = message.encoded()
            for length in 0..<bytes.count {
                var cut = Array(bytes.prefix(length))
                // Keep the common header's length consistent with the cut, so that the body is judged.
                if cut.count >= 6 { cut[1...4] = [0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] }
                let result: Result<BMPMessage, WireError> = cut.withUnsafeBytes { view in
                    do throws(WireError) { return .success(try BMPMessage.decode(view)) } catch { return .failure(error) }
                }
                switch result {
                case .success(let decoded) where decoded.type == 0 || decoded.type == 2:
                    // Route Monitoring and Peer Down (reason 3) frame a BGP PDU: a cut one is the BGP
                    // codec's error, not BMP's.
                    var inner = decoded.bgpMessage
                    if case .peerDown(let down) = decoded { inner = down.notification }
                    guard case .failure(let error)? = inner else {
                        Issue.record("length \(length): the cut UPDATE decoded")
                        continue
                    }
                    #expect(error.layer == .bgp)
                case .success(let decoded):
                    // Only a cut at a TLV boundary of Initiation/Termination is itself a whole message.
                    #expect([4, 5].contains(decoded.type), "length \(length) of \(BMPMessage.typeName(message.type))")
                case .failure(let error):
                    #expect(error.layer == .bmp)
                }
            }
        }
    }

    @Test("random bytes after a valid common header never trap")
    func randomBodies() {
        var random = SplitMix64(seed: 7854)
        for round in 0..<5000 {
            let body = (0..<Int(random.next() % 120)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var bytes: [UInt8] = [3]
            bytes.appendUInt32(UInt32(body.count + 6))
            bytes.append(UInt8(round % 8))
            bytes += body
            let result: Result<BMPMessage, WireError> = bytes.withUnsafeBytes { view in
                do throws(WireError) { return .success(try BMPMessage.decode(view)) } catch { return .failure(error) }
            }
            if case .success(let message) = result { _ = message.bgpMessage; #expect(message.type == UInt8(round % 8)) }
        }
    }

    @Test("decode -Y bmp --json: each message's fields equal tshark's", .enabled(if: CLI.which("tshark") != nil))
    func jsonMatchesTshark() throws {
        let path = try Self.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fields = ["bmp.type", "bmp.length", "bmp.peer.type", "bmp.peer.ip.addr", "bmp.peer.asn", "bmp.peer.id",
                      "bmp.peer.timestamp.sec", "bmp.peer.down.reason", "bmp.peer.up.port.local", "bmp.peer.up.port.remote",
                      "bmp.init.type", "bmp.stats.count", "bmp.stats.type", "bgp.type"]
        let tshark = try #require(CLI.which("tshark"))
        // tshark 4.0 leaves BMP's port unset by default (its preference is empty): say it is 11019.
        let run = try CLI.run(tshark, ["-r", path, "-d", "tcp.port==11019,bmp", "-Y", "bmp", "-T", "fields", "-E", "separator=\t", "-E", "aggregator=|"]
                                + fields.flatMap { ["-e", $0] })
        let theirs = run.stdoutLines.map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        let result = try CLI.peerscope("decode", "-Y", "bmp", "--json", path)
        #expect(result.status == 0)
        let ours = try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(ours.count == Self.messages.count)
        #expect(theirs.count == Self.messages.count, "tshark: \(run.stdout)")
        for (object, cells) in zip(ours, theirs) {
            for (field, cell) in zip(fields, cells) {
                let value: String = switch object[field] {
                case let list as [Any]: list.map { "\($0)" }.joined(separator: "|")
                case is NSNull, nil: ""
                case let other?: "\(other)"
                }
                // tshark prints the BGP ID of an IPv4 peer as an address, numbers in decimal.
                #expect(value == cell, "frame \(object["frame.number"] ?? "?") \(field): ours \(value) tshark \(cell)")
            }
        }
    }

    @Test("decode -Y bmp: Peer Up shows both OPENs, Route Monitoring the UPDATE through the BGP codec")
    func lines() throws {
        let path = try Self.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.peerscope("decode", "-Y", "bmp", path)
        let lines = result.stdoutLines
        #expect(lines.count == 6)
        #expect(lines.first?.contains("sysName: r1") == true)
        #expect(lines.dropFirst().first?.contains("sent BGP OPEN AS 65000") == true)
        #expect(lines.dropFirst().first?.contains("received BGP OPEN AS 65001") == true)
        #expect(lines.dropFirst(2).first?.contains("BGP UPDATE +2 prefixes") == true)
        #expect(lines.dropFirst(4).first?.contains("Cease") == true)
    }
}
