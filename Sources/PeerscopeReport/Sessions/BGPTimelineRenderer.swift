import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// BGP sessions in `peerscope timeline`: connect, OPENs, Established, UPDATE bursts with the
/// Adj-RIB-In size after each, End-of-RIB, NOTIFICATION/FIN/RST, holes.
public struct BGPTimelineRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func lines(_ analysis: CaptureAnalysis, session only: Int? = nil) -> [String] {
        let origin = analysis.firstTimestampNanoseconds ?? 0
        var lines: [String] = []
        for session in analysis.bgpSessions where only == nil || session.id == only {
            var heading = "BGP session \(session.id)  A \(session.a.address):\(session.a.port) ⇄ B \(session.b.address):\(session.b.port)"
            if let previous = session.previousSessionID { heading += "  (after BGP session \(previous))" }
            lines.append(heading)
            var table = TextTable(header: ["  FRAME", "TIME", "SIDE", "EVENT"])
            for event in session.events {
                table.add(["  \(event.frameNumber)", Units.relativeTime(nanoseconds: event.timeNanoseconds - origin, decimals: timeDecimals),
                           event.side == 0 ? "A" : "B", describe(event.kind, peer: session.sides[1 - event.side].address)])
            }
            lines += table.lines
            for (index, side) in session.sides.enumerated() {
                var line = "  \(index == 0 ? "A" : "B"): TTL " + (side.ttlMaximum == 0 ? "-" : side.ttlMinimum == side.ttlMaximum ? "\(side.ttlMinimum)" : "\(side.ttlMinimum)-\(side.ttlMaximum)")
                if let keepalive = side.keepaliveInterval { line += ", keepalive every \(Units.duration(nanoseconds: keepalive))" }
                if let gap = side.longestGap { line += ", longest silence \(Units.duration(nanoseconds: gap.nanoseconds)) (frames \(gap.fromFrame)–\(gap.toFrame))" }
                lines.append(line)
            }
            lines.append("")
        }
        return lines
    }

    func describe(_ kind: BGPEvent.Kind, peer: IPAddress) -> String {
        switch kind {
        case .connect: "TCP SYN (opens the connection)"
        case .accept: "TCP SYN+ACK (accepts)"
        case .open(let open):
            "OPEN AS \(open.autonomousSystem) hold \(open.holdTime) s id \(open.identifier) [\(open.capabilities.map(\.name).joined(separator: ", "))]"
        case .established(let hold): "Established (hold time \(hold) s)"
        case .updates(let messages, let announced, let withdrawn, let size):
            "\(messages) UPDATE(s): +\(announced) announced, -\(withdrawn) withdrawn; \(peer) now holds \(size) route(s) from it"
        case .endOfRIB(let family): "End-of-RIB \(family)"
        case .routeRefresh(let family, let subtype): "ROUTE-REFRESH \(family)" + (subtype == 0 ? "" : " subtype \(subtype)")
        case .notification(let notification): "NOTIFICATION \(notification)"
        case .fin: "TCP FIN"
        case .reset: "TCP RST"
        case .hole(let missing): "capture hole: \(missing) byte(s) missing; resynchronising on the next marker"
        case .malformed(let error): "malformed message: \(error)"
        }
    }
}
