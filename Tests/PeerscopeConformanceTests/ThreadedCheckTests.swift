import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import Testing

/// `check --threads 2` promises the single-threaded findings (issue 14). The oracle is the
/// single-threaded run on the same file, whose findings the golden tests hold against
/// CONFORMANCE.md, tshark and the lab's configurations: every field of every finding, the session
/// tables, the decode tally and the capture-quality counters must be equal, on every committed
/// capture and on small rings that force the reading thread to wait.
@Suite struct ThreadedCheckTests {
    static func findingLines(_ analysis: CaptureAnalysis) -> [String] {
        analysis.findings.map { finding in
            // Typed values and the message template compare structurally (their
            // `String(describing:)`), not only as the text a renderer makes of them.
            let values: [String] = [finding.measured, finding.expected, finding.tolerance].map { value in
                value.map { String(describing: $0) } ?? ""
            }
            let head: [String] = [finding.rule.id, "\(finding.level)", "\(finding.sessionID ?? -1)",
                                  "\(finding.bgpSessionID ?? -1)", finding.side ?? "", "\(finding.frames)"]
            let tail: [String] = [String(describing: finding.message), "×\(finding.occurrences)",
                                  "\(finding.relativeTimeNanoseconds ?? -1)"]
            return (head + values + tail).joined(separator: " | ")
        }
    }

    /// What `sessions` shows, reduced to values: each BFD session's key, sides, events and counts,
    /// each BGP session's speakers, messages and routes, the failover chain.
    static func sessionLines(_ analysis: CaptureAnalysis) -> [String] {
        analysis.sessions.map { "bfd \($0.id) \($0.transport) \($0.events.count) events: \($0.events)" }
            + analysis.bgpSessions.map { "bgp \($0.id) \($0.events.count) events: \($0.events)" }
            + analysis.failovers.map { "failover \($0)" }
    }

    static func counters(_ analysis: CaptureAnalysis) -> String {
        let tally = analysis.tally
        return "frames \(tally.frames) bfd \(tally.bfdControlTotal) echo \(tally.bfdEcho) bgp \(tally.bgpSegments) "
            + "udp \(tally.otherUDP) tcp \(tally.otherTCP) ip \(tally.otherIP) notIP \(tally.notIP) snapped \(tally.snapped) "
            + "malformed \(tally.bfdMalformed.sorted { $0.key < $1.key }) undecodable \(tally.undecodable.sorted { $0.key < $1.key }) "
            + "records \(analysis.recordsRead) first \(analysis.firstTimestampNanoseconds ?? -1) last \(analysis.lastTimestampNanoseconds ?? -1) "
            + "back \(analysis.backwardSteps) \(analysis.backwardFrames) error \(analysis.readError.map { "\($0)" } ?? "none")"
    }

    @Test("two threads give the single-threaded findings, sessions and counters on every committed capture")
    func everyCapture() throws {
        let captures = GoldenFindingsTests.captures()
        #expect(captures.count >= 30)
        var withFindings = 0
        for capture in captures {
            let path = GoldenFindingsTests.root.appendingPathComponent("captures/\(capture)").path
            let single = try CaptureAnalysis(source: CaptureReader(path: path), path: path, threads: 1)
            let threaded = try CaptureAnalysis(source: CaptureReader(path: path), path: path, threads: 2)
            #expect(Self.findingLines(threaded) == Self.findingLines(single), "\(capture)")
            #expect(Self.sessionLines(threaded) == Self.sessionLines(single), "\(capture)")
            #expect(Self.counters(threaded) == Self.counters(single), "\(capture)")
            if !single.findings.isEmpty { withFindings += 1 }
        }
        #expect(withFindings >= 20)
    }

    @Test("a BPF filter and a file cut mid-record: the same frames numbered the same, the same truncation finding")
    func filterAndCut() throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/lab/frr-bgp-bfd-flap.pcap").path
        for filter in ["udp port 3784", "tcp port 179"] {
            let single = try CaptureAnalysis(source: CaptureReader(path: path, filter: filter), path: path, threads: 1)
            let threaded = try CaptureAnalysis(source: CaptureReader(path: path, filter: filter), path: path, threads: 2)
            #expect(single.tally.frames > 0 && single.tally.frames < single.recordsRead)
            #expect(Self.findingLines(threaded) == Self.findingLines(single), "\(filter)")
            #expect(Self.counters(threaded) == Self.counters(single), "\(filter)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-threads-\(UUID().uuidString).pcap")
        defer { try? FileManager.default.removeItem(at: cut) }
        try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
        let single = try CaptureAnalysis(source: CaptureReader(path: cut.path), path: cut.path, threads: 1)
        let threaded = try CaptureAnalysis(source: CaptureReader(path: cut.path), path: cut.path, threads: 2)
        #expect(single.readError != nil)
        #expect(Self.findingLines(threaded) == Self.findingLines(single))
        #expect(Self.counters(threaded) == Self.counters(single))
    }

    @Test("idle ticks through the reading thread: the silences the single-threaded run notices, at the same ticks")
    func idleTicks() throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/bfd-failover-oneway.pcap").path
        var single = CaptureAnalysis.pipeline(options: CheckOptions(), resolution: .microseconds)
        var silences: [BFDSilence] = []
        let source = try PipelineSourceTests.memoryCopy(of: path)
        while true {
            switch try source.nextEvent() {
            case .frame(let frame): single.ingest(frame, sourceOrigin: source.originNanoseconds)
            case .idle(let now): silences += single.tick(nowNanoseconds: now)
            case .end: single.finish()
            }
            if single.isFinished { break }
        }
        var threaded = CaptureAnalysis.pipeline(options: CheckOptions(), resolution: .microseconds)
        try threaded.runReadingAhead(PipelineSourceTests.memoryCopy(of: path))
        #expect(!silences.isEmpty)
        // The threaded run's watch saw the same ticks: the same sides are silent since the same frames.
        #expect(!single.silence.silent.isEmpty)
        #expect(threaded.silence.silent == single.silence.silent)
        let a = CaptureAnalysis(finished: single, path: path, resolution: .microseconds, recordsRead: 0)
        let b = CaptureAnalysis(finished: threaded, path: path, resolution: .microseconds, recordsRead: 0)
        #expect(Self.findingLines(b) == Self.findingLines(a))
        #expect(Self.sessionLines(b) == Self.sessionLines(a))
    }
}
