import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// BGP sessions in `peerscope sessions`: a `show bgp summary`-style table, then per session the
/// details of `show bgp neighbors` — ASNs, router IDs, hold/keepalive, capabilities, prefixes
/// received, messages by type, TTL each way, how it ended.
public struct BGPSessionsRenderer {
    public var timeDecimals: Int
    /// "How many prefixes did each side hold at time T": counts as of this time (ns since the first frame).
    public var at: Int64?

    public init(timeDecimals: Int, at: Int64? = nil) {
        self.timeDecimals = timeDecimals
        self.at = at
    }

    public func lines(_ analysis: CaptureAnalysis) -> [String] {
        guard !analysis.bgpSessions.isEmpty else { return [] }
        let origin = analysis.firstTimestampNanoseconds ?? 0
        var table = TextTable(header: ["ID", "SPEAKER", "AS", "ROUTER-ID", "PEER", "STATE", "UP/DOWN", "HOLD", "KEEPALIVE",
                                       "PFX-SENT", "MSG-SENT", "TTL", "CLOSED-BY"])
        for session in analysis.bgpSessions {
            for index in 0..<2 {
                let side = session.sides[index]
                let peer = session.sides[1 - index]
                var id = index == 0 ? "\(session.id)" : ""
                if index == 0, let previous = session.previousSessionID { id += " (after #\(previous))" }
                let prefixes = at.map { side.routesHeld(at: origin + $0) } ?? side.routesHeldTotal
                table.add([
                    id,
                    "\(side.address)",
                    side.open.map { "\($0.autonomousSystem)" } ?? "?",
                    side.open.map { "\($0.identifier)" } ?? "?",
                    "\(peer.address)",
                    index == 0 ? session.stateName : "",
                    index == 0 ? upDown(session, analysis: analysis) : "",
                    side.open.map { "\($0.holdTime) s" } ?? "?",
                    side.keepaliveInterval.map { Units.duration(nanoseconds: $0) } ?? "-",
                    "\(prefixes)",
                    "\(side.messagesSent)",
                    side.ttlMaximum == 0 ? "-" : side.ttlMinimum == side.ttlMaximum ? "\(side.ttlMinimum)" : "\(side.ttlMinimum)-\(side.ttlMaximum)",
                    session.teardown?.side == index ? closeReason(session.teardown!) : "",
                ])
            }
        }
        var lines = table.lines
        lines.append("")
        for session in analysis.bgpSessions { lines += details(session, origin: origin) }
        lines.append("PFX-SENT: routes the speaker announced and had not withdrawn" + (at.map { " at t=\(Units.relativeTime(nanoseconds: $0, decimals: 3))" } ?? " at the end")
                     + " = the peer's Adj-RIB-In from it; HOLD: offered in OPEN; KEEPALIVE: median interval seen.")
        lines.append("")
        return lines
    }

    private func upDown(_ session: BGPSession, analysis: CaptureAnalysis) -> String {
        guard let established = session.establishedTime else { return "never" }
        let end = session.teardown?.timeNanoseconds ?? analysis.lastTimestampNanoseconds ?? established
        return Units.duration(nanoseconds: end - established)
    }

    private func closeReason(_ teardown: BGPTeardown) -> String {
        switch teardown.cause {
        case .notification(let notification):
            "NOTIFICATION \(notification.code)/\(notification.subcode) " + (notification.subcodeName ?? notification.codeName)
        case .fin: "FIN"
        case .reset: "RST"
        }
    }

    private func details(_ session: BGPSession, origin: Int64) -> [String] {
        var lines = ["BGP session \(session.id): \(session.a.address) port \(session.a.port) ⇄ \(session.b.address) port \(session.b.port)"]
        if let initiator = session.initiator { lines.append("  TCP connection opened by \(session.sides[initiator].address)") }
        if session.establishedTime != nil, let hold = session.negotiatedHoldTime {
            lines.append("  Negotiated hold time \(hold) s, keepalive \(hold > 0 ? Units.duration(nanoseconds: Int64(hold) * 1_000_000_000 / 3) : "off")")
        }
        if let established = session.establishedTime {
            lines.append("  Established at t=\(Units.relativeTime(nanoseconds: established - origin, decimals: timeDecimals)) (frame \(session.establishedFrame ?? 0))")
        }
        let negotiated = session.establishedTime == nil ? [] : session.negotiatedCapabilities
        if !negotiated.isEmpty { lines.append("  Capabilities negotiated: " + negotiated.joined(separator: ", ")) }
        for side in session.sides {
            let types = zip(["other", "open", "update", "notification", "keepalive", "route-refresh"], side.messages)
                .filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
            var line = "  \(side.address): sent " + (types.isEmpty ? "nothing" : types.joined(separator: ", "))
            line += "; announced \(side.updatesAnnounced), withdrew \(side.updatesWithdrawn), holds \(side.routesHeldTotal)"
            if !side.endOfRIB.isEmpty {
                line += "; End-of-RIB " + side.endOfRIB.keys.map(\.description).sorted().joined(separator: ", ")
            }
            if let notification = side.lastNotification { line += "; last error sent: \(notification)" }
            lines.append(line)
            lines += familyLines(side, origin: origin)
        }
        let signed = session.sides.filter { $0.tcpAuthentication != nil }
        if !signed.isEmpty {
            lines.append("  TCP segment authentication: " + session.sides.map { "\($0.address) \($0.tcpAuthenticationName ?? "none")" }
                .joined(separator: ", ") + (signed.count == 1 ? " (one side only)" : ""))
        }
        if session.holes > 0 { lines.append("  \(session.holes) TCP hole(s) in the capture: decoding resynchronised on the next marker") }
        if let teardown = session.teardown {
            lines.append("  Closed at t=\(Units.relativeTime(nanoseconds: teardown.timeNanoseconds - origin, decimals: timeDecimals)) by \(session.sides[teardown.side].address): \(closeReason(teardown))")
        }
        lines.append("")
        return lines
    }
}
