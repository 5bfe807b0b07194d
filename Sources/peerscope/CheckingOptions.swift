import ArgumentParser
import Foundation
import PeerscopeConformance
import PeerscopeWire

/// What `check` judges and how: rules, level, keys, slack, GTSM and known deviations. Shared by
/// `check` and `report`, so a report says exactly what `check` would, with the same exit status.
struct CheckingOptions: ParsableArguments {
    enum Level: String, ExpressibleByArgument, CaseIterable {
        case must, should, info
        var ruleLevel: RuleLevel { RuleLevel(rawValue: rawValue)! }
    }

    @Option(help: ArgumentHelp("Only these rule IDs (comma-separated, any case; a prefix like BFD.TMR works).", valueName: "ids"))
    var rules: String?

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
    var selectedRules: [String]? {
        rules.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty } }
    }

    func validate() throws {
        for id in selectedRules ?? [] where !RuleCatalog.all.contains(where: { $0.id.hasPrefix(id) }) {
            throw ValidationError("unknown rule '\(id)' (peerscope check --list-rules lists them)")
        }
        for peer in gtsmPeers where IPAddress(peer) == nil {
            throw ValidationError("--gtsm-peer takes an IPv4 or IPv6 address, got '\(peer)'")
        }
        guard slack >= 0, slack < 10_000 else { throw ValidationError("--slack must be between 0 and 10000 ms") }
    }

    func checkOptions() throws -> CheckOptions {
        var options = CheckOptions()
        options.slackNanoseconds = Int64(slack * 1_000_000)
        if gtsm { options.gtsm = .all } else if !gtsmPeers.isEmpty { options.gtsm = .peers(Set(gtsmPeers.compactMap { IPAddress($0) })) }
        options.keys = try key.parsed()
        return options
    }

    /// Whether `check` shows `finding` (`--min-level`, `--rules`).
    func wanted(_ finding: Finding) -> Bool {
        guard finding.level <= minLevel.ruleLevel else { return false }
        guard let selected = selectedRules else { return true }
        return selected.contains { finding.rule.id.hasPrefix($0) }
    }

    /// The table of `--known-deviations` (empty without it); an unreadable file exits 2.
    func knownDeviations() throws -> KnownDeviations {
        guard let knownDeviationsFile else { return KnownDeviations(markdown: "") }
        guard let data = FileManager.default.contents(atPath: knownDeviationsFile),
              let text = String(data: data, encoding: .utf8) else {
            Console.error("\(knownDeviationsFile): cannot read the known deviations")
            throw ExitCode(2)
        }
        return KnownDeviations(markdown: text)
    }
}
