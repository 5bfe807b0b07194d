import Foundation
import PeerscopeReport
import Testing

/// `peerscope report`: the page says what `check` says (exit status, findings) and what
/// `sessions --json` counts, and nothing from the wire can leave the embedded JSON. The judges are
/// `check --json` / `sessions --json` of the same file and Foundation's JSON parser; the hostile
/// text is the test's own input.
@Suite("peerscope report: the page and its model")
struct ReportCommandTests {
    /// What HTML's script data state reacts to, a line separator and a closing tag in one string.
    static let breakout = "</script><script>alert(1)</script><!-- \u{2028}\u{2029} & --> <b>"

    static func temporary(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-report-\(UUID().uuidString)\(suffix)").path
    }

    /// The text between `<script type="application/json" id="report-data">` and the next `</script>`.
    static func embeddedJSON(_ page: String) -> String? {
        guard let start = page.range(of: "<script type=\"application/json\" id=\"report-data\">"),
              let end = page.range(of: "</script>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.upperBound..<end.lowerBound])
    }

    static func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("script JSON: markup characters and U+2028/9 escaped, Foundation's parser reads the same text back")
    func scriptJSON() throws {
        let document = "{\"text\":" + WireText.jsonString(Self.breakout) + "}"
        let safe = WireText.scriptJSON(document)
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!safe.contains(forbidden), "\(forbidden) left raw") }
        let parsed = try JSONSerialization.jsonObject(with: Data(safe.utf8)) as? [String: String]
        #expect(parsed?["text"] == Self.breakout)
        #expect(WireText.html("<b a=\"1\">'&'</b>") == "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;")
        #expect(WireText.html("hold 90 s → Established") == "hold 90 s → Established")
    }

    @Test("a shutdown communication and an FQDN hostname with </script>, <!-- and U+2028 stay inside the JSON")
    func hostileWire() throws {
        let capture = try EscapingTests.hostileCapture(text: Self.breakout)
        let output = Self.temporary(".html")
        defer { try? FileManager.default.removeItem(atPath: capture); try? FileManager.default.removeItem(atPath: output) }
        let result = try CLI.peerscope("report", capture, "-o", output)
        let check = try CLI.peerscope("check", capture)
        #expect(result.status == check.status)
        let page = try String(contentsOfFile: output, encoding: .utf8)
        // Two script elements (the data and the code), no comment opened, no raw separators.
        #expect(Self.occurrences(of: "<script", in: page) == 2)
        #expect(Self.occurrences(of: "</script", in: page) == 2)
        #expect(!page.contains("<!--"))
        #expect(!page.contains("\u{2028}") && !page.contains("\u{2029}"))
        #expect(!page.contains("<b>"))
        let json = try #require(Self.embeddedJSON(page))
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
        // The NOTIFICATION's shutdown communication reads back whole (RFC 9003 §2 lets a peer say anything).
        let texts = document.files.flatMap(\.bgpSessions).flatMap(\.events).map(\.text)
        #expect(texts.contains { $0.contains("</script><script>alert(1)</script><!--") }, "\(texts)")
    }

    @Test("exit status, findings rows and session counts equal check --json and sessions --json", arguments: [
        "captures/lab/frr-bird-failover-3.pcap", "captures/lab/gobgp-frr-families.pcap", "captures/bfd-failover.pcap",
        "captures/bfd-auth-simple.pcap",
    ])
    func agreesWithCheck(capture: String) throws {
        let output = Self.temporary(".html")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try CLI.peerscope("report", capture, "-o", output)
        let check = try CLI.peerscope("check", capture, "--json")
        let sessions = try CLI.peerscope("sessions", capture, "--json")
        #expect(result.status == check.status)
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [String: Any])
        let page = try String(contentsOfFile: output, encoding: .utf8)
        let findings = (checked["findings"] as? [Any])?.count ?? -1
        #expect(Self.occurrences(of: "<tr class=\"finding\"", in: page) == findings)
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(try #require(Self.embeddedJSON(page)).utf8))
        let file = try #require(document.files.first)
        #expect(file.bfdSessions.count == (listed["bfdSessions"] as? [Any])?.count)
        #expect(file.bgpSessions.count == (listed["bgpSessions"] as? [Any])?.count)
        #expect(file.failovers.count == (listed["failovers"] as? [Any])?.count)
        #expect(document.summary.exitCode == Int(check.status))
        let summary = checked["summary"] as? [String: Int] ?? [:]
        #expect(document.summary.findings == summary)
        // One model: check --json and sessions --json decode into the very records the page embeds,
        // and they are equal field by field (sessions, timelines, failovers, typed findings).
        let checkRecord = try JSONDecoder().decode(CheckRecord.self, from: Data(check.stdout.utf8))
        let sessionsRecord = try JSONDecoder().decode(SessionsRecord.self, from: Data(sessions.stdout.utf8))
        #expect(checkRecord.schema == document.schema && sessionsRecord.schema == document.schema)
        #expect(file.bfdSessions == checkRecord.sessions && file.bfdSessions == sessionsRecord.bfdSessions)
        #expect(file.bgpSessions == checkRecord.bgpSessions && file.bgpSessions == sessionsRecord.bgpSessions)
        #expect(file.failovers == checkRecord.failovers && file.failovers == sessionsRecord.failovers)
        #expect(file.findings == checkRecord.findings)
        #expect(file.frames == checkRecord.frames && file.path == checkRecord.file)
    }

    @Test("check's options: --rules and --min-level narrow the page as they narrow check")
    func sharedOptions() throws {
        let capture = "captures/lab/frr-bird-failover-3.pcap"
        let output = Self.temporary(".html")
        defer { try? FileManager.default.removeItem(atPath: output) }
        for options in [["--rules", "BFD.CLIENT"], ["--min-level", "must"]] {
            let result = try CLI.run(CLI.binary, ["report", capture, "-o", output] + options)
            let check = try CLI.run(CLI.binary, ["check", capture, "--json"] + options)
            #expect(result.status == check.status)
            let checked = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
            let page = try String(contentsOfFile: output, encoding: .utf8)
            #expect(Self.occurrences(of: "<tr class=\"finding\"", in: page) == (checked?["findings"] as? [Any])?.count)
        }
        let bad = try CLI.peerscope("report", capture, "-o", output, "--rules", "NO.SUCH")
        #expect(bad.status == 2)
        let missing = try CLI.peerscope("report", "-o", output)
        #expect(missing.status == 2)
    }
}
