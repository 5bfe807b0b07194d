import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// `peerscope check` text: findings grouped by session, worst first within a session, each with
/// its rule, level, side, frames, measured vs expected and the RFC it comes from.
public struct FindingsRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    /// Each line from the finding's `ReportFinding`, built one at a time (a capture with many
    /// findings does not hold every record's value tree at once).
    public func lines(_ analysis: CaptureAnalysis, findings: [Finding]) -> [String] {
        lines(analysis, findings, group: { Group(bfd: $0.sessionID, bgp: $0.bgpSessionID) }, level: \.level) {
            line(ReportFinding($0))
        }
    }

    /// The same from the report records (`check --json` prints these records as they are).
    public func lines(_ analysis: CaptureAnalysis, records: [ReportFinding]) -> [String] {
        lines(analysis, records, group: { Group(bfd: $0.bfdSession, bgp: $0.bgpSession) },
              level: { $0.ruleLevel ?? .info }, line: line)
    }

    private func lines<Item>(_ analysis: CaptureAnalysis, _ findings: [Item], group: (Item) -> Group,
                             level: (Item) -> RuleLevel, line: (Item) -> String) -> [String] {
        var lines: [String] = []
        let sessions = Dictionary(uniqueKeysWithValues: analysis.sessions.map { ($0.id, $0) })
        let bgpSessions = Dictionary(uniqueKeysWithValues: analysis.bgpSessions.map { ($0.id, $0) })
        // BFD sessions first (a finding about both a BFD and a BGP session goes with the BFD one),
        // then BGP sessions, then the capture as a whole.
        let groups = Dictionary(grouping: findings, by: group)
        for key in groups.keys.sorted() {
            let group = groups[key]!.enumerated().sorted { (level($0.element), $0.offset) < (level($1.element), $1.offset) }.map(\.element)
            switch key {
            case .bfd(let id):
                if let session = sessions[id], let (a, b) = session.addresses {
                    lines.append("Session \(id)  \(session.transport)  \(a) ⇄ \(b)")
                } else {
                    lines.append("Session \(id)")
                }
            case .bgp(let id):
                if let session = bgpSessions[id] {
                    lines.append("BGP session \(id)  \(session.a.address) ⇄ \(session.b.address)")
                } else {
                    lines.append("BGP session \(id)")
                }
            case .capture:
                lines.append("Capture")
            }
            for finding in group { lines.append(line(finding)) }
            lines.append("")
        }
        let counts = RuleLevel.allCases.map { wanted in "\(findings.filter { level($0) == wanted }.count) \(wanted)" }
        lines += FailoverRenderer(timeDecimals: timeDecimals).lines(analysis)
        lines.append("\(analysis.path): \(analysis.sessions.count) BFD session(s), \(analysis.bgpSessions.count) BGP session(s), "
                     + "\(analysis.tally.frames) frames; findings: \(counts.joined(separator: ", "))")
        return lines
    }

    public func line(_ finding: Finding) -> String { line(ReportFinding(finding)) }

    public func line(_ finding: ReportFinding) -> String {
        var text = "  " + pad(finding.ruleLevel?.description ?? finding.level, 6) + "  " + pad(finding.rule, 26)
        if let side = finding.side { text += "  " + side }
        if let time = finding.timeNanoseconds {
            text += "  t=" + Units.relativeTime(nanoseconds: time, decimals: timeDecimals)
        }
        if !finding.frames.isEmpty {
            text += "  frame" + (finding.frames.count > 1 ? "s " : " ") + finding.frames.map(String.init).joined(separator: ",")
        }
        text += "  " + finding.message
        var details: [String] = []
        if let measured = finding.measured { details.append("measured \(measured.text)") }
        if let expected = finding.expected { details.append("expected \(expected.text)") }
        if let tolerance = finding.tolerance { details.append("tolerance \(tolerance.text)") }
        if !details.isEmpty { text += " (" + details.joined(separator: "; ") + ")" }
        text += " [\(finding.reference)]"
        if finding.occurrences > 1 { text += " ×\(finding.occurrences)" }
        return text
    }

    /// Where a finding is printed, in this order.
    private enum Group: Hashable, Comparable {
        case bfd(Int)
        case bgp(Int)
        case capture

        init(bfd: Int?, bgp: Int?) {
            if let bfd { self = .bfd(bfd) }
            else if let bgp { self = .bgp(bgp) }
            else { self = .capture }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
