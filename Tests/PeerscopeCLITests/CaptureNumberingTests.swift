import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// A BGP connection whose second KEEPALIVE from A was never captured nor acknowledged in the
/// capture; the frames after it are numbered and timed as tshark numbers and times them.
private func writeHoleCapture(_ path: String) throws {
    let a = IPAddress.v4(IPv4Address(192, 0, 2, 1))
    let b = IPAddress.v4(IPv4Address(192, 0, 2, 2))
    let keepalive = BGPMessage.keepalive.encoded()
    let notification = BGPMessage.notification(BGPNotification(code: 6, subcode: 2)).encoded()
    let writer = try CaptureWriter(path: path, format: .pcap, linkType: .ethernet)
    func segment(_ fromA: Bool, _ seconds: Int64, sequence: UInt32, ack: UInt32, flags: TCPFlags, _ payload: [UInt8] = []) {
        let tcp = TCPHeader(sourcePort: fromA ? 50_000 : 179, destinationPort: fromA ? 179 : 50_000,
                            sequenceNumber: sequence, acknowledgmentNumber: ack, flags: flags)
        let builder = FrameBuilder(source: fromA ? a : b, destination: fromA ? b : a, transport: .tcp(tcp))
        writer.write(timestampNanoseconds: 1_700_000_000_000_000_000 + seconds * 1_000_000_000, bytes: builder.build(payload: payload))
    }
    segment(true, 0, sequence: 999, ack: 0, flags: [.syn])
    segment(false, 1, sequence: 4_999, ack: 1_000, flags: [.syn, .ack])
    segment(true, 2, sequence: 1_000, ack: 5_000, flags: [.ack, .psh], keepalive)
    // 1019..<1038 lost: never captured, never acknowledged.
    segment(true, 4, sequence: 1_038, ack: 5_000, flags: [.ack, .psh], keepalive)
    segment(true, 5, sequence: 1_057, ack: 5_000, flags: [.ack, .psh], notification)
}

/// tshark's frame numbers and relative times of BGP messages (the oracle).
private func tsharkBGP(_ path: String, filter: String? = nil) throws -> [String] {
    let tshark = try #require(CLI.which("tshark"), "tshark not found: run tools/setup")
    var arguments = ["-r", path, "-Y", "bgp", "-T", "fields", "-e", "frame.number", "-e", "frame.time_relative"]
    if let filter { arguments += ["-f", filter] }
    return try CLI.run(tshark, arguments).stdoutLines
}

@Suite("frame numbers and times under holes and filters", .serialized)
struct CaptureNumberingTests {
    @Test("decode -Y bgp shows the messages after a hole at their own frames and times, as tshark does")
    func holeFramesMatchTshark() throws {
        let path = NSTemporaryDirectory() + "peerscope-hole-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeHoleCapture(path)
        let ours = try CLI.peerscope("decode", "-Y", "bgp", path)
        #expect(ours.status == 0)
        let frames = ours.stdoutLines.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        let expected = try tsharkBGP(path).map {
            let columns = $0.split(separator: "\t")
            return "\(columns[0]) \(String(format: "%.9f", Double(columns[1]) ?? -1))"
        }
        #expect(frames == expected, "ours: \(ours.stdout)")
        #expect(frames.count == 3)
    }

    @Test("-f keeps the file's frame numbers and time origin; a filter matching nothing says so")
    func filterKeepsNumbering() throws {
        let path = NSTemporaryDirectory() + "peerscope-filter-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeHoleCapture(path)
        let ours = try CLI.peerscope("decode", "-Y", "bgp", "-f", "tcp src port 50000", path)
        // Unfiltered, tshark puts the NOTIFICATION at frame 5, 5 s after frame 1.
        let last = try #require(try tsharkBGP(path).last).split(separator: "\t")
        #expect(ours.stdoutLines.last?.hasPrefix("     \(last[0])  5.000000") == true, "ours: \(ours.stdout)")
        let none = try CLI.peerscope("decode", "-f", "udp port 9", path)
        #expect(none.status == 0)
        #expect(none.stderr.contains("matched none of the 5 frame(s)"))
    }
}
