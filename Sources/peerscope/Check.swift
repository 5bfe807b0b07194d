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

    enum Level: String, ExpressibleByArgument, CaseIterable {
        case must, should, info
        var ruleLevel: RuleLevel { RuleLevel(rawValue: rawValue)! }
    }

    @OptionGroup var capture: CaptureOptions

    @Flag(help: "JSON: sessions, findings and a summary; with several files one document, {\"files\": […], \"summary\"}.")
    var json = false

    @Option(help: ArgumentHelp("Also write a JUnit XML report to this file.", valueName: "out.xml"))
    var junit: String?

    @Option(help: ArgumentHelp("Only these rule IDs (comma-separated, any case; a prefix like BFD.TMR works).", valueName: "ids"))
    var rules: String?

    @Flag(name: .customLong("list-rules"), help: "Print the rule catalog (ID, level, RFC section, what it checks), one rule per line, and exit.")
    var listRules = false

    @Option(name: .customLong("min-level"), help: "Lowest level shown.")
    var minLevel: Level = .info

    @OptionGroup var key: KeyOption

    @Option(help: ArgumentHelp("Timing slack in milliseconds on top of the timestamp resolution.", valueName: "ms"))
    var slack: Double = 1

    @Option(name: .customLong("known-deviations"),
            help: ArgumentHelp("MUST findings listed in this file's \"Proven MUST findings\" table (rule, capture, side, frames; e.g. conformance/known-deviations.md) are still printed but do not make the exit status 1.", valueName: "file.md"))
    var knownDeviationsFile: String?

    @Flag(help: "GTSM (RFC 5082) is configured on every BGP session: a TTL below 255 becomes a MUST finding.")
    var gtsm = false

    @Option(name: .customLong("gtsm-peer"), help: ArgumentHelp("GTSM is configured for the BGP session with this address (repeatable).", valueName: "addr"))
    var gtsmPeers: [String] = []

    /// The IDs of `--rules`, upper-cased: rule IDs match whatever their case.
    private var selectedRules: [String]? {
        rules.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty } }
    }

    func validate() throws {
        if listRules { return }
        try capture.requireFiles()
        for id in selectedRules ?? [] where !RuleCatalog.all.contains(where: { $0.id.hasPrefix(id) }) {
            throw ValidationError("unknown rule '\(id)' (peerscope check --list-rules lists them)")
        }
        for peer in gtsmPeers where IPAddress(peer) == nil {
            throw ValidationError("--gtsm-peer takes an IPv4 or IPv6 address, got '\(peer)'")
        }
        guard slack >= 0, slack < 10_000 else { throw ValidationError("--slack must be between 0 and 10000 ms") }
    }

    func run() throws {
        if listRules {
            RuleCatalogRenderer().lines(RuleCatalog.all).forEach(Console.line)
            return
        }
        var options = CheckOptions()
        options.slackNanoseconds = Int64(slack * 1_000_000)
        if gtsm { options.gtsm = .all } else if !gtsmPeers.isEmpty { options.gtsm = .peers(Set(gtsmPeers.compactMap { IPAddress($0) })) }
        options.keys = try key.parsed()
        let selected = selectedRules
        func wanted(_ finding: Finding) -> Bool {
            guard finding.level <= minLevel.ruleLevel else { return false }
            guard let selected else { return true }
            return selected.contains { finding.rule.id.hasPrefix($0) }
        }
        var known = KnownDeviations(markdown: "")
        if let knownDeviationsFile {
            guard let data = FileManager.default.contents(atPath: knownDeviationsFile),
                  let text = String(data: data, encoding: .utf8) else {
                Console.error("\(knownDeviationsFile): cannot read the known deviations")
                throw ExitCode(2)
            }
            known = KnownDeviations(markdown: text)
        }
        var runs: [(CaptureAnalysis, [Finding])] = []
        var records: [CheckRecord] = []
        var failed = false
        let unusable = try analyzeEach(capture, options: options) { analysis in
            let findings = analysis.findings.filter(wanted)
            let musts = findings.filter { $0.level == .must }
            let listed = musts.filter { known.contains($0, path: analysis.path) }.count
            failed = failed || musts.count > listed
            runs.append((analysis, findings))
            if json {
                records.append(MachineReadable.check(analysis, findings: findings))
            } else {
                printHeader(analysis, files: capture.files.count)
                FindingsRenderer(timeDecimals: analysis.resolution == .nanoseconds ? 9 : 6)
                    .lines(analysis, findings: findings).forEach(Console.line)
                if listed > 0 {
                    Console.line("\(listed) of \(musts.count) MUST finding(s) are listed in \(knownDeviationsFile ?? "") as known deviations: not counted in the exit status")
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
