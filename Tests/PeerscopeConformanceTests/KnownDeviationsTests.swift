import Foundation
import PeerscopeConformance
import Testing

/// Issue 11 item 12, the guard against false MUSTs: `check` over every committed capture from real
/// daemons (`captures/lab/`, each described by a manifest) may raise a MUST only where
/// `conformance/known-deviations.md` lists it with its capture, side and frames and says why the
/// packets prove it. A new real capture is covered as soon as it is committed. A MUST the packets
/// do not prove is fixed in the rule, never listed.
@Suite("no MUST on a real capture unless it is a listed, proven deviation", .serialized)
struct KnownDeviationsTests {
    struct Entry: Hashable, CustomStringConvertible {
        var rule: String
        var capture: String
        var side: String
        var frames: String
        var description: String { "| \(rule) | \(capture) | \(side) | \(frames) |" }
    }

    /// The rows of the "Proven MUST findings" table: rule, capture, side, frames, why.
    static func listed() throws -> [Entry] {
        let url = GoldenFindingsTests.root.appendingPathComponent("conformance/known-deviations.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return KnownDeviations(markdown: text).entries.map {
            Entry(rule: $0.rule, capture: $0.capture, side: $0.side, frames: $0.frames)
        }
    }

    static func realCaptures() -> [String] {
        GoldenFindingsTests.captures().filter { $0.hasPrefix("lab/") }
    }

    static func mustFindings(_ capture: String) throws -> [Entry] {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/\(capture)").path
        var options = CheckOptions()
        let keysFile = GoldenFindingsTests.root.appendingPathComponent("conformance/expected/\(capture).keys")
        if let keys = try? String(contentsOf: keysFile, encoding: .utf8) {
            for line in keys.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, let id = UInt8(parts[0]) { options.keys[id] = Array(parts[1].utf8) }
            }
        }
        let analysis = try CaptureAnalysis(path: path, options: options)
        return analysis.findings.filter { $0.level == .must }.map { finding in
            Entry(rule: finding.rule.id, capture: capture, side: finding.side ?? "-",
                  frames: finding.frames.map(String.init).joined(separator: ","))
        }
    }

    @Test("the lab's captures are there to check")
    func capturesPresent() {
        #expect(Self.realCaptures().count >= 10)
    }

    @Test("every MUST on a real capture is listed with its capture, side and frames", arguments: realCaptures())
    func everyMustListed(capture: String) throws {
        let listed = Set(try Self.listed())
        for finding in try Self.mustFindings(capture) {
            #expect(listed.contains(finding), "MUST not in conformance/known-deviations.md: \(finding)")
        }
    }

    @Test("every listed deviation still occurs (the list does not rot)")
    func everyListedOccurs() throws {
        let listed = try Self.listed()
        #expect(!listed.isEmpty)
        var found = Set<Entry>()
        for capture in Set(listed.map(\.capture)) { found.formUnion(try Self.mustFindings(capture)) }
        for entry in listed { #expect(found.contains(entry), "listed but not found: \(entry)") }
    }
}
