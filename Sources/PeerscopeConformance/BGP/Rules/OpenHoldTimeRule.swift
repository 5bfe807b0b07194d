import PeerscopeAnalysis
import PeerscopeWire

/// BGP.OPEN.HOLD (RFC 4271 §4.2, §6.2): Hold Time is 0 or at least 3 s.
final class OpenHoldTimeRule: BGPRule {
    override var events: BGPRuleEvents { .open }

    override func open(_ open: BGPOpen, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        if open.holdTime == 1 || open.holdTime == 2 {
            out.report(.BGP.OPEN.HOLD, context, session: session, measured: .seconds(Int64(open.holdTime)),
                       expected: .composite([.number(0), .text(" or "), .atLeast(.seconds(3))]),
                       "Hold Time \(open.holdTime) s: must be 0 or at least 3 s (RFC 4271 §4.2)")
        }
    }
}
