import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// `peerscope sessions`: one row per side, grouped by session, in the spirit of
/// `show bfd neighbors details` — LD/RD, state, timers each way, detection time, counts, uptime.
public struct SessionsRenderer {
    public init() {}

    public func lines(_ analysis: CaptureAnalysis) -> [String] {
        var table = TextTable(header: ["ID", "TYPE", "LOCAL", "PEER", "LD/RD", "STATE", "PORT", "TTL", "TX", "MULT",
                                       "DETECT", "PKTS", "CHANGES", "UP", "UP-FOR", "LAST-DOWN-DIAG"])
        for session in analysis.sessions {
            for index in 0..<2 {
                guard let side = session.sides[index] else { continue }
                let negotiated = session.negotiatedTxInterval(from: index)
                let detect = session.detectionTime(forPacketsFrom: 1 - index)
                // Up until the side's last packet, not the end of the file: a side that fell silent
                // is not known to be Up after its last word.
                let upFor = side.upSinceNanoseconds.map { Units.duration(nanoseconds: side.last.timeNanoseconds - $0) } ?? "-"
                var type = session.transport.description
                if let previous = session.previousSessionID { type += " (after #\(previous))" }
                table.add([
                    index == 0 || session.a == nil ? "\(session.id)" : "",
                    index == 0 || session.a == nil ? type : "",
                    side.address.description,
                    side.peerAddress.description,
                    "\(side.myDiscriminator)/\(side.last.packet.yourDiscriminator)",
                    side.state.description,
                    "\(side.sourcePort)",
                    side.ttlMinimum == side.ttlMaximum ? "\(side.ttlMinimum)" : "\(side.ttlMinimum)-\(side.ttlMaximum)",
                    negotiated.map { Units.interval(microseconds: $0.interval) + ($0.peerKnown ? "" : "?") } ?? "-",
                    "\(side.parameters.detectMultiplier)",
                    detect.map { Units.interval(microseconds: $0) } ?? "-",
                    "\(side.packets)",
                    "\(side.stateChanges)",
                    "\(side.timesUp)",
                    upFor,
                    side.lastDownDiagnostic.map { "\($0.rawValue) \($0)" } ?? "-",
                ])
            }
        }
        var lines = table.lines
        if analysis.sessions.isEmpty { lines = ["no BFD sessions in \(analysis.path)"] }
        for session in analysis.sessions {
            for index in 0..<2 {
                guard let side = session.sides[index], let tally = analysis.engine.authentication(session: session.id, side: index)
                else { continue }
                lines.append("AUTH session \(session.id) \(side.address): \(tally.type) key \(tally.keyID), \(tally.summary)")
            }
        }
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
