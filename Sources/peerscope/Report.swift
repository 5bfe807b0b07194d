import ArgumentParser
import Foundation
import PeerscopeConformance
import PeerscopeReport

/// `peerscope report`: what `check` finds, as one self-contained HTML page (inline CSS, SVG and
/// script; no request to any network or file), with `check`'s options and exit status.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page: summary, BFD and BGP timelines, the failover chain and every finding.",
        discussion: """
            Takes check's options and exits as check does: 0 when no MUST-level finding, 1 when \
            there is one, 2 for unusable input (the page is written in every case but a usage error).
            """)

    @OptionGroup var capture: CaptureOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The HTML file to write.", valueName: "report.html"))
    var output: String

    @OptionGroup var checking: CheckingOptions

    func validate() throws {
        try capture.requireFiles()
    }

    func run() throws {
        let options = try checking.checkOptions()
        let known = try checking.knownDeviations()
        var files: [ReportFile] = []
        var failed = false
        var listedCount = 0
        let unusable = try analyzeEach(capture, options: options) { analysis in
            let findings = analysis.findings.filter(checking.wanted)
            let isKnown = { (finding: Finding) in known.contains(finding, path: analysis.path) }
            let musts = findings.filter { $0.level == .must }
            let listed = musts.filter(isKnown).count
            listedCount += listed
            failed = failed || musts.count > listed
            files.append(ReportFile(analysis, findings: findings, isKnownDeviation: isKnown))
        }
        let exitCode = unusable ? 2 : failed ? 1 : 0
        let document = ReportDocument(files: files, summary: ReportSummary(files: files, exitCode: exitCode, knownDeviations: listedCount))
        guard FileManager.default.createFile(atPath: output, contents: Data(ReportPage.capture(document).utf8)) else {
            Console.error("\(output): cannot write the report")
            throw ExitCode(2)
        }
        if exitCode != 0 { throw ExitCode(Int32(exitCode)) }
    }
}
