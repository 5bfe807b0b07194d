import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import Testing

/// `peerscope live` promises the findings `check` gives for the file it wrote. The same frames fed
/// from memory with idle ticks between them (as a live source yields them) must therefore give
/// exactly the findings of the committed capture read from its file, whose findings the golden
/// tests hold against CONFORMANCE.md and tshark.
@Suite struct PipelineSourceTests {
    /// Every frame of `path`, with an idle tick 50 ms after each frame (and one far past the end:
    /// every detection time has passed).
    static func memoryCopy(of path: String) throws -> MemoryFrameSource {
        let reader = try CaptureReader(path: path)
        var items: [MemoryFrameSource.Item] = []
        var last: Int64 = 0
        while let frame = try reader.next() {
            items.append(.frame(timestampNanoseconds: frame.timestampNanoseconds, bytes: Array(frame.bytes),
                                originalLength: frame.originalLength))
            items.append(.idle(nowNanoseconds: frame.timestampNanoseconds + 50_000_000))
            last = frame.timestampNanoseconds
        }
        items.append(.idle(nowNanoseconds: last + 60_000_000_000))
        return MemoryFrameSource(items, linkType: reader.linkType, resolution: reader.resolution)
    }

    static func summary(_ analysis: CaptureAnalysis) -> [String] {
        analysis.findings.map { "\($0.rule.id) \($0.level) \($0.sessionID ?? 0) \($0.side ?? "") \($0.frames) \(String(describing: $0.measured)) \($0.message) ×\($0.occurrences)" }
    }

    @Test("idle ticks change no finding: a lab capture fed from memory with ticks gives the file's findings",
          arguments: ["lab/frr-bird-failover.pcap", "bfd-failover-oneway.pcap", "lab/frr-bgp-bfd-flap.pcap"])
    func ticksChangeNoFinding(capture: String) throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/\(capture)").path
        let fromFile = try CaptureAnalysis(path: path)
        let fromMemory = try CaptureAnalysis(source: Self.memoryCopy(of: path), path: path)
        #expect(!fromFile.findings.isEmpty)
        #expect(Self.summary(fromMemory) == Self.summary(fromFile))
        #expect(fromMemory.sessions.count == fromFile.sessions.count)
        #expect(fromMemory.failovers.count == fromFile.failovers.count)
    }

    @Test("the session stage runs no rule: same sessions and failover chain, no rule finding")
    func sessionStageRunsNoRules() throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/lab/frr-bird-failover.pcap").path
        let full = try CaptureAnalysis(path: path)
        let sessionsOnly = try CaptureAnalysis(path: path, stages: .sessions)
        #expect(sessionsOnly.engine.findings.count == 0 && sessionsOnly.bgpEngine.findings.count == 0)
        #expect(sessionsOnly.sessions.map(\.events.count) == full.sessions.map(\.events.count))
        #expect(sessionsOnly.bgpSessions.map(\.events.count) == full.bgpSessions.map(\.events.count))
        #expect(sessionsOnly.failovers.count == full.failovers.count && !full.failovers.isEmpty)
    }
}
