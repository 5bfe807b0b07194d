import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// `--merge` on two capture points built frame by frame, so the truth is the construction: which
/// point was given which packet. Point P is A's own interface (TTL 255); point Q sits one router
/// further (TTL 254, other MACs) and gets each packet 50 µs later — except the ones the scenario
/// drops between P and Q. A sends identical BFD packets every 100 ms (same bytes, same checksum):
/// only the time window keeps them apart.
@Suite("--merge on synthetic capture points")
struct MergeSyntheticTests {
    static let a = IPAddress("192.0.2.1")!
    static let b = IPAddress("192.0.2.2")!
    static let start: Int64 = 1_700_000_000_000_000_000
    static let interval: Int64 = 100_000_000

    static func bfd(from source: IPAddress, to destination: IPAddress, ttl: UInt8, mac: UInt64) -> [UInt8] {
        var builder = FrameBuilder.udp(from: source, 49_152, to: destination, 3_784)
        builder.ttl = ttl
        builder.link = .ethernet(source: mac, destination: mac + 1)
        return builder.build(payload: BFDControlPacket(state: .up, myDiscriminator: source == a ? 1 : 2,
                                                       yourDiscriminator: source == a ? 2 : 1,
                                                       desiredMinTxInterval: 100_000, requiredMinRxInterval: 100_000).encoded)
    }

    /// Writes P and Q: A's 20 packets at P; at Q all but `lostAtQ` (indices); B's 20 packets only at
    /// Q (P captures one direction only, as `tcpdump -Q out` would).
    static func points(lostAtQ: Set<Int>) throws -> (String, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let p = directory.appendingPathComponent("p.pcap").path, q = directory.appendingPathComponent("q.pcap").path
        let atP = try CaptureWriter(path: p, format: .pcap, linkType: .ethernet)
        let atQ = try CaptureWriter(path: q, format: .pcap, linkType: .ethernet)
        for index in 0..<20 {
            let time = start + Int64(index) * interval
            atP.write(timestampNanoseconds: time, bytes: bfd(from: a, to: b, ttl: 255, mac: 0x0200_0000_0010))
            if !lostAtQ.contains(index) {
                atQ.write(timestampNanoseconds: time + 50_000, bytes: bfd(from: a, to: b, ttl: 254, mac: 0x0200_0000_0020))
            }
            atQ.write(timestampNanoseconds: time + 30_000_000, bytes: bfd(from: b, to: a, ttl: 255, mac: 0x0200_0000_0030))
        }
        atP.flush()
        atQ.flush()
        return (p, q)
    }

    static func merge(_ p: String, _ q: String, window: String? = nil) throws -> [String: Any] {
        let result = try CLI.run(CLI.binary, ["check", "--json", "--merge"] + (window.map { ["--merge-window", $0] } ?? []) + [p, q])
        #expect(result.status != 2, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("intermittent loss then a cut: each packet once, the loss placed between P and Q from the first one missing")
    func intermittentThenCut() throws {
        let lost: Set<Int> = [4, 5, 14, 15, 16, 17, 18, 19]
        let (p, q) = try Self.points(lostAtQ: lost)
        defer { try? FileManager.default.removeItem(atPath: (p as NSString).deletingLastPathComponent) }
        let object = try Self.merge(p, q)
        // 20 packets of A (seen once, whatever the TTL and MACs) and 20 of B.
        #expect(object["frames"] as? Int == 40)
        let merge = try #require(object["merge"] as? [String: Any])
        let losses = try #require(merge["losses"] as? [[String: Any]])
        #expect(losses.count == 1, "B's direction, never seen at P, proves no loss: \(losses)")
        let loss = try #require(losses.first)
        #expect(loss["source"] as? String == "192.0.2.1")
        #expect(loss["upstream"] as? String == p)
        #expect(loss["downstream"] as? String == q)
        #expect(loss["missing"] as? Int == lost.count)
        #expect(loss["seenAtBoth"] as? Int == 20 - lost.count)
        // Packets 6–13 reached Q after the first loss (packet 4): intermittent, not a cut.
        #expect(loss["seenAtBothAfterFirstMissing"] as? Int == 8)
        #expect(loss["cut"] as? Bool == false)
        // Packet 4 is the 9th frame in time order (A0 B0 A1 B1 A2 B2 A3 B3 A4).
        #expect(loss["firstMissingFrame"] as? Int == 9)
        #expect(abs((loss["firstMissingTime"] as? Double ?? 0) - 0.4) < 1e-6)
    }

    @Test("a window shorter than the two points' delay joins nothing")
    func windowTooShort() throws {
        let (p, q) = try Self.points(lostAtQ: [])
        defer { try? FileManager.default.removeItem(atPath: (p as NSString).deletingLastPathComponent) }
        #expect(try Self.merge(p, q)["frames"] as? Int == 40)
        // 10 µs < the 50 µs between P and Q: every copy of A's packets stays apart.
        #expect(try Self.merge(p, q, window: "0.01")["frames"] as? Int == 60)
    }
}
