import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PeerscopeCapture
import PeerscopeReport
import PeerscopeWire
import Testing

/// Issue 12 item 6: what a peer writes on the wire reaches text, JSON and JUnit safely. The
/// hostile strings are the input; the independent judges are Foundation's JSON and XML parsers and
/// the raw bytes of what the binary prints (no ESC, BEL, C1 or bidirectional control may reach a
/// terminal).
@Suite("outputs escape what the wire says")
struct EscapingTests {
    /// Quotes, markup, a terminal colour sequence, an OSC title change ending in BEL, a C1 CSI,
    /// a right-to-left override, CR and LF.
    static let hostile = "\"bye\" <script>alert(1)</script> & 'x' \u{1b}[31mred\u{1b}[0m \u{1b}]0;pwned\u{07} \u{9b}2J \u{202e}txt.exe\r\nforged line"

    /// Bytes no output may carry raw: C0 but LF (and tab/CR only where a format allows), DEL, C1
    /// in UTF-8 (C2 80–9F), U+202A–U+202E and U+2066–U+2069.
    static func rawControls(in text: String, allowing allowed: Set<UInt8> = [0x0A]) -> [String] {
        let bytes = Array(text.utf8)
        var found: [String] = []
        for (index, byte) in bytes.enumerated() {
            if (byte < 0x20 || byte == 0x7F) && !allowed.contains(byte) { found.append(String(format: "0x%02x at %d", byte, index)) }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { found.append("C1 at \(index)") }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80 && (0xAA...0xAE).contains(bytes[index + 2])
                || byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x81 && (0xA6...0xA9).contains(bytes[index + 2]) {
                found.append("bidi at \(index)")
            }
        }
        return found
    }

