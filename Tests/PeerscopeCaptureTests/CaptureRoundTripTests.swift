import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// A temporary file path, removed when the test's scope ends.
final class TemporaryFile {
    let path: String
    init(_ name: String) {
        path = NSTemporaryDirectory() + "peerscope-\(UUID().uuidString)-\(name)"
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A raw-IPv4 UDP frame to port `port` with `payload`.
func udpFrame(port: UInt16, payload: [UInt8]) -> [UInt8] {
    let source = IPv4Address(192, 0, 2, 1)
    let destination = IPv4Address(192, 0, 2, 2)
    var udp: [UInt8] = []
    UDPHeader(sourcePort: 49152, destinationPort: port)
        .encode(into: &udp, payload: payload, pseudoHeader: .v4(source: source, destination: destination))
    var frame: [UInt8] = []
    IPv4Header(source: source, destination: destination, protocolNumber: IPProtocol.udp, ttl: 255)
        .encode(into: &frame, payloadLength: udp.count + payload.count)
    return frame + udp + payload
}

func readAll(_ path: String, filter: String? = nil) throws -> [(Int, Int64, [UInt8])] {
    let reader = try CaptureReader(path: path, filter: filter)
    var frames: [(Int, Int64, [UInt8])] = []
    while let frame = try reader.next() {
        frames.append((frame.number, frame.timestampNanoseconds, Array(frame.bytes)))
    }
    return frames
}

@Suite("capture reader and writer")
struct CaptureRoundTripTests {
    let packets: [[UInt8]] = (0..<5).map { index in
        udpFrame(port: 3784, payload: BFDControlPacket(state: .up, myDiscriminator: UInt32(index + 1)).encoded)
    }
    let base: Int64 = 1_700_000_000_123_456_789

    @Test("pcap and pcapng keep every byte and nanosecond timestamps", arguments: [CaptureWriter.Format.pcap, .pcapng])
    func roundTrip(format: CaptureWriter.Format) throws {
        let file = TemporaryFile("rt")
        do {
            let writer = try CaptureWriter(path: file.path, format: format, linkType: .raw)
            for (index, packet) in packets.enumerated() {
                writer.write(timestampNanoseconds: base + Int64(index) * 300_000_001, bytes: packet)
            }
        }
        let reader = try CaptureReader(path: file.path)
        #expect(reader.linkType == .raw)
        #expect(reader.resolution == .nanoseconds)
        let frames = try readAll(file.path)
        #expect(frames.map(\.0) == [1, 2, 3, 4, 5])
        #expect(frames.map(\.1) == (0..<5).map { base + Int64($0) * 300_000_001 })
        #expect(frames.map(\.2) == packets)
    }

    @Test("a BPF filter selects frames and keeps their original numbers' order")
    func filter() throws {
        let file = TemporaryFile("filter.pcap")
        do {
            let writer = try CaptureWriter(path: file.path, format: .pcap, linkType: .raw)
            writer.write(timestampNanoseconds: base, bytes: udpFrame(port: 53, payload: [1, 2, 3]))
            writer.write(timestampNanoseconds: base + 1, bytes: packets[0])
        }
        let frames = try readAll(file.path, filter: "udp port 3784")
        #expect(frames.count == 1)
        #expect(frames.first?.2 == packets[0])
    }

    @Test("an invalid filter is a one-line error")
    func invalidFilter() throws {
        let file = TemporaryFile("f.pcap")
        do { _ = try CaptureWriter(path: file.path, format: .pcap, linkType: .raw) }
        #expect(throws: CaptureError.self) { try CaptureReader(path: file.path, filter: "udp port") }
    }

    @Test("a file cut mid-record yields the frames before the cut, then an error")
    func truncatedFile() throws {
        let file = TemporaryFile("cut.pcap")
        do {
            let writer = try CaptureWriter(path: file.path, format: .pcap, linkType: .raw)
            for (index, packet) in packets.enumerated() {
                writer.write(timestampNanoseconds: base + Int64(index), bytes: packet)
            }
        }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.path)))
        bytes.removeLast(10)
        try Data(bytes).write(to: URL(fileURLWithPath: file.path))
        let reader = try CaptureReader(path: file.path)
        var seen = 0
        do {
            while try reader.next() != nil { seen += 1 }
            Issue.record("expected a read error")
        } catch {
            guard case .readFailed(_, let afterFrame, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(afterFrame == 4)
        }
        #expect(seen == 4)
    }

