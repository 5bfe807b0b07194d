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
        let groups = Dictionary(grouping: findings) { finding -> Int in
            if let id = finding.sessionID { return id }
            if let id = finding.bgpSessionID { return 1_000_000 + id }
            return Int.max
        }
        for key in groups.keys.sorted() {
            let group = groups[key]!.enumerated().sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }.map(\.element)
            if let session = sessions[key], let (a, b) = session.addresses {
                lines.append("Session \(key)  \(session.transport)  \(a) ⇄ \(b)")
            } else if key > 1_000_000, key < Int.max, let session = bgpSessions[key - 1_000_000] {
                lines.append("BGP session \(session.id)  \(session.a.address) ⇄ \(session.b.address)")
            } else {
                lines.append(key == Int.max ? "Capture" : "Session \(key)")
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

    func line(_ finding: Finding) -> String {
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

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
