import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// The JSON shapes `sessions --json` and `check --json` print: plain Codable values, stable keys.
/// Sessions, failovers and findings are the records the HTML report's `ReportDocument` is made
/// of (`ReportBFDSession`, `ReportBGPSession`, `ReportFailover`, `ReportFinding`): one model.
public struct CheckRecord: Codable, Sendable {
    /// 2 since findings carry typed values (docs/json-schema.md says what changed from 1).
    public var schema = MachineReadable.schema
    public var file: String
    public var frames: Int
    public var sessions: [ReportBFDSession]
    public var bgpSessions: [ReportBGPSession]
    public var failovers: [ReportFailover]
    public var findings: [ReportFinding]
    public var summary: [String: Int]
    /// With `--merge`: the capture points and the losses located between them.
    public var merge: MergeRecord?
}

/// `sessions --json`: both protocols and the failover chain.
public struct SessionsRecord: Codable, Sendable {
    /// 2 since the sessions are the report model's records (docs/json-schema.md).
    public var schema = MachineReadable.schema
    public var file: String
    public var bfdSessions: [ReportBFDSession]
    public var bgpSessions: [ReportBGPSession]
    public var failovers: [ReportFailover]
    /// With `--merge`: the capture points and the losses located between them.
    public var merge: MergeRecord?

    public init(_ analysis: CaptureAnalysis) {
        let report = ReportFile(analysis, findings: [])
        file = analysis.path
        merge = analysis.merge.map { MergeRecord($0, origin: analysis.firstTimestampNanoseconds ?? 0) }
        bfdSessions = report.bfdSessions
        bgpSessions = report.bgpSessions
        failovers = report.failovers
    }
}

/// `check --json` over several files (without `--merge`): one JSON document.
public struct MultiFileCheckRecord: Codable, Sendable {
    public var schema = MachineReadable.schema
    public var files: [CheckRecord]
    public var summary: [String: Int]
}

/// `sessions --json` over several files (without `--merge`): one JSON document.
public struct MultiFileSessionsRecord: Codable, Sendable {
    public var schema = MachineReadable.schema
    public var files: [SessionsRecord]

    public init(files: [SessionsRecord]) { self.files = files }
}

public enum MachineReadable {
    /// The version of `check --json`'s shape (and of the HTML report's embedded model).
    public static let schema = 2

    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return WireText.jsonDocument(String(decoding: data, as: UTF8.self))
    }

    /// The same JSON on one line (a JSON Lines stream's last record: `live --json`).
    public static func jsonLine(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return WireText.jsonDocument(String(decoding: data, as: UTF8.self))
    }

    /// `knownDeviation` marks MUST findings listed in `--known-deviations` (shown, not counted).
    public static func check(_ analysis: CaptureAnalysis, findings: [Finding],
                             knownDeviation: (Finding) -> Bool = { _ in false }) -> CheckRecord {
        var summary: [String: Int] = [:]
        for level in RuleLevel.allCases { summary[level.rawValue] = findings.filter { $0.level == level }.count }
        let report = ReportFile(analysis, findings: findings, isKnownDeviation: knownDeviation)
        return CheckRecord(file: analysis.path, frames: analysis.tally.frames,
                           sessions: report.bfdSessions, bgpSessions: report.bgpSessions, failovers: report.failovers,
                           findings: report.findings,
                           summary: summary,
                           merge: analysis.merge.map { MergeRecord($0, origin: analysis.firstTimestampNanoseconds ?? 0) })
    }

    /// `check --json` over several files: one document, the files in the order given and the
    /// findings counted over all of them.
    public static func check(_ records: [CheckRecord]) -> MultiFileCheckRecord {
        var summary: [String: Int] = [:]
        for level in RuleLevel.allCases {
            summary[level.rawValue] = records.reduce(0) { $0 + ($1.summary[level.rawValue] ?? 0) }
        }
        return MultiFileCheckRecord(files: records, summary: summary)
    }

    /// JUnit XML: one test suite per capture, one test case per rule that was evaluated; MUST
    /// findings are failures, SHOULD and INFO go to system-out so they inform without failing CI.
    public static func junit(_ runs: [(CaptureAnalysis, [Finding])], rules: [Rule]) -> String {
        junit(runs.map { ($0.0.path, $0.1.map { ReportFinding($0) }) }, rules: rules)
    }

    /// JUnit XML from the report records: `path` names each suite.
    public static func junit(_ runs: [(path: String, findings: [ReportFinding])], rules: [Rule]) -> String {
        let must = RuleLevel.must.rawValue
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"peerscope check\">\n"
        for (path, findings) in runs {
            let failures = rules.filter { rule in findings.contains { $0.rule == rule.id && $0.level == must } }.count
            xml += "  <testsuite name=\"\(escape(path))\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\">\n"
            for rule in rules {
                let mine = findings.filter { $0.rule == rule.id }
                xml += "    <testcase classname=\"\(escape(rule.reference))\" name=\"\(escape(rule.id))\">\n"
                let failed = mine.filter { $0.level == must }
                if !failed.isEmpty {
                    let text = failed.map(describe).joined(separator: "\n")
                    xml += "      <failure message=\"\(escape(failed[0].message))\" type=\"MUST\">\(escape(text))</failure>\n"
                }
                let other = mine.filter { $0.level != must }
                if !other.isEmpty {
                    xml += "      <system-out>\(escape(other.map(describe).joined(separator: "\n")))</system-out>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    private static func describe(_ finding: ReportFinding) -> String {
        var text = "\(finding.ruleLevel?.description ?? finding.level) \(finding.rule)"
        if let session = finding.bfdSession { text += " session \(session)" }
        if let side = finding.side { text += " \(side)" }
        if !finding.frames.isEmpty { text += " frames \(finding.frames.map(String.init).joined(separator: ","))" }
        text += ": \(finding.message)"
        if let measured = finding.measured { text += " (measured \(measured.text))" }
        return text
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
