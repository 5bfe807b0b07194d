import PeerscopeAnalysis
import PeerscopeConformance

/// The report model `peerscope report` embeds in its HTML page: what `check`, `sessions --json`,
/// `timeline` and the failover table compute, kept as numbers (times in ns from the file's first
/// frame, counts, µs for BFD timers as the wire carries them). Only the renderers format them.
///
/// Versioned: a reader of the embedded JSON checks `schema` (2, as issue 13 numbers the typed
/// report). Findings are `ReportFinding`s, the same records `check --json` prints, with typed
/// measured/expected/tolerance values (`ReportValue`, see docs/json-schema.md).
public struct ReportDocument: Codable, Sendable, Equatable {
    public var schema = 2
    public var generator = "peerscope report"
    public var files: [ReportFile]
    public var summary: ReportSummary
    /// The rules the findings name, by ID: RFC section and what each checks (once, not per finding).
    public var rules: [String: ReportRule]
    /// The labels of the transmit-gap bands every `ReportGapHistogram.counts` follows.
    public var gapBands: [String]

    public init(files: [ReportFile], summary: ReportSummary) {
        self.files = files
        self.summary = summary
        var rules: [String: ReportRule] = [:]
        for finding in files.flatMap(\.findings) where rules[finding.rule] == nil {
            let rule = RuleCatalog.rule(finding.rule)
            rules[finding.rule] = ReportRule(level: rule.level.rawValue, reference: rule.reference, summary: rule.summary)
        }
        self.rules = rules
        gapBands = GapStatistics().bands.map(\.label)
    }
}

public struct ReportRule: Codable, Sendable, Equatable {
    /// The catalog level (a finding may be worse: see `ReportFinding.level`).
    public var level: String
    public var reference: String
    public var summary: String
}

/// What `check` would say about the run: findings per level and its exit status.
public struct ReportSummary: Codable, Sendable, Equatable {
    public var files: Int
    public var bfdSessions: Int
    public var bgpSessions: Int
    public var failovers: Int
    /// Findings per level ("must", "should", "info"), after `--rules` and `--min-level`.
    public var findings: [String: Int]
    /// MUST findings listed as known deviations (`--known-deviations`): shown, not counted.
    public var knownDeviations: Int
    /// `check`'s exit status: 0 clean, 1 a MUST finding, 2 unusable input.
    public var exitCode: Int
    /// "pass", "fail" or "unusable", the words for `exitCode`.
    public var verdict: String

    public init(files: [ReportFile], exitCode: Int, knownDeviations: Int) {
        self.files = files.count
        bfdSessions = files.reduce(0) { $0 + $1.bfdSessions.count }
        bgpSessions = files.reduce(0) { $0 + $1.bgpSessions.count }
        failovers = files.reduce(0) { $0 + $1.failovers.count }
        var counts: [String: Int] = [:]
        for level in RuleLevel.allCases {
            counts[level.rawValue] = files.reduce(0) { total, file in total + file.findings.filter { $0.level == level.rawValue }.count }
        }
        findings = counts
        self.knownDeviations = knownDeviations
        self.exitCode = exitCode
        verdict = exitCode == 0 ? "pass" : exitCode == 1 ? "fail" : "unusable"
    }
}

/// One capture file (or one merged set of capture points) analysed.
public struct ReportFile: Codable, Sendable, Equatable {
    public var path: String
    /// Frames decoded, and records read (the last frame number in Wireshark's numbering).
    public var frames: Int
    public var recordsRead: Int
    /// Absolute time of the first frame (ns since the epoch), the origin of every other time.
    public var originNanoseconds: Int64
    public var durationNanoseconds: Int64
    /// The file's timestamp resolution in ns (1 000 for µs pcap, 1 for ns).
    public var resolutionNanoseconds: Int64
    /// The capture points of `--merge`, in the order given.
    public var capturePoints: [String]
    /// Set when the file could not be read to its end.
    public var readError: String?
    public var bfdSessions: [ReportBFDSession]
    public var bgpSessions: [ReportBGPSession]
    public var failovers: [ReportFailover]
    public var findings: [ReportFinding]
}
