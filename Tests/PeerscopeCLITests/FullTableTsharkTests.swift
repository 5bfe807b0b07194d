import Foundation
import Testing

/// `peerscope-synth full-table` (the benchmark's full Internet table, here scaled down) read by
/// peerscope and by tshark: the routes peerscope holds per family are the prefixes tshark lists in
/// the UPDATEs' NLRI (IPv4) and MP_REACH_NLRI (IPv6, RFC 4760) — every prefix is announced once, none
/// withdrawn, so the Adj-RIB-In is exactly the set of announced prefixes.
@Suite("full-table capture: routes held agree with tshark")
struct FullTableTsharkTests {
    @Test("3,000 IPv4 and 600 IPv6 prefixes: peerscope holds what tshark lists, per family")
    func routesHeldMatchTshark() throws {
        guard let tshark = CLI.which("tshark") else { return }
        let synth = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent()
            .appendingPathComponent("peerscope-synth").path
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-full-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let made = try CLI.run(synth, ["full-table", file, "--ipv4", "3000", "--ipv6", "600", "--paths", "50"])
        try #require(made.status == 0, "\(made.stderr)")

        let shark = try CLI.run(tshark, ["-2", "-r", file, "-R", "bgp", "-T", "fields",
                                         "-e", "bgp.nlri_prefix", "-e", "bgp.mp_reach_nlri_ipv6_prefix"])
        try #require(shark.status == 0, "\(shark.stderr)")
        var v4: [String] = [], v6: [String] = []
        for line in shark.stdoutLines {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            v4 += columns.first.map { $0.split(separator: ",").map(String.init) } ?? []
            if columns.count > 1 { v6 += columns[1].split(separator: ",").map(String.init) }
        }
        #expect(v4.count == 3_000 && Set(v4).count == 3_000)
        #expect(v6.count == 600 && Set(v6).count == 600)

        let result = try CLI.peerscope("sessions", "--json", file)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sessions = try #require(object["bgpSessions"] as? [[String: Any]])
        #expect(sessions.count == 1)
        let speakers = try #require(sessions.first?["speakers"] as? [[String: Any]])
        let sender = try #require(speakers.first { ($0["routesHeld"] as? Int ?? 0) > 0 })
        #expect(sender["routesHeld"] as? Int == v4.count + v6.count)
        let families = try #require(sender["routesPerFamily"] as? [[String: Any]])
        let held = Dictionary(families.compactMap { entry -> (String, Int)? in
            guard let routes = entry["routesHeld"] as? Int else { return nil }
            return ("\(entry["afi"] ?? "?")/\(entry["safi"] ?? "?")", routes)
        }, uniquingKeysWith: +)
        #expect(held["1/1"] == v4.count, "\(families)")
        #expect(held["2/1"] == v6.count, "\(families)")
    }
}
