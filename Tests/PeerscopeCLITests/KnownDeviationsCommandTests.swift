import Foundation
import Testing

/// Issue 11, "done means": `check` exits 0 on every real capture whose only MUSTs are known
/// deviations — with `--known-deviations`, which reads conformance/known-deviations.md's table
/// (whose rows KnownDeviationsTests proves are exactly the MUSTs of the lab captures).
@Suite("check --known-deviations")
struct KnownDeviationsCommandTests {
    static let table = CLI.packageRoot.appendingPathComponent("conformance/known-deviations.md").path

    static func labCaptures() -> [String] {
        CLI.captureFiles().filter { $0.contains("/lab/") }
    }

    @Test("every lab capture: exit 0 with the table, and 1 without it exactly when it has a MUST", arguments: labCaptures())
    func labCapture(path: String) throws {
        let plain = try CLI.peerscope("check", path)
        let known = try CLI.peerscope("check", "--known-deviations", Self.table, path)
        #expect(known.status == 0, "\(path): \(known.stdoutLines.suffix(2))")
        let hasMust = plain.stdoutLines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("MUST ") }
        #expect(plain.status == (hasMust ? 1 : 0), "\(path)")
        #expect(plain.stdout.count < known.stdout.count || !hasMust, "the known deviations are still printed, with a count")
    }

    @Test("a MUST whose row is removed counts again (the table is read, not ignored)")
    func rowRemoved() throws {
        let text = try String(contentsOfFile: Self.table, encoding: .utf8)
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !($0.contains("| lab/admin-down.pcap |") && $0.contains("| 93 |")) }
        #expect(kept.count + 1 == text.split(separator: "\n", omittingEmptySubsequences: false).count)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-known-\(UUID().uuidString).md").path
        try kept.joined(separator: "\n").write(toFile: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let capture = CLI.packageRoot.appendingPathComponent("captures/lab/admin-down.pcap").path
        #expect(try CLI.peerscope("check", "--known-deviations", copy, capture).status == 1)
        #expect(try CLI.peerscope("check", "--known-deviations", Self.table, capture).status == 0)
    }

    @Test("an unreadable table is a usage error")
    func unreadable() throws {
        let capture = CLI.packageRoot.appendingPathComponent("captures/lab/admin-down.pcap").path
        let run = try CLI.peerscope("check", "--known-deviations", "/nonexistent/known.md", capture)
        #expect(run.status == 2)
        #expect(run.stderrLines.count == 1)
    }
}
