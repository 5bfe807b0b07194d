import Foundation
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeWire
import Testing

@Suite("capture-quality findings (§8) from a whole-file analysis")
struct CaptureQualityTests {
    /// Writes the exchange's packets as raw-IPv4 frames, with `extra` frames appended.
    func write(_ exchange: Exchange, extra: [[UInt8]] = [], cutLastBytes: Int = 0, snap: Int? = nil) throws -> String {
        let path = NSTemporaryDirectory() + "peerscope-quality-\(UUID().uuidString).pcap"
        do {
            let writer = try CaptureWriter(path: path, format: .pcap, linkType: .raw)
            for observation in exchange.packets {
                guard case .v4(let source) = observation.source, case .v4(let destination) = observation.destination else { continue }
                let payload = observation.packet.encoded
                var udp: [UInt8] = []
                UDPHeader(sourcePort: observation.sourcePort, destinationPort: observation.destinationPort)
                    .encode(into: &udp, payload: payload, pseudoHeader: .v4(source: source, destination: destination))
                var frame: [UInt8] = []
                IPv4Header(source: source, destination: destination, protocolNumber: IPProtocol.udp, ttl: observation.ttl)
                    .encode(into: &frame, payloadLength: udp.count + payload.count)
                frame += udp + payload
                let kept = snap.map { Array(frame.prefix($0)) } ?? frame
                writer.write(timestampNanoseconds: 1_700_000_000_000_000_000 + observation.timeNanoseconds, bytes: kept,
                             originalLength: frame.count)
            }
            for frame in extra { writer.write(timestampNanoseconds: 1_800_000_000_000_000_000, bytes: frame) }
        }
        if cutLastBytes > 0 {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            let size = try handle.seekToEnd()
            try handle.truncate(atOffset: size - UInt64(cutLastBytes))
            try handle.close()
        }
        return path
    }

    @Test("CAPTURE.UNDECODABLE counts frames whose headers cannot be read; the rest is analysed")
    func undecodable() throws {
        let path = try write(Exchange.clean(seconds: 2), extra: [[0x45, 0, 0]])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analysis = try CaptureAnalysis(path: path)
        #expect(analysis.sessions.count == 1)
        #expect(analysis.findings.contains { $0.rule.id == "CAPTURE.UNDECODABLE" && $0.messageText.contains("ipv4.truncated") })
        let clean = try write(Exchange.clean(seconds: 2))
        defer { try? FileManager.default.removeItem(atPath: clean) }
        #expect(!(try CaptureAnalysis(path: clean)).findings.contains { $0.rule.id.hasPrefix("CAPTURE.") })
    }

    @Test("CAPTURE.TRUNCATED: a file that ends mid-record, and frames cut by snaplen")
    func truncated() throws {
        let cut = try write(Exchange.clean(seconds: 2), cutLastBytes: 10)
        defer { try? FileManager.default.removeItem(atPath: cut) }
        let analysis = try CaptureAnalysis(path: cut)
        #expect(analysis.readError != nil)
        #expect(analysis.sessions.first?.packets ?? 0 > 10)
        #expect(analysis.findings.contains { $0.rule.id == "CAPTURE.TRUNCATED" && $0.messageText.contains("mid-record") })

        let snapped = try write(Exchange.clean(seconds: 1), snap: 40)
        defer { try? FileManager.default.removeItem(atPath: snapped) }
        let snappedAnalysis = try CaptureAnalysis(path: snapped)
        #expect(snappedAnalysis.findings.contains { $0.rule.id == "CAPTURE.TRUNCATED" && $0.messageText.contains("snaplen") })
    }
}
