import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// `peerscope check` text: findings grouped by session, worst first within a session, each with
/// its rule, level, side, frames, measured vs expected and the RFC it comes from.
public struct FindingsRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func lines(_ analysis: CaptureAnalysis, findings: [Finding]) -> [String] {
        var lines: [String] = []
        let sessions = Dictionary(uniqueKeysWithValues: analysis.sessions.map { ($0.id, $0) })
        let bgpSessions = Dictionary(uniqueKeysWithValues: analysis.bgpSessions.map { ($0.id, $0) })
        // BFD sessions first (a finding about both a BFD and a BGP session goes with the BFD one),
        // then BGP sessions, then the capture as a whole.
        let groups = Dictionary(grouping: findings, by: Group.init)
        for key in groups.keys.sorted() {
            let group = groups[key]!.enumerated().sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }.map(\.element)
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
        let counts = RuleLevel.allCases.map { level in "\(findings.filter { $0.level == level }.count) \(level)" }
        lines += FailoverRenderer(timeDecimals: timeDecimals).lines(analysis)
        lines.append("\(analysis.path): \(analysis.sessions.count) BFD session(s), \(analysis.bgpSessions.count) BGP session(s), "
                     + "\(analysis.tally.frames) frames; findings: \(counts.joined(separator: ", "))")
        return lines
    }

    public func line(_ finding: Finding) -> String {
        var text = "  " + pad(finding.level.description, 6) + "  " + pad(finding.rule.id, 26)
        if let side = finding.side { text += "  " + side }
        if let time = finding.relativeTimeNanoseconds {
            text += "  t=" + Units.relativeTime(nanoseconds: time, decimals: timeDecimals)
        }
        if !finding.frames.isEmpty {
            text += "  frame" + (finding.frames.count > 1 ? "s " : " ") + finding.frames.map(String.init).joined(separator: ",")
        }
        text += "  " + finding.message
        var details: [String] = []
        if let measured = finding.measured { details.append("measured \(measured)") }
        if let expected = finding.expected { details.append("expected \(expected)") }
        if let tolerance = finding.tolerance { details.append("tolerance \(tolerance)") }
        if !details.isEmpty { text += " (" + details.joined(separator: "; ") + ")" }
        text += " [\(finding.rule.reference)]"
        if finding.occurrences > 1 { text += " ×\(finding.occurrences)" }
        return text
    }

    /// Where a finding is printed, in this order.
    private enum Group: Hashable, Comparable {
        case bfd(Int)
        case bgp(Int)
        case capture

        init(_ finding: Finding) {
            if let id = finding.sessionID { self = .bfd(id) }
            else if let id = finding.bgpSessionID { self = .bgp(id) }
            else { self = .capture }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
