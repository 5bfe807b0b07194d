import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// Small captures written on the fly for the error-path tests.
enum Scratch {
    static func path(_ name: String) -> String {
        NSTemporaryDirectory() + "peerscope-cli-\(UUID().uuidString)-\(name)"
    }

    /// Raw-IPv4 frames of a BFD exchange: `count` Up packets 300 ms apart.
    static func bfdFrames(count: Int) -> [[UInt8]] {
        (0..<count).map { index in
            let source = IPv4Address(192, 0, 2, 1)
            let destination = IPv4Address(192, 0, 2, 2)
            let payload = BFDControlPacket(state: .up, myDiscriminator: 1, yourDiscriminator: 2,
                                           desiredMinTxInterval: 300_000, requiredMinRxInterval: 300_000).encoded
            var udp: [UInt8] = []
            UDPHeader(sourcePort: 49152, destinationPort: 3784)
                .encode(into: &udp, payload: payload, pseudoHeader: .v4(source: source, destination: destination))
            var ip: [UInt8] = []
            IPv4Header(source: source, destination: destination, protocolNumber: IPProtocol.udp, ttl: 255,
                       identification: UInt16(index))
                .encode(into: &ip, payloadLength: udp.count + payload.count)
            return ip + udp + payload
        }
    }

    static func write(_ frames: [[UInt8]], to path: String, format: CaptureWriter.Format = .pcap,
                      linkType: LinkType = .raw, extra: ((CaptureWriter) -> Void)? = nil) throws {
        let writer = try CaptureWriter(path: path, format: format, linkType: linkType)
        for (index, frame) in frames.enumerated() {
            writer.write(timestampNanoseconds: 1_700_000_000_000_000_000 + Int64(index) * 300_000_000, bytes: frame)
            if index == 0 { extra?(writer) }
        }
    }
}

