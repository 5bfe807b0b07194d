import Foundation
import Testing

/// `--max-sessions` on the commands that read captures: the `sessions` table lists at most that many
/// BFD sessions and BGP connections, says how many more were folded (the difference to the same
/// run without a cap), `check` reports CAPTURE.STATE.CAP, and a cap of 0 is a usage error.
@Suite("--max-sessions", .serialized)
struct StateCapCommandTests {
    static let capture = "captures/lab/frr-bgp-bfd-flap.pcap"

    /// "N BFD session(s), M BGP session(s)" of `check`'s last line.
    static func counts(_ output: String) -> (bfd: Int, bgp: Int)? {
        guard let line = output.split(separator: "\n").last(where: { $0.contains(" BFD session(s), ") }) else { return nil }
        let words = line.split(separator: " ")
        guard let bfd = words.firstIndex(of: "BFD").flatMap({ Int(words[$0 - 1]) }),
              let bgp = words.firstIndex(of: "BGP").flatMap({ Int(words[$0 - 1]) })
        else { return nil }
        return (bfd, bgp)
    }

    @Test("sessions notes what was folded; check raises CAPTURE.STATE.CAP; below the cap nothing changes")
    func foldedNoted() throws {
        let full = try CLI.peerscope("check", Self.capture)
        guard let all = Self.counts(full.stdout) else {
            Issue.record("no summary line in: \(full.stdout)")
            return
        }
        #expect(all.bfd >= 2 && all.bgp >= 2)
        #expect(!full.stdout.contains("CAPTURE.STATE.CAP"))

        let sessions = try CLI.peerscope("sessions", "--max-sessions", "1", Self.capture)
        #expect(sessions.status == 0)
        #expect(sessions.stdout.contains("FOLDED: \(all.bfd - 1) more BFD session(s)"))
        #expect(sessions.stdout.contains("FOLDED: \(all.bgp - 1) more BGP connection(s)"))

        let capped = try CLI.peerscope("check", "--max-sessions", "1", Self.capture)
        #expect(Self.counts(capped.stdout).map { [$0.bfd, $0.bgp] } == [1, 1])
        #expect(capped.stdout.contains("CAPTURE.STATE.CAP"))
        #expect(capped.stdout.contains("\(all.bfd - 1) BFD session(s) folded"))

        let exact = try CLI.peerscope("check", "--max-sessions", "\(max(all.bfd, all.bgp))", Self.capture)
        #expect(exact.stdout == full.stdout)
        #expect(exact.status == full.status)
    }

    @Test("a cap of 0 sessions or 0 MiB is a usage error (exit 2)")
    func zeroRejected() throws {
        #expect(try CLI.peerscope("check", "--max-sessions", "0", Self.capture).status == 2)
        #expect(try CLI.peerscope("sessions", "--max-reassembly", "0", Self.capture).status == 2)
    }
}
