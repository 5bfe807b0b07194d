import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// `peerscope sessions`: one row per side, grouped by session, in the spirit of
/// `show bfd neighbors details` — LD/RD, state, timers each way, detection time, counts, uptime.
public struct SessionsRenderer {
    public init() {}

    public func lines(_ analysis: CaptureAnalysis) -> [String] {
        let report = ReportFile(analysis, findings: [])
        return lines(report.bfdSessions, path: analysis.path) + footer(analysis)
    }

    /// The table from the report model's records, as `--json` and the HTML report carry them.
    public func lines(_ sessions: [ReportBFDSession], path: String) -> [String] {
        var table = TextTable(header: ["ID", "TYPE", "LOCAL", "PEER", "LD/RD", "STATE", "PORT", "TTL", "TX", "MULT",
                                       "DETECT", "PKTS", "CHANGES", "UP", "UP-FOR", "LAST-DOWN-DIAG"])
        for session in sessions {
            for (index, side) in session.sides.enumerated() {
                // Up until the side's last packet, not the end of the file: a side that fell silent
                // is not known to be Up after its last word.
                let upFor = side.upSinceNanoseconds.map { Units.duration(nanoseconds: side.lastNanoseconds - $0) } ?? "-"
                var type = session.type
                if let previous = session.previousSession { type += " (after #\(previous))" }
                table.add([
                    index == 0 ? "\(session.id)" : "",
                    index == 0 ? type : "",
                    side.address,
                    side.peer,
                    "\(side.localDiscriminator)/\(side.remoteDiscriminator)",
                    side.state,
                    "\(side.sourcePort)",
                    side.ttlMin == side.ttlMax ? "\(side.ttlMin)" : "\(side.ttlMin)-\(side.ttlMax)",
                    side.negotiatedTxIntervalUs.map { Units.interval(microseconds: $0) + (side.negotiatedTxPeerKnown == false ? "?" : "") } ?? "-",
                    "\(side.detectMultiplier)",
                    side.detectionTimeUs.map { Units.interval(microseconds: $0) } ?? "-",
                    "\(side.packets)",
                    "\(side.stateChanges)",
                    "\(side.timesUp)",
                    upFor,
                    side.lastDownDiag.map { "\($0) \(side.lastDownDiagName ?? "")" } ?? "-",
                ])
            }
        }
        var lines = table.lines
        if sessions.isEmpty { lines = ["no BFD sessions in \(path)"] }
        for session in sessions {
            for side in session.sides {
                guard let tally = side.authentication else { continue }
                lines.append("AUTH session \(session.id) \(side.address): \(tally.type) key \(tally.keyId), \(tally.summary)")
            }
        }
        return lines
    }

    /// What the table leaves out (sessions folded at the state cap) and how to read it.
    private func footer(_ analysis: CaptureAnalysis) -> [String] {
        var lines: [String] = []
        let folded = analysis.tracker.folded
        if folded.sessions > 0 {
            lines.append("FOLDED: \(folded.sessions) more BFD session(s) (\(folded.packets) packet(s)) beyond --max-sessions \(analysis.tracker.maxSessions), least recently seen first, are not listed (CAPTURE.STATE.CAP)")
        }
        let bgpFolded = analysis.bgpTracker.folded
        if bgpFolded.sessions > 0 {
            lines.append("FOLDED: \(bgpFolded.sessions) more BGP connection(s) (\(bgpFolded.packets) message(s)) beyond --max-sessions \(analysis.bgpTracker.maxSessions), least recently seen first, are not listed (CAPTURE.STATE.CAP)")
        }
        lines.append("")
        lines.append("TX: the interval this side sends at, max(own Desired Min TX, peer's Required Min RX) (? = peer unseen); DETECT: the detection time this side applies to its peer; UP-FOR: up to the side's last packet.")
        return lines
    }
}