@Suite("bad input: one clear line on stderr and the documented exit code")
struct BadInputTests {
    func expectUnusable(_ result: CLI.Result, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "exit status", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1, "one line: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("peerscope: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "mentions \(text): \(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("missing file")
    func missingFile() throws {
        expectUnusable(try CLI.peerscope("decode", "/nonexistent/capture.pcap"), mentioning: "no such file")
    }

    @Test("a directory")
    func directory() throws {
        expectUnusable(try CLI.peerscope("decode", NSTemporaryDirectory()), mentioning: "is a directory")
    }

    @Test("random bytes and a text file are not captures")
    func notCaptures() throws {
        let random = Scratch.path("random.bin")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: random))
        defer { try? FileManager.default.removeItem(atPath: random) }
        expectUnusable(try CLI.peerscope("decode", random), mentioning: "not a pcap or pcapng file")
        let text = Scratch.path("readme.txt")
        try Data("BFD session notes\nnot a capture\n".utf8).write(to: URL(fileURLWithPath: text))
        defer { try? FileManager.default.removeItem(atPath: text) }
        expectUnusable(try CLI.peerscope("decode", text), mentioning: "not a pcap or pcapng file")
    }

    @Test("a pcap cut mid-record: frames before the cut are printed, then the error, exit 2")
    func truncated() throws {
        let path = Scratch.path("cut.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write(Scratch.bfdFrames(count: 6), to: path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size - 20)
        try handle.close()
        let result = try CLI.peerscope("decode", path)
        #expect(result.status == 2)
        #expect(result.stdoutLines.count == 5, "frames 1–5 printed: \(result.stdout)")
        #expect(result.stdoutLines.first?.contains("192.0.2.1:49152 → 192.0.2.2:3784") == true)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("after frame 5"))
    }

    @Test("a pcapng with an unknown block type: the block is skipped, every frame decoded, exit 0")
    func unknownBlock() throws {
        let path = Scratch.path("unknown-block.pcapng")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write(Scratch.bfdFrames(count: 3), to: path, format: .pcapng) { writer in
            writer.writeRawBlock(type: 0x0000_0BAD, body: Array("vendor data".utf8))
        }
        let result = try CLI.peerscope("decode", path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 3)
    }

    @Test("an unsupported link type")
    func unsupportedLinkType() throws {
        let path = Scratch.path("wifi.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write([[0x80, 0, 0, 0]], to: path, linkType: .other(105))
        expectUnusable(try CLI.peerscope("decode", path), mentioning: "unsupported link type")
    }

    @Test("a frame shorter than its headers is counted and listed with -v; the rest still decodes")
    func shortFrame() throws {
        let path = Scratch.path("short.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var frames = Scratch.bfdFrames(count: 3)
        frames.insert(Array(frames[0].prefix(14)), at: 1)  // an IPv4 header cut at 14 bytes
        try Scratch.write(frames, to: path)
        let plain = try CLI.peerscope("decode", path)
        #expect(plain.status == 0)
        #expect(plain.stdoutLines.count == 3)
        #expect(plain.stderrLines.count == 1)
        #expect(plain.stderr.contains("1 frame(s) not decoded (1 ipv4.truncated)"))
        let verbose = try CLI.peerscope("decode", "-v", path)
        #expect(verbose.stdoutLines.count == 4)
        #expect(verbose.stdoutLines[1].contains("undecodable: ipv4: truncated"))
        let counted = try CLI.peerscope("decode", "--count", path)
        #expect(counted.stdout.contains("  ipv4.truncated"))
    }

    @Test("usage errors: no file, unknown option, bad -Y, bad filter")
    func usage() throws {
        expectUnusable(try CLI.peerscope("decode"), mentioning: "Missing expected argument")
        expectUnusable(try CLI.peerscope("decode", "--frobnicate", "x.pcap"), mentioning: "Unknown option")
        expectUnusable(try CLI.peerscope("decode", "-Y", "ospf", "x.pcap"), mentioning: "ospf")
        let path = Scratch.path("ok.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write(Scratch.bfdFrames(count: 1), to: path)
        expectUnusable(try CLI.peerscope("decode", "-f", "udp port", path), mentioning: "invalid capture filter")
    }

    @Test("standard input, '-', is read like a file")
    func standardInput() throws {
        let path = Scratch.path("stdin.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write(Scratch.bfdFrames(count: 4), to: path)
        let result = try CLI.run(CLI.binary, ["decode", "--count", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("bfd.control"))
        #expect(result.stdoutLines.contains { $0.hasPrefix("  single-hop") && $0.hasSuffix(" 4") })
    }
}

@Suite("decode output")
struct DecodeOutputTests {
    @Test("text line: router vocabulary, human units, BPF filter applied")
    func textLine() throws {
        let path = Scratch.path("line.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write(Scratch.bfdFrames(count: 2), to: path)
        let result = try CLI.peerscope("decode", "-f", "udp dst port 3784", path)
        #expect(result.status == 0)
        #expect(result.stdoutLines == [
            "     1  0.000000000  192.0.2.1:49152 → 192.0.2.2:3784  ttl 255  -  Up  diag 0 (No Diagnostic)  [------]  mult 3  my 1 your 2  tx 300 ms  rx 300 ms  echo 0  auth none",
            "     2  0.300000000  192.0.2.1:49152 → 192.0.2.2:3784  ttl 255  -  Up  diag 0 (No Diagnostic)  [------]  mult 3  my 1 your 2  tx 300 ms  rx 300 ms  echo 0  auth none",
        ])
    }

    @Test("JSON Lines: exact integers in µs, tshark field names, every key on every line")
    func jsonLine() throws {
        let path = Scratch.path("json.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Scratch.write(Scratch.bfdFrames(count: 1), to: path)
        let result = try CLI.peerscope("decode", "--json", path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["bfd.desired_min_tx_interval"] as? Int == 300_000)
        #expect(object["peerscope.bfd.sta_name"] as? String == "Up")
        #expect(object["ip.ttl"] as? Int == 255)
        #expect(object["bfd.auth.type"] is NSNull)
        #expect(object.keys.count >= 38)
    }
}
