import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `peerscope check`, `sessions` and `timeline` as a user runs them: exit codes, JSON, JUnit.
@Suite("check, sessions and timeline commands")
struct CheckCommandTests {
    @Test("exit 0 without a MUST finding, 1 with one, 2 for unusable input")
    func exitCodes() throws {
        let clean = try CLI.peerscope("check", "captures/bfd-ipv4-singlehop.pcap")
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.contains("0 MUST"))
        // In this lab run BIRD used source ports outside 49152–65535: a MUST-level finding.
        let must = try CLI.peerscope("check", "captures/lab/frr-bird-failover.pcap")
        #expect(must.status == 1)
        #expect(must.stdout.contains("BFD.IP.PORT.SRC"))
        let filtered = try CLI.peerscope("check", "--rules", "BFD.TMR.NEGOTIATED", "captures/lab/frr-bird-failover.pcap")
        #expect(filtered.status == 0, "only timer rules selected: \(filtered.stdout)")
        let missing = try CLI.peerscope("check", "/nonexistent.pcap")
        #expect(missing.status == 2)
        #expect(missing.stderrLines.count == 1)
        let badKey = try CLI.peerscope("check", "--key", "x", "captures/bfd-ipv4-singlehop.pcap")
        #expect(badKey.status == 2)
        let badRule = try CLI.peerscope("check", "--rules", "NOPE.RULE", "captures/bfd-ipv4-singlehop.pcap")
        #expect(badRule.status == 2)
    }

    @Test("--json carries sessions, findings and a summary")
    func json() throws {
        let result = try CLI.peerscope("check", "--json", "--key", "1:peerscope", "captures/bfd-auth-keyed-sha1.pcap")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sessions = try #require(object["sessions"] as? [[String: Any]])
        #expect(sessions.count == 1)
        let sides = try #require(sessions.first?["sides"] as? [[String: Any]])
        #expect(sides.count == 2)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["must"] == 0)
    }

    @Test("--junit writes one test case per rule, MUST findings as failures")
    func junit() throws {
        let path = NSTemporaryDirectory() + "peerscope-junit-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.peerscope("check", "--junit", path, "captures/lab/frr-bird-failover.pcap")
        #expect(result.status == 1)
        let xml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.contains("<testcase classname=\"RFC 5881 §4\" name=\"BFD.IP.PORT.SRC\">"))
        #expect(xml.contains("<failure"))
        // Well-formed: the Foundation XML parser reads it to the end and counts the test cases.
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = ElementCounter(name: "testcase")
        parser.delegate = counter
        #expect(parser.parse(), "JUnit XML is not well-formed: \(String(describing: parser.parserError))")
        #expect(counter.count > 40)
    }

    @Test("sessions and timeline read like a router's show commands")
    func sessionsAndTimeline() throws {
        let sessions = try CLI.peerscope("sessions", "captures/bfd-failover.pcap")
        #expect(sessions.status == 0)
        #expect(sessions.stdoutLines.first?.hasPrefix("ID  TYPE") == true)
        #expect(sessions.stdout.contains("(after #1)"))
        #expect(sessions.stdout.contains("1 Control Detection Time Expired"))
        let json = try CLI.peerscope("sessions", "--json", "captures/bfd-failover.pcap")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let list = try #require(object["bfdSessions"] as? [[String: Any]])
        #expect(list.count == 2)
        let timeline = try CLI.peerscope("timeline", "--session", "1", "captures/bfd-failover.pcap")
        #expect(timeline.stdout.contains("Up → Down (diag 1 Control Detection Time Expired)"))
        #expect(timeline.stdout.contains("negotiated: A→B every 300 ms"))
        #expect(!timeline.stdout.contains("Session 2"))
    }
}

extension CheckCommandTests {
    @Test("the lab failover: BGP sessions, the failover table, JSON with the chain")
    func failoverChain() throws {
        let path = "captures/lab/frr-bird-failover.pcap"
        let check = try CLI.peerscope("check", path)
        #expect(check.stdout.contains("BGP session 1  192.0.2.1 ⇄ 192.0.2.2"))
        #expect(check.stdout.contains("failover time (BFD Down → BGP teardown): +50 µs"))
        #expect(check.stdout.contains("BGP.NOTIF.BFD.CEASE"))
        let sessions = try CLI.peerscope("sessions", path)
        #expect(sessions.stdout.contains("NOTIFICATION 6/0 Cease"))
        #expect(sessions.stdout.contains("Established at t=1.051061"))
        let json = try CLI.peerscope("sessions", "--json", path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let failovers = try #require(object["failovers"] as? [[String: Any]])
        #expect(failovers.count == 2)
        // 50 µs from the BFD Down to the NOTIFICATION (schema 1 printed 0.05 ms).
        #expect(failovers.first?["failoverTimeNanoseconds"] as? Int == 50_000)
        #expect(failovers.first?["teardownBy"] as? String == "192.0.2.2")
        let bgp = try #require(object["bgpSessions"] as? [[String: Any]])
        #expect(bgp.first?["closedBy"] as? String == "192.0.2.2")
        let timeline = try CLI.peerscope("timeline", "--bgp-session", "1", path)
        #expect(timeline.stdout.contains("Established (hold time 9 s)"))
        #expect(!timeline.stdout.contains("Session 1  single-hop"))
        let at = try CLI.peerscope("sessions", "--at", "1.5", path)
        #expect(at.status == 0)
        let bad = try CLI.peerscope("sessions", "--at", "-1", path)
        #expect(bad.status == 2)
    }
}

final class ElementCounter: NSObject, XMLParserDelegate {
    let name: String
    var count = 0
    init(name: String) { self.name = name }
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if elementName == name { count += 1 }
    }
}
