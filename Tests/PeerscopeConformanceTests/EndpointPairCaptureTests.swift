import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// `captures/bfd-endpoint-pair.pcap` is written by two `BFDEndpoint`s (peerscope-synth drives
/// them), so it is what the one RFC 5880 model sends. The analyzer's rules are a second reading
/// of the same RFC: on this capture they must find nothing at MUST or SHOULD level, and the
/// failover they reconstruct must match RFC 5880 §6.8.4 applied to the generator's configuration
/// (A: 150 ms desired after its change, ×3; B: Required Min RX 500 ms).
@Suite struct EndpointPairCaptureTests {
    static func analysis() throws -> CaptureAnalysis {
        var options = CheckOptions()
        options.keys[1] = Array("peerscope".utf8)
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/bfd-endpoint-pair.pcap").path
        return try CaptureAnalysis(path: path, options: options)
    }

    @Test func theRulesAgreeWithTheEndpoint() throws {
        let analysis = try Self.analysis()
        let serious = analysis.findings.filter { $0.level == .must || $0.level == .should }
        #expect(serious.isEmpty, "\(serious.map { "\($0.rule.id) \($0.frames) \($0.message)" })")
        #expect(analysis.sessions.count == 1)
    }

    @Test func theFailoverIsBsDetectionTime() throws {
        let analysis = try Self.analysis()
        let failover = try #require(analysis.failovers.first)
        #expect(failover.declaredBy == IPAddress("192.0.2.2")!)
        #expect(failover.diagnostic == .controlDetectionTimeExpired)
        // §6.8.4: A's Detect Mult 3 × max(B's Required Min RX 500 ms, A's Desired Min TX 150 ms).
        // The endpoint measures from A's last packet's arrival; the capture sees it leave, one
        // link delay (200 µs, the generator's) earlier.
        let heard = try #require(failover.lastHeardNanoseconds)
        #expect(failover.downNanoseconds - heard == 1_500_000_000 + 200_000)
    }
}
