import PeerscopeAnalysis
import PeerscopeWire

/// BGP.FSM.SEQUENCE (RFC 4271 §8.2.2): a side sends OPEN first, KEEPALIVE once it has the peer's
/// OPEN, and UPDATEs only after the peer's KEEPALIVE took it to Established. Judged only when the
/// capture saw the connection open (a session picked up mid-stream has no known beginning).
final class MessageSequenceRule: BGPRule {
    override var events: BGPRuleEvents { .decoded }

    override func decoded(_ message: BGPMessage, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        let side = context.side
        guard session.initiator != nil else { return }
        var problem: String?
        switch message {
        case .open:
            if session.sides[side].messages[1] > 1 { problem = "a second OPEN on the same connection" }
        case .keepalive:
            if session.sides[side].open == nil { problem = "KEEPALIVE before its own OPEN" }
        case .update:
            // Once Established every UPDATE is in order: the common case costs one comparison.
            if session.establishedTime != nil { break }
            if session.sides[side].open == nil || session.sides[1 - side].open == nil { problem = "UPDATE before both OPENs" }
            else if !session.sides[1 - side].confirmedOpen { problem = "UPDATE before the peer's KEEPALIVE (session not yet Established)" }
        case .routeRefresh:
            if session.establishedTime == nil { problem = "ROUTE-REFRESH before Established" }
        case .notification, .unknown:
            break
        }
        if let problem {
            out.report(.BGP.FSM.SEQUENCE, context, session: session, kind: problem,
                       "\(session.sides[side].name) sent \(problem) (RFC 4271 §8.2.2)")
        }
    }
}
