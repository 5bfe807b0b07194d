import ArgumentParser
import Foundation
import PeerscopeProbe
import PeerscopeReport

/// `peerscope probe`: run a conformance suite against a live device.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Actively test a device's BFD (and the BGP session it protects) against a probe suite.",
        discussion: """
            Runs one BFD session with the peer (TTL 255, source port 49152–65535, every packet to the \
            peer only, rate-limited) and the cases of the suite in order, printing one line per case as \
            it finishes, then a table of verdicts, figures, RFC sections and evidence frames of the \
            run's own capture (-w keeps it). Use only against devices you are allowed to test.

            Verdicts: pass, fail, or inconclusive when a precondition is missing (session never Up, \
            no --bgp for the BGP cases, no --auth for the authentication cases). Inconclusive cases \
            do not fail the run.

            Exit status: 0 no case failed (inconclusive allowed), 1 a case failed, 2 bad usage, a peer \
            refused by the safety guard (not unicast, or not directly connected for single hop), or \
            no BFD packet from the peer within 10 s (peer unreachable). SIGINT/SIGTERM: the session \
            is taken AdminDown, BGP closed with Cease, and the reports so far are written.
            """)

    @OptionGroup var peerOptions: PeerOptions

    @Option(help: ArgumentHelp("The suite to run (bfd-core).", valueName: "name"))
    var suite: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Run only this case (repeatable), in suite order.", valueName: "id"))
    var cases: [String] = []

    @Option(help: ArgumentHelp("Write a JUnit XML report here (fail → failure, inconclusive → skipped).", valueName: "out.xml"))
    var junit: String?

    @Flag(help: "Print the report as JSON on standard output; progress lines go to standard error.")
    var json = false

    @Option(help: ArgumentHelp("Also write the report as one self-contained HTML page: each case with its verdict and evidence.", valueName: "out.html"))
    var html: String?

    @Option(name: .customShort("w"), help: ArgumentHelp("Keep the run's capture (pcapng) here.", valueName: "run.pcapng"))
    var write: String?

    @Option(help: ArgumentHelp("Our Desired Min TX and Required Min RX once Up, in ms.", valueName: "ms"))
    var interval: Int = 300

    func validate() throws {
        if let suite, ProbeSuites.suite(named: suite) == nil {
            throw ValidationError("unknown suite '\(suite)' (known: \(ProbeSuites.all.keys.sorted().joined(separator: ", ")))")
        }
        let known = ProbeSuites.suite(named: suite ?? "bfd-core")!.map(\.info.id)
        for id in cases where !known.contains(id) {
            throw ValidationError("unknown case '\(id)' (see conformance/probes/\(suite ?? "bfd-core").json)")
        }
        guard (10...10_000).contains(interval) else { throw ValidationError("--interval must be 10–10000 ms") }
    }

    func run() throws {
        let suiteName = suite ?? "bfd-core"
        let all = ProbeSuites.suite(named: suiteName)!
        let selected = cases.isEmpty ? all : ProbeSuites.cases(ids: cases, in: all)!
        let microseconds = UInt32(interval) * 1000
        let runner = ProbeRunner(target: peerOptions.target(desiredMinTx: microseconds, requiredMinRx: microseconds),
                                 suiteName: suiteName, cases: selected, capturePath: write)
        let live = json
        runner.onCaseFinished = { result in
            let line = ProbeReportRenderer.progressLine(result)
            if live { Console.progress(line) } else { Console.line(line); Console.flush() }
        }
        let report: ProbeReport
        do {
            report = try runner.run()
        } catch let error as ProbeRunError {
            Console.error(error.description)
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Console.document(WireText.jsonDocument(String(decoding: try encoder.encode(report), as: UTF8.self)))
        } else {
            Console.line("")
            ProbeReportRenderer.table(report).forEach(Console.line)
        }
        if let junit {
            guard FileManager.default.createFile(atPath: junit, contents: Data(ProbeReportRenderer.junit(report).utf8)) else {
                Console.error("\(junit): cannot write the JUnit report")
                throw ExitCode(2)
            }
        }
        if let html {
            let page = ReportPage.probe(reportJSON: String(decoding: try JSONEncoder().encode(report), as: UTF8.self),
                                        title: "\(report.suite) against \(report.peer)")
            guard FileManager.default.createFile(atPath: html, contents: Data(page.utf8)) else {
                Console.error("\(html): cannot write the HTML report")
                throw ExitCode(2)
            }
        }
        Console.flush()
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
