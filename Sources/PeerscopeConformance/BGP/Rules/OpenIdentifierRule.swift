import PeerscopeAnalysis
import PeerscopeWire

/// BGP.OPEN.ID (RFC 4271 §6.2; RFC 6286 §2.2): the BGP Identifier is non-zero and differs between the ends.
final class OpenIdentifierRule: BGPRule {
    override var events: BGPRuleEvents { .open }

    override func open(_ open: BGPOpen, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        if open.identifier.value == 0 {
            out.report(.BGP.OPEN.ID, context, session: session, measured: .address("0.0.0.0"), expected: .text("non-zero"), "BGP Identifier 0.0.0.0")
        } else if let peer = session.sides[1 - context.side].open, peer.identifier == open.identifier {
            out.report(.BGP.OPEN.ID, context, session: session, measured: .address("\(open.identifier)"),
                       expected: .text("different identifiers"),
                       "Both ends use BGP Identifier \(open.identifier) (RFC 6286 §2.2)")
        }
    }
}
