import Foundation
import PeerscopeConformance
import Testing

/// The findings of every committed capture are kept under `conformance/expected/` and compared on
/// every run, so a rule change that alters what a real capture shows is a visible diff.
/// `PEERSCOPE_UPDATE_GOLDEN=1 swift test --filter GoldenFindings` rewrites them (review the diff).
@Suite("golden findings for every committed capture", .serialized)
struct GoldenFindingsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func captures() -> [String] {
        let base = root.appendingPathComponent("captures")
        let all = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    /// One line per finding: level, rule, session, side, first frames, count.
    static func summary(of capture: String) throws -> String {
        let path = root.appendingPathComponent("captures/\(capture)").path
        var options = CheckOptions()
        let keysFile = root.appendingPathComponent("conformance/expected/\(capture).keys")
        if let keys = try? String(contentsOf: keysFile, encoding: .utf8) {
            for line in keys.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, let id = UInt8(parts[0]) { options.keys[id] = Array(parts[1].utf8) }
            }
        }
        let analysis = try CaptureAnalysis(path: path, options: options)
        var lines = ["# \(capture): \(analysis.sessions.count) BFD session(s), \(analysis.bgpSessions.count) BGP session(s), "
                     + "\(analysis.tally.frames) frames, \(analysis.failovers.count) failover(s)"]
        for finding in analysis.findings {
            var line = "\(finding.level) \(finding.rule.id)"
            if let session = finding.sessionID { line += " session=\(session)" }
            if let session = finding.bgpSessionID { line += " bgp-session=\(session)" }
            if let side = finding.side { line += " side=\(side)" }
            if !finding.frames.isEmpty { line += " frames=\(finding.frames.map(String.init).joined(separator: ","))" }
            if finding.occurrences > 1 { line += " x\(finding.occurrences)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("findings equal conformance/expected/", arguments: captures())
    func golden(capture: String) throws {
        let actual = try Self.summary(of: capture)
        let expectedURL = Self.root.appendingPathComponent("conformance/expected/\(capture).findings")
        if ProcessInfo.processInfo.environment["PEERSCOPE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: expectedURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: expectedURL, encoding: .utf8)
        #expect(expected != nil, "no golden file for \(capture): run with PEERSCOPE_UPDATE_GOLDEN=1 and review it")
        if let expected { #expect(actual == expected, "findings of \(capture) changed:\n\(actual)") }
    }
}
