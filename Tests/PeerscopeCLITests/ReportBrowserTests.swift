import Foundation
import PeerscopeReport
import Testing

/// Whether the browser and the parser are there (outside the suite: its trait cannot name it).
enum Browser {
    static let chromium = CLI.which("chromium")
    /// Debian's python3 first: python3-html5lib is installed for it, not for a pyenv on the PATH.
    static let python = ["/usr/bin/python3", CLI.which("python3")].compactMap { $0 }.first { path in
        FileManager.default.isExecutableFile(atPath: path) && (try? CLI.run(path, ["-c", "import html5lib"]).status) == 0
    }
    static let available = chromium != nil && python != nil
}

/// `peerscope report` pages in a real browser: Debian's headless Chromium with every request sent
/// to a dead proxy (and the page's own CSP forbids any), html5lib as the HTML parser. Judges: the
/// HTML5 parsing algorithm (html5lib, strict), Chromium's console, `check --json` and
/// `sessions --json` counts, the lab manifest's facts for frr-bird-failover-3, and the pixels of a
/// screenshot. Skipped where Chromium or html5lib is missing (`tools/setup --report` installs both;
/// `make test` runs it as root in CI).
@Suite("peerscope report in headless Chromium", .enabled(if: Browser.available), .serialized)
struct ReportBrowserTests {
    static var chromium: String? { Browser.chromium }
    /// The page draws this many strips per kind, then offers "draw more".
    static let stripsPerPage = 60

    struct Loaded {
        var dom: String
        var console: [String]
    }

