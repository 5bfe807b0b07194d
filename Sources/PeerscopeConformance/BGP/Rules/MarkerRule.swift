import PeerscopeAnalysis
import PeerscopeWire

/// BGP.MSG.MARKER (RFC 4271 §4.1): the Marker is 16 bytes of 0xFF.
final class MarkerRule: BGPRule {
    override var events: BGPRuleEvents { .message }

    override func message(_ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        if !context.record.markerValid {
            out.report(.BGP.MSG.MARKER, context, session: session, "Marker is not 16 bytes of 0xFF (RFC 4271 §4.1: Connection Not Synchronized)")
        }
    }
}
