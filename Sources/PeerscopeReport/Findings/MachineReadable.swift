import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// The JSON shapes `sessions --json` and `check --json` print: plain Codable values, stable keys.
/// A finding is a `ReportFinding`, the record the HTML report embeds too.
public struct SideRecord: Codable, Sendable {
    public var address: String
    public var peer: String
    public var localDiscriminator: UInt32
    public var remoteDiscriminator: UInt32
    public var state: String
    public var sourcePort: UInt16
    public var ttlMin: UInt8
    public var ttlMax: UInt8
    public var desiredMinTxIntervalUs: UInt32
    public var requiredMinRxIntervalUs: UInt32
    public var requiredMinEchoRxIntervalUs: UInt32
    public var detectMultiplier: UInt8
    public var negotiatedTxIntervalUs: UInt32?
    public var detectionTimeUs: UInt32?
    public var packets: Int
    public var stateChanges: Int
    public var timesUp: Int
    public var lastDownDiag: UInt8?
    public var firstFrame: Int
    public var lastFrame: Int
    /// Present when the side sent authenticated packets.
    public var authentication: AuthenticationRecord?
}

/// A side's authentication, counted positively: `verified` of `packets` with `keyId`.
public struct AuthenticationRecord: Codable, Sendable {
    public var type: String
    public var keyId: UInt8
    public var packets: Int
    public var verified: Int
    public var failed: Int
    public var unchecked: Int
    public var summary: String

    public init(_ tally: AuthenticationTally) {
        type = tally.type.description
        keyId = tally.keyID
        packets = tally.packets
        verified = tally.verified
        failed = tally.failed
        unchecked = tally.unchecked
        summary = tally.summary
    }
}

public struct SessionRecord: Codable, Sendable {
    public var id: Int
    public var type: String
    public var previousSession: Int?
    public var sides: [SideRecord]
    public var echoPackets: Int

    /// `authentication` gives a side's tally (side 0 = A, 1 = B), from `BFDConformanceEngine.authentication`.
    public init(_ session: BFDSession, authentication: (Int) -> AuthenticationTally? = { _ in nil }) {
        id = session.id
        type = session.transport.description
        previousSession = session.previousSessionID
        echoPackets = session.echoPackets
        sides = (0..<2).compactMap { index in
            guard let side = session.sides[index] else { return nil }
            let parameters = side.parameters
            return SideRecord(address: side.address.description, peer: side.peerAddress.description,
                              localDiscriminator: side.myDiscriminator,
                              remoteDiscriminator: side.last.packet.yourDiscriminator, state: side.state.description,
                              sourcePort: side.sourcePort, ttlMin: side.ttlMinimum, ttlMax: side.ttlMaximum,
                              desiredMinTxIntervalUs: parameters.desiredMinTxInterval,
                              requiredMinRxIntervalUs: parameters.requiredMinRxInterval,
                              requiredMinEchoRxIntervalUs: parameters.requiredMinEchoRxInterval,
                              detectMultiplier: parameters.detectMultiplier,
                              negotiatedTxIntervalUs: session.negotiatedTxInterval(from: index)?.interval,
                              detectionTimeUs: session.detectionTime(forPacketsFrom: 1 - index),
                              packets: side.packets, stateChanges: side.stateChanges, timesUp: side.timesUp,
                              lastDownDiag: side.lastDownDiagnostic?.rawValue,
                              firstFrame: side.first.frameNumber, lastFrame: side.last.frameNumber,
                              authentication: authentication(index).map(AuthenticationRecord.init))
        }
    }
}

public struct CheckRecord: Codable, Sendable {
    /// 2 since findings carry typed values (docs/json-schema.md says what changed from 1).
    public var schema = MachineReadable.schema
    public var file: String
    public var frames: Int
    public var sessions: [SessionRecord]
    public var bgpSessions: [BGPSessionRecord]
    public var failovers: [FailoverRecord]
    public var findings: [ReportFinding]
    public var summary: [String: Int]
    /// With `--merge`: the capture points and the losses located between them.
    public var merge: MergeRecord?
}

/// `sessions --json`: both protocols and the failover chain.
public struct SessionsRecord: Codable, Sendable {
    public var file: String
    public var bfdSessions: [SessionRecord]
    public var bgpSessions: [BGPSessionRecord]
    public var failovers: [FailoverRecord]
    /// With `--merge`: the capture points and the losses located between them.
    public var merge: MergeRecord?

    public init(_ analysis: CaptureAnalysis) {
        file = analysis.path
        merge = analysis.merge.map { MergeRecord($0, origin: analysis.firstTimestampNanoseconds ?? 0) }
        bfdSessions = analysis.sessions.map { session in
            SessionRecord(session) { analysis.engine.authentication(session: session.id, side: $0) }
        }
        let origin = analysis.firstTimestampNanoseconds ?? 0
        bgpSessions = analysis.bgpSessions.map { BGPSessionRecord($0, origin: origin) }
        failovers = analysis.failovers.map { FailoverRecord($0, origin: origin) }
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
        return CheckRecord(file: analysis.path, frames: analysis.tally.frames,
                           sessions: SessionsRecord(analysis).bfdSessions,
                           bgpSessions: SessionsRecord(analysis).bgpSessions, failovers: SessionsRecord(analysis).failovers,
                           findings: findings.map { ReportFinding($0, knownDeviation: $0.level == .must && knownDeviation($0)) },
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
