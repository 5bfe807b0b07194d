import PeerscopeAnalysis
import PeerscopeWire

/// BGP.MSG.TYPE (RFC 4271 §4.1; RFC 2918): message types are 1–5.
final class MessageTypeRule: BGPRule {
    override var events: BGPRuleEvents { .unknownType }

    override func unknownType(_ type: UInt8, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        out.report(.BGP.MSG.TYPE, context, session: session, measured: .number(Int64(type)), expected: .range(.number(1), .number(5)), "Unknown message type \(type)")
    }
}