    @Test("pcapng blocks of an unknown type are skipped, as the format requires")
    func unknownBlockSkipped() throws {
        let file = TemporaryFile("unknown.pcapng")
        do {
            let writer = try CaptureWriter(path: file.path, format: .pcapng, linkType: .raw)
            writer.write(timestampNanoseconds: base, bytes: packets[0])
            writer.writeRawBlock(type: 0x0000_0BAD, body: Array(repeating: 0xAB, count: 13))
            writer.write(timestampNanoseconds: base + 1, bytes: packets[1])
        }
        let frames = try readAll(file.path)
        #expect(frames.map(\.2) == [packets[0], packets[1]])
    }

    @Test("an unsupported link type is refused at open", arguments: [LinkType.other(105), .other(147)])
    func unsupportedLinkType(linkType: LinkType) throws {
        let file = TemporaryFile("wifi.pcap")
        do {
            let writer = try CaptureWriter(path: file.path, format: .pcap, linkType: linkType)
            writer.write(timestampNanoseconds: base, bytes: [0, 1, 2, 3])
        }
        #expect {
            try CaptureReader(path: file.path)
        } throws: { error in
            guard case .unsupportedLinkType = error as? CaptureError else { return false }
            return true
        }
    }

    @Test("missing files, directories, empty files and non-captures get distinct errors")
    func badFiles() throws {
        #expect(throws: CaptureError.fileNotFound(path: "/nonexistent/x.pcap")) {
            try CaptureReader(path: "/nonexistent/x.pcap")
        }
        let directory = NSTemporaryDirectory()
        #expect(throws: CaptureError.isDirectory(path: directory)) { try CaptureReader(path: directory) }
        let empty = TemporaryFile("empty")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        #expect(throws: CaptureError.emptyFile(path: empty.path)) { try CaptureReader(path: empty.path) }
        let text = TemporaryFile("notes.txt")
        _ = FileManager.default.createFile(atPath: text.path, contents: Data("hello, this is text\n".utf8))
        #expect {
            try CaptureReader(path: text.path)
        } throws: { error in
            guard case .notACaptureFile = error as? CaptureError else { return false }
            return true
        }
    }

    /// Issue 14: a frame handed out per record must cost no reference counting or value-witness
    /// call to copy or drop; the pcapng fields are borrowed from the reader like the bytes.
    @Test("a frame is plain data (trivially copyable), so the read loop pays no retain/release per frame")
    func frameIsPlainData() {
        #expect(_isPOD(Frame.self))
    }

    @Test("microsecond pcap files are recognised as such")
    func microsecondResolution() throws {
        let file = TemporaryFile("us.pcap")
        // A classic little-endian microsecond pcap header with one raw-IP frame.
        var bytes: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                              0xFF, 0xFF, 0, 0, 101, 0, 0, 0]
        let packet = packets[0]
        let length = UInt32(packet.count)
        bytes += [0x10, 0, 0, 0, 0x40, 0xE2, 0x01, 0]  // ts 16 s + 123456 µs
        for _ in 0..<2 { bytes += [UInt8(length & 0xFF), UInt8(length >> 8), 0, 0] }
        bytes += packet
        try Data(bytes).write(to: URL(fileURLWithPath: file.path))
        let reader = try CaptureReader(path: file.path)
        #expect(reader.resolution == .microseconds)
        let frame = try #require(try reader.next())
        #expect(frame.timestampNanoseconds == 16_123_456_000)
    }
}