    /// Loads `page` headless; `screenshot` also writes a PNG of the first 1280×2400 pixels.
    static func load(_ page: String, screenshot: String? = nil, fragment: String = "") throws -> Loaded {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-chromium-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                         "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--enable-logging=stderr", "--v=0", "--user-data-dir=\(profile)", "--hide-scrollbars",
                         "--window-size=1280,2400"]
        arguments += screenshot.map { ["--screenshot=\($0)"] } ?? ["--dump-dom"]
        let result = try CLI.run(chromium!, arguments + [URL(fileURLWithPath: page).absoluteString + fragment])
        // Every console message counts: the page logs nothing when all is well.
        let console = result.stderrLines.filter { $0.contains(":CONSOLE") }
        return Loaded(dom: result.stdout, console: console)
    }

    static func html5libErrors(_ page: String) throws -> String? {
        let script = "import html5lib, sys\nparser = html5lib.HTMLParser(strict=True)\nparser.parse(open(sys.argv[1], 'rb'))"
        let result = try CLI.run(Browser.python!, ["-c", script, page])
        return result.status == 0 ? nil : result.stderr
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    static func json(_ arguments: String...) throws -> [String: Any] {
        let result = try CLI.run(CLI.binary, Array(arguments))
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Writes the report of `capture`, checks it parses, loads it, and compares what it drew with
    /// `check --json` and `sessions --json`. Returns the DOM for further checks.
    static func checkPage(_ capture: String) throws -> String {
        let page = ReportCommandTests.temporary(".html")
        defer { try? FileManager.default.removeItem(atPath: page) }
        _ = try CLI.peerscope("report", capture, "-o", page)
        #expect(try html5libErrors(page) == nil, "\(capture): html5lib")
        let loaded = try load(page)
        #expect(loaded.console.isEmpty, "\(capture): \(loaded.console)")
        #expect(loaded.dom.contains("data-rendered=\"ok\""), "\(capture): the script did not finish")
        #expect(!loaded.dom.contains("data-errors="), "\(capture): a script error")
        let checked = try json("check", capture, "--json")
        let sessions = try json("sessions", capture, "--json")
        let bfd = (sessions["bfdSessions"] as? [Any])?.count ?? -1
        let bgp = (sessions["bgpSessions"] as? [Any])?.count ?? -1
        #expect(count("class=\"strip bfd-strip\"", in: loaded.dom) == min(bfd, stripsPerPage), "\(capture): BFD strips")
        #expect(count("class=\"strip bgp-strip\"", in: loaded.dom) == min(bgp, stripsPerPage), "\(capture): BGP strips")
        #expect(count("class=\"strip chain\"", in: loaded.dom) == (sessions["failovers"] as? [Any])?.count, "\(capture): failover chains")
        #expect(count("<tr class=\"finding\"", in: loaded.dom) == (checked["findings"] as? [Any])?.count, "\(capture): findings rows")
        return loaded.dom
    }

    @Test("sample reports load with no console message and draw what check and sessions count", arguments: [
        "captures/lab/gobgp-frr-families.pcap", "captures/bfd-failover.pcap", "captures/lab/frr-timer-change.pcap",
    ])
    func samples(capture: String) throws {
        _ = try Self.checkPage(capture)
    }

    /// The lab manifest says (facts diag1-r1, bgp-teardown-r1): r1 (FRR) sends Down with diag 1,
    /// then tears its BGP session to BIRD down within 1 s. The page must draw that chain.
    @Test("frr-bird-failover-3: the whole failover chain as the lab manifest states it")
    func failoverChain() throws {
        let capture = "captures/lab/frr-bird-failover-3.pcap"
        let dom = try Self.checkPage(capture)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.packageRoot.appendingPathComponent("captures/lab/frr-bird-failover-3.json"))) as? [String: Any]
        let facts = (manifest?["facts"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? [String: Any] }
        let down = try #require(facts.first { $0["kind"] as? String == "bfd_seen" })
        let teardown = try #require(facts.first { $0["kind"] as? String == "bgp_teardown" })
        let source = try #require(down["src"] as? String)
        let diag = try #require((down["match"] as? [String: Any])?["bfd.diag"] as? Int)
        let within = try #require(teardown["within"] as? Double)
        let chains = dom.components(separatedBy: "<figure class=\"strip chain\"").dropFirst()
        let chain = try #require(chains.first { $0.contains("data-step=\"BFD Down\" data-offset-ns=\"0\" data-by=\"\(source)\" data-diag=\"\(diag)\"") },
                                 "no chain with \(source)'s Down diag \(diag)")
        let steps = ["last received", "last captured", "BFD Down", "BGP teardown", "withdrawals"]
        for step in steps { #expect(chain.contains("data-step=\"\(step)\""), "step \(step) missing") }
        let teardownStep = try #require(chain.components(separatedBy: "data-step=\"BGP teardown\" data-offset-ns=\"").dropFirst().first)
        let offset = try #require(Int64(teardownStep.prefix { $0 != "\"" }))
        #expect(offset >= 0 && Double(offset) <= within * 1e9, "teardown \(offset) ns after the Down")
        #expect(teardownStep.contains("data-by=\"\(teardown["src"] as? String ?? "?")\""))
    }

    @Test("a time window (#t=9.7-9.9) zooms every strip: the axis in 50 ms steps, the Downs still drawn")
    func zoomed() throws {
        let page = ReportCommandTests.temporary(".html")
        defer { try? FileManager.default.removeItem(atPath: page) }
        _ = try CLI.peerscope("report", "captures/lab/frr-bird-failover-3.pcap", "-o", page)
        let loaded = try Self.load(page, fragment: "#t=9.7-9.9")
        #expect(loaded.console.isEmpty, "\(loaded.console)")
        #expect(loaded.dom.contains("data-rendered=\"ok\""))
        #expect(loaded.dom.contains("showing 9.700 s – 9.900 s"))
        #expect(loaded.dom.contains(">9.750 s</text>") && !loaded.dom.contains(">2.0 s</text>"))
        // Both sides' Downs (RFC 5880 diag 1, the manifest's fault) fall inside the window.
        #expect(Self.count(">Down diag 1 Control Detection Time Expired<title>", in: loaded.dom) >= 2)
    }

    @Test("frames 68 years apart, back and forth (issue 12): the page still draws, no console message")
    func timestampExtremes() throws {
        let capture = try TimestampExtremesCommandTests.capture()
        defer { try? FileManager.default.removeItem(atPath: capture) }
        _ = try Self.checkPage(capture)
    }

    @Test("a shutdown communication with </script> and <!-- stays text in the browser")
    func hostile() throws {
        let capture = try EscapingTests.hostileCapture(text: ReportCommandTests.breakout)
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let dom = try Self.checkPage(capture)
        // Only the page's own two script elements exist; the peer's text is in the table as text.
        #expect(Self.count("<script", in: dom) == 2)
        #expect(dom.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--"))
    }

    @Test("the screenshot of a report is not blank")
    func screenshot() throws {
        let page = ReportCommandTests.temporary(".html"), png = ReportCommandTests.temporary(".png")
        defer { try? FileManager.default.removeItem(atPath: page); try? FileManager.default.removeItem(atPath: png) }
        _ = try CLI.peerscope("report", "captures/lab/frr-bird-failover-3.pcap", "-o", page)
        _ = try Self.load(page, screenshot: png)
        let stat = try CLI.run(Browser.python!, [CLI.packageRoot.appendingPathComponent("tools/report/pngstat").path, png])
        let fields = stat.stdout.split(separator: " ").map(String.init)
        try #require(fields.count == 4, "\(stat.stdout) \(stat.stderr)")
        #expect(fields[0] == "1280" && fields[1] == "2400")
        // The five state and line colours at least, and ink over a few per cent of the page.
        #expect((Int(fields[2]) ?? 0) >= 16, "colours: \(fields[2])")
        #expect((Double(fields[3].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0.03, "ink: \(fields[3])")
    }

    @Test("probe --html: each case with its verdict, a detection trial drawn against the expected time")
    func probePage() throws {
        // A probe run's --json report (ProbeReport's keys) with a pass, a fail and an inconclusive case.
        let report = """
            {"suite":"bfd-core","peer":"192.0.2.2","local":"192.0.2.1","transport":"single-hop","interrupted":false,"duration_ms":4200,
             "summary":{"pass":1,"fail":1,"inconclusive":1},"capture_frames":40,"findings":[{"rule":"BFD.TMR.JITTER","level":"should","frames":[7],"message":"gap <b>"}],
             "cases":[
              {"id":"detect-mult3","title":"Detection time, multiplier 3","rfc":"RFC 5880 §6.8.4","verdict":"pass","reason":"Down after 912 ms",
               "figures":{"detection_time_ms":{"value":912,"unit":"ms"},"expected_ms":{"value":900,"unit":"ms"},"diag":{"value":1,"unit":""}},
               "figure_order":["detection_time_ms","expected_ms","diag"],"evidence_frames":[30,31],"duration_ms":2000},
              {"id":"ttl-254","title":"TTL 254","rfc":"RFC 5881 §5","verdict":"fail","reason":"accepted","figures":{},"figure_order":[],"evidence_frames":[12],"duration_ms":1000},
              {"id":"auth","title":"Authentication","rfc":"RFC 5880 §6.7","verdict":"inconclusive","reason":"no key","figures":{},"figure_order":[],"evidence_frames":[],"duration_ms":1}]}
            """
        let page = ReportCommandTests.temporary(".html")
        defer { try? FileManager.default.removeItem(atPath: page) }
        let html = ReportPage.probe(reportJSON: report, title: "bfd-core against 192.0.2.2")
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        #expect(try Self.html5libErrors(page) == nil)
        let loaded = try Self.load(page)
        #expect(loaded.console.isEmpty, "\(loaded.console)")
        #expect(loaded.dom.contains("data-rendered=\"ok\""))
        for verdict in ["pass", "fail", "inconclusive"] { #expect(Self.count("class=\"probe-case \(verdict)\"", in: loaded.dom) == 1) }
        #expect(Self.count("class=\"evidence\"", in: loaded.dom) == 1)
        #expect(loaded.dom.contains("Down +912 ms") && loaded.dom.contains("expected 900 ms"))
        #expect(loaded.dom.contains("gap &lt;b&gt;"))
    }
}
