import PeerscopeAnalysis
import PeerscopeWire

/// BFD.CLIENT.TEARDOWN, BFD.CLIENT.ADMINDOWN (RFC 5882 §3.2) and BGP.NOTIF.BFD.CEASE (RFC 9384):
/// what the BGP session did when its BFD session went Down — the failover chain, a teardown that a
/// peer's AdminDown alone caused, and the NOTIFICATION it was closed with.
final class FailoverClientRules: BGPRule {
    override var events: BGPRuleEvents { .failovers }

    override func failovers(_ failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession], _ out: inout BGPRuleOutput) {
        // A BFD session that protects no BGP session in the capture has no client to judge; its
        // Downs still appear in the failover table.
        for failover in failovers where failover.bgpSessionID != nil {
            guard let session = bfd.first(where: { $0.id == failover.bfdSessionID }) else { continue }
            let peerSide = 1 - failover.declaringSide
            let peerAddress = failover.declaringSide == 0 ? session.addresses?.1 : session.addresses?.0
            // Did the peer say AdminDown just before (RFC 5880 §6.8.6 → diag 3 on our side)?
            let peerAdminDown = session.events.contains { event in
                guard event.side == peerSide, case .stateChange(_, let to, _) = event.kind, to == .adminDown else { return false }
                return event.timeNanoseconds <= failover.downNanoseconds
                    && failover.downNanoseconds - event.timeNanoseconds < FailoverCorrelator.teardownWindowNanoseconds
            }
            let bgpSession = failover.bgpSessionID.flatMap { id in bgp.first { $0.id == id } }
            var frames = [failover.downFrame]
            var closer: String?
            var closedByDeclarer = false
            if case .closed(let teardown)? = failover.teardown, let bgpSession {
                frames.append(teardown.frameNumber)
                closer = bgpSession.sides[teardown.side].address.description
                closedByDeclarer = bgpSession.sides[teardown.side].address == failover.declaredBy
            }
            out.add(Finding(.BFD.CLIENT.TEARDOWN, session: failover.bfdSessionID, bgpSession: failover.bgpSessionID,
                                 side: failover.declaredBy.description, frames: frames,
                                 measured: failover.teardownDelayNanoseconds.map { .duration(nanoseconds: $0) },
                                 message: Self.chain(failover, closer: closer),
                                 relativeTimeNanoseconds: out.relative(failover.downNanoseconds)), kind: "\(failover.downFrame)")
            guard case .closed(let teardown)? = failover.teardown, closedByDeclarer else { continue }
            if peerAdminDown {
                out.add(Finding(.BFD.CLIENT.ADMINDOWN, session: failover.bfdSessionID, bgpSession: failover.bgpSessionID,
                                     side: failover.declaredBy.description, frames: frames,
                                     message: "\(peerAddress.map { "\($0)" } ?? "The peer") signalled BFD AdminDown and "
                                         + "\(failover.declaredBy) tore the BGP session down \(.duration(nanoseconds: teardown.timeNanoseconds - failover.downNanoseconds)) later; "
                                         + "AdminDown should not by itself bring the client down (RFC 5882 §3.2)",
                                     relativeTimeNanoseconds: out.relative(teardown.timeNanoseconds)))
            } else if case .notification(let notification) = teardown.cause, !(notification.code == 6 && notification.subcode == 10) {
                out.add(Finding(.BGP.NOTIF.BFD.CEASE, session: failover.bfdSessionID, bgpSession: failover.bgpSessionID,
                                     side: failover.declaredBy.description, frames: frames,
                                     measured: .composite([.number(Int64(notification.code)), .text("/"), .number(Int64(notification.subcode))]),
                                     expected: .composite([.number(6), .text("/"), .number(10), .text(" (Cease, BFD Down)")]),
                                     message: "BGP closed after BFD Down with NOTIFICATION \(notification), not Cease/BFD Down (RFC 9384)",
                                     relativeTimeNanoseconds: out.relative(teardown.timeNanoseconds)))
            }
        }
    }

    /// The failover chain in one sentence, times from the BFD Down.
    static func chain(_ failover: Failover, closer: String?) -> FindingMessage {
        var parts: [FindingMessage] = []
        if let received = failover.lastReceivedEstimateNanoseconds {
            parts.append("peer's packets stopped arriving \(.duration(nanoseconds: failover.downNanoseconds - received)) before (detection time)")
            if let heard = failover.lastHeardNanoseconds, heard > received + 1_000_000 {
                parts.append("the capture shows them until \(.duration(nanoseconds: failover.downNanoseconds - heard)) before: lost after the capture point")
            }
        } else if let heard = failover.lastHeardNanoseconds {
            parts.append("last packet from the peer \(.duration(nanoseconds: failover.downNanoseconds - heard)) before")
        }
        parts.append("BFD Down by \(failover.declaredBy) (diag \(failover.diagnostic.rawValue) \(failover.diagnostic))")
        switch failover.teardown {
        case .closed(let teardown)?:
            let delay = teardown.timeNanoseconds - failover.downNanoseconds
            parts.append("BGP \(teardown.cause) from \(closer ?? "?") "
                + (delay >= 0 ? "after \(.duration(nanoseconds: delay))" as FindingMessage : "already \(.duration(nanoseconds: -delay)) before"))
        case .silence?: parts.append("BGP went silent (no teardown captured)")
        case .stayedUp?: parts.append("BGP session stayed up")
        case nil: parts.append("no BGP session on this address pair")
        }
        if let routes = failover.routesLost, routes > 0 { parts.append("\(routes) route(s) lost with it") }
        if let elsewhere = failover.withdrawalsElsewhere {
            parts.append("\(elsewhere.prefixes) prefix(es) withdrawn on other sessions from +\(.duration(nanoseconds: elsewhere.timeNanoseconds - failover.downNanoseconds))")
        }
        return parts.joined(separator: " → ")
    }
}