    /// A BGP session whose OPEN carries an FQDN capability (code 73: length, hostname, length,
    /// domain) with the hostile text and invalid UTF-8, and whose NOTIFICATION Cease/Administrative
    /// Shutdown carries the hostile text as its RFC 9003 shutdown communication; between them a
    /// BGP-LS UPDATE (RFC 9552) whose Node Name TLV (1026) is the hostile text too.
    static func hostileCapture(text hostileText: String = hostile) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-hostile-\(UUID().uuidString).pcap").path
        let writer = try CaptureWriter(path: path, format: .pcap, linkType: .ethernet)
        let a = IPAddress("192.0.2.1")!, b = IPAddress("192.0.2.2")!
        var sequence: [IPAddress: UInt32] = [a: 1_000, b: 500_000]
        var time: Int64 = 1_700_000_000_000_000_000
        func segment(_ from: IPAddress, _ flags: TCPFlags, _ payload: [UInt8] = []) {
            let to = from == a ? b : a
            let header = TCPHeader(sourcePort: from == a ? 50_000 : 179, destinationPort: from == a ? 179 : 50_000,
                                   sequenceNumber: sequence[from]!, acknowledgmentNumber: sequence[to]!, flags: flags)
            var builder = FrameBuilder(source: from, destination: to, transport: .tcp(header))
            builder.ttl = 1
            sequence[from]! &+= UInt32(payload.count) + (flags.contains(.syn) || flags.contains(.fin) ? 1 : 0)
            writer.write(timestampNanoseconds: time, bytes: builder.build(payload: payload))
            time += 1_000_000
        }
        let hostname = Array(hostileText.utf8) + [0xFF, 0xFE, 0xC0]  // ends in invalid UTF-8
        let domain = Array("evil\u{1b}[2J.example".utf8)
        let fqdn = BGPCapability.unknown(code: 73, value: [UInt8(hostname.count)] + hostname + [UInt8(domain.count)] + domain)
        segment(a, .syn)
        segment(b, [.syn, .ack])
        segment(a, .ack)
        let linkState = BGPCapability.multiprotocol(.linkState)
        segment(a, [.ack, .psh], BGPMessage.open(BGPOpen(myAS: 65_001, holdTime: 90, identifier: IPv4Address(192, 0, 2, 1),
                                                         capabilities: [linkState, .fourOctetAS(65_001), .routeRefresh, fqdn])).encoded())
        segment(b, [.ack, .psh], BGPMessage.open(BGPOpen(myAS: 65_002, holdTime: 90, identifier: IPv4Address(192, 0, 2, 2),
                                                         capabilities: [linkState, .fourOctetAS(65_002), .routeRefresh])).encoded())
        segment(a, [.ack, .psh], BGPMessage.keepalive.encoded())
        segment(b, [.ack, .psh], BGPMessage.keepalive.encoded())
        let text = Array(hostileText.utf8)
        // A Node NLRI (type 1, OSPFv2, local node descriptors: AS 65000, router ID 10.0.0.1) with the
        // hostile text as the node's name (RFC 9552 §5.3.1.3: 1–255 octets).
        let node = BGPNLRI.linkState(BGPLinkStateNLRI(nlriType: 1, protocolID: 3, identifier: 0, descriptors: [
            BGPLinkStateTLV(type: 256, value: [2, 0, 0, 4, 0, 0, 0xFD, 0xE8, 2, 3, 0, 4, 10, 0, 0, 1])]))
        let reach = BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.extendedLength,
                                     value: .mpReach(family: .linkState, nextHop: .address(IPAddress("192.0.2.1")!), nlri: [node]))
        let name = BGPPathAttribute(flags: BGPPathAttribute.optional,
                                    value: .linkState([BGPAttributeTLV(type: 1026, value: Array(text.prefix(255)))]))
        segment(a, [.ack, .psh], BGPMessage.update(BGPUpdate(attributes: [
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(0)),
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .asPath([BGPASPathSegment(type: 2, asns: [65_001])])),
            reach, name])).encoded())
        segment(b, [.ack, .psh], BGPMessage.notification(BGPNotification(code: 6, subcode: 2, data: [UInt8(text.count)] + text)).encoded())
        segment(b, [.ack, .fin])
        writer.flush()
        return path
    }

    @Test("the sanitiser: printable text unchanged; controls visible; JSON and XML parse back")
    func sanitiser() throws {
        #expect(WireText.terminal("Up  diag 0 → 192.0.2.1  300 µs") == "Up  diag 0 → 192.0.2.1  300 µs")
        #expect(WireText.terminal("a\u{1b}[31mb\u{07}\u{7f}\u{9b}\u{202e}") == "a\\x1b[31mb\\x07\\x7f\\x9b\\u{202e}")
        // Every control is found wherever it sits (the scan reads eight bytes at a time).
        for control in ["\u{1b}", "\u{07}", "\u{7f}", "\u{9b}", "\u{202e}", "\u{2066}", "\n"] {
            for position in 0...20 {
                for prefix in ["", "→"] {
                    let text = prefix + String(repeating: "a", count: position) + control + String(repeating: "b", count: 9)
                    #expect(WireText.terminal(text) != text, "\(control.unicodeScalars.first!.value) at \(position)")
                    #expect(Self.rawControls(in: WireText.terminal(text), allowing: []).isEmpty)
                }
            }
        }
        let quoted = WireText.jsonString(Self.hostile)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [Self.hostile], "JSON keeps the exact text")
        #expect(Self.rawControls(in: quoted, allowing: []).isEmpty)
        let xml = "<r a=\"\(WireText.xml(Self.hostile))\">\(WireText.xml(Self.hostile + "\u{0}\u{FFFE}"))</r>"
        let document = try XMLDocument(xmlString: xml, options: [])
        #expect(document.rootElement()?.stringValue?.contains("<script>") == true)
    }

    @Test("decode -Y bgp, -V and the text commands print the peer's text with its controls escaped")
    func text() throws {
        let capture = try Self.hostileCapture()
        defer { try? FileManager.default.removeItem(atPath: capture) }
        for arguments in [["decode", "-Y", "bgp"], ["decode", "-Y", "bgp", "-V"], ["sessions"], ["timeline"], ["check"]] {
            let result = try CLI.run(CLI.binary, arguments + [capture])
            #expect(result.status != 2, "\(arguments): \(result.stderr)")
            #expect(Self.rawControls(in: result.stdout).isEmpty, "\(arguments): \(Self.rawControls(in: result.stdout))")
            #expect(Self.rawControls(in: result.stderr).isEmpty, "\(arguments)")
        }
        let tree = try CLI.run(CLI.binary, ["decode", "-Y", "bgp", "-V", capture]).stdout
        #expect(tree.contains("\\x1b[31mred"), "ESC shown as \\x1b")
        #expect(tree.contains("Node Name (1026): \"bye\" <script>alert(1)</script> & 'x' \\x1b[31mred"), "the BGP-LS node name, escaped")
        #expect(tree.contains("<script>"), "text output shows markup as it is")
    }

    @Test("decode --json keeps the exact text in valid JSON Lines; check and sessions --json are valid JSON")
    func json() throws {
        let capture = try Self.hostileCapture()
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let lines = try CLI.run(CLI.binary, ["decode", "-Y", "bgp", "--json", capture])
        #expect(Self.rawControls(in: lines.stdout).isEmpty)
        var communications: [String] = [], nodeNames: [String] = []
        for line in lines.stdoutLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            if let text = object["bgp.notify.communication"] as? String { communications.append(text) }
            if let name = object["bgp.ls.tlv.node_name_value"] as? String { nodeNames.append(name) }
            if let names = object["bgp.ls.tlv.node_name_value"] as? [String] { nodeNames += names }
        }
        #expect(communications == [Self.hostile])
        #expect(nodeNames == [Self.hostile], "the BGP-LS node name, exact")
        for command in ["check", "sessions"] {
            let result = try CLI.run(CLI.binary, [command, "--json", capture])
            #expect(Self.rawControls(in: result.stdout).isEmpty, "\(command)")
            #expect(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) is [String: Any], "\(command)")
        }
    }

    @Test("check --junit is well-formed XML with the peer's text in it")
    func junit() throws {
        let capture = try Self.hostileCapture()
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-hostile-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try CLI.run(CLI.binary, ["check", "--junit", out.path, capture])
        let data = try Data(contentsOf: out)
        #expect(Self.rawControls(in: String(decoding: data, as: UTF8.self)).isEmpty)
        let document = try XMLDocument(data: data, options: [])
        let text = document.rootElement()?.stringValue ?? ""
        #expect(text.contains("<script>"), "the shutdown communication or hostname is in the report, unescaped by the parser")
    }
}
