import PeerscopeAnalysis
import PeerscopeWire

/// BGP.OPEN.VERSION (RFC 4271 §4.2): the OPEN carries version 4.
final class OpenVersionRule: BGPRule {
    override var events: BGPRuleEvents { .open }

    override func open(_ open: BGPOpen, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        if open.version != 4 {
            out.report(.BGP.OPEN.VERSION, context, session: session, measured: .number(Int64(open.version)), expected: .number(4), "OPEN version \(open.version)")
        }
    }
}
