import Foundation
import Testing

/// `check --gtsm`/`--gtsm-peer` and the positive authentication count, as a user runs them. Truth:
/// tshark's reading of the same captures (TTLs of the BGP packets, BFD packets per sender and key).
@Suite("check --gtsm and authentication counts")
struct RuleOptionsCommandTests {
    /// `field` of every frame matching `filter`, one line each, per tshark.
    static func tshark(_ capture: String, _ filter: String, _ fields: [String]) throws -> [String] {
        let tshark = try #require(CLI.which("tshark"), "tshark not found: run tools/setup")
        let result = try CLI.run(tshark, ["-r", CLI.packageRoot.appendingPathComponent(capture).path, "-Y", filter, "-T", "fields"]
                                 + fields.flatMap { ["-e", $0] })
        return result.stdoutLines
    }

    @Test("GTSM known on: TTL-1 eBGP is a MUST (exit 1); not known, or on for another peer, it is not")
    func gtsm() throws {
        let capture = "captures/lab/frr-bird-v4.pcap"
        // The lab's eBGP runs with TTL 1 both ways.
        #expect(Set(try Self.tshark(capture, "bgp", ["ip.ttl"])) == ["1"])
        let unknown = try CLI.peerscope("check", capture)
        #expect(unknown.status == 0, "\(unknown.stdout)")
        let on = try CLI.peerscope("check", "--gtsm", "--rules", "BGP.IP.GTSM", capture)
        #expect(on.status == 1)
        #expect(on.stdoutLines.filter { $0.contains("MUST") && $0.contains("BGP.IP.GTSM") }.count == 2)
        let peer = try CLI.peerscope("check", "--gtsm-peer", "192.0.2.2", "--rules", "BGP.IP.GTSM", capture)
        #expect(peer.status == 1)
        let other = try CLI.peerscope("check", "--gtsm-peer", "198.51.100.9", capture)
        #expect(other.status == 0)
        let bad = try CLI.peerscope("check", "--gtsm-peer", "not-an-address", capture)
        #expect(bad.status == 2)
        #expect(bad.stderrLines.count == 1)
    }

    @Test("with the right key: N of N verified with key 1, in check, sessions and JSON")
    func authenticationCounted() throws {
        let capture = "captures/bfd-auth-keyed-sha1.pcap"
        let fromA = try Self.tshark(capture, "bfd && ip.src == 192.0.2.1 && bfd.auth.key == 1", ["frame.number"]).count
        #expect(fromA > 0)
        let text = "\(fromA) of \(fromA) packet(s) verified with key 1"
        let check = try CLI.peerscope("check", "--key", "1:peerscope", capture)
        #expect(check.stdout.contains(text), "\(check.stdout)")
        let sessions = try CLI.peerscope("sessions", "--key", "1:peerscope", capture)
        #expect(sessions.status == 0)
        #expect(sessions.stdout.contains("AUTH session 1 192.0.2.1: keyed-sha1 key 1, " + text), "\(sessions.stdout)")
        let json = try CLI.peerscope("check", "--json", "--key", "1:peerscope", capture)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let sides = try #require((object["sessions"] as? [[String: Any]])?.first?["sides"] as? [[String: Any]])
        let a = try #require(sides.first { $0["address"] as? String == "192.0.2.1" })
        let auth = try #require(a["authentication"] as? [String: Any])
        #expect(auth["verified"] as? Int == fromA)
        #expect(auth["packets"] as? Int == fromA)
        #expect(auth["keyId"] as? Int == 1)
        // Without the key nothing is claimed verified.
        let unkeyed = try CLI.peerscope("check", capture)
        #expect(!unkeyed.stdout.contains("verified with key"))
    }
}
