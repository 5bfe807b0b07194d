import ArgumentParser
import Foundation
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeReport
import PeerscopeWire

/// `peerscope check`: every finding with its rule, frames and RFC section; exit 1 on a MUST.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check BFD (RFC 5880/5881/5883) and BGP (RFC 4271, 5082, 9384) conformance; report findings by session and the failover chain.",
        discussion: """
            Exit status: 0 when no MUST-level finding, 1 when there is one, 2 for unusable input. \
            Timing checks allow --slack (default 1 ms) plus the capture's timestamp resolution, and \
            a hole in the capture is reported as CAPTURE.GAP, never as the protocol's fault.
            """)

    @OptionGroup var capture: CaptureOptions

    @Flag(help: "JSON: sessions, findings and a summary; with several files one document, {\"files\": […], \"summary\"}.")
    var json = false

    @Option(help: ArgumentHelp("Also write a JUnit XML report to this file.", valueName: "out.xml"))
    var junit: String?

    @Flag(name: .customLong("list-rules"), help: "Print the rule catalog (ID, level, RFC section, what it checks), one rule per line, and exit.")
    var listRules = false

    @OptionGroup var checking: CheckingOptions

    // One thread unless asked: on the 2-core machine of tools/bench/README.md ("check on two
    // threads"), with other work running, two threads took more wall and CPU time than one.
    @Option(help: ArgumentHelp("1: one thread (default); 2: read and dissect on a second thread, same findings (--merge reads on one).", valueName: "n"))
    var threads: Int = 1

    func validate() throws {
        if listRules { return }
        if threads != 1, threads != 2 { throw ValidationError("--threads takes 1 or 2, got \(threads)") }
        try capture.requireFiles()
    }

    func run() throws {
        if listRules {
            RuleCatalogRenderer().lines(RuleCatalog.all).forEach(Console.line)
            return
        }
        let options = try checking.checkOptions()
        let selected = checking.selectedRules
        let known = try checking.knownDeviations()
        var runs: [(CaptureAnalysis, [Finding])] = []
        var records: [CheckRecord] = []
        var failed = false
        let unusable = try analyzeEach(capture, options: options, threads: threads) { analysis in
            let findings = analysis.findings.filter(checking.wanted)
            let musts = findings.filter { $0.level == .must }
            let listed = musts.filter { known.contains($0, path: analysis.path) }.count
            failed = failed || musts.count > listed
            runs.append((analysis, findings))
            if json {
                records.append(MachineReadable.check(analysis, findings: findings) { known.contains($0, path: analysis.path) })
            } else {
                printHeader(analysis, files: capture.files.count)
                FindingsRenderer(timeDecimals: analysis.resolution == .nanoseconds ? 9 : 6)
                    .lines(analysis, findings: findings).forEach(Console.line)
                if listed > 0 {
                    Console.line("\(listed) of \(musts.count) MUST finding(s) are listed in \(checking.knownDeviationsFile ?? "") as known deviations: not counted in the exit status")
                }
            }
        }
        // One JSON document whatever the number of files (see `Sessions.run`).
        if json, capture.files.count > 1, !capture.merge {
            Console.document(MachineReadable.json(MachineReadable.check(records)))
        } else if json, let record = records.first {
            Console.document(MachineReadable.json(record))
        }
        if let junit {
            let catalog = RuleCatalog.all.filter { rule in
                rule.id.hasPrefix("BFD.") || rule.id.hasPrefix("BGP.") || rule.id.hasPrefix("CAPTURE.")
            }.filter { rule in selected.map { ids in ids.contains { rule.id.hasPrefix($0) } } ?? true }
            let xml = MachineReadable.junit(runs, rules: catalog)
            guard FileManager.default.createFile(atPath: junit, contents: Data(xml.utf8)) else {
                Console.error("\(junit): cannot write the JUnit report")
                throw ExitCode(2)
            }
        }
        if unusable { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}
