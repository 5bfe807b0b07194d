import PeerscopeAnalysis
import PeerscopeWire

/// A message that did not decode: BGP.UPD.ATTRS for an UPDATE, BGP.MSG.LENGTH for the others,
/// each with the treatment a receiver applies (RFC 7606, RFC 4271 §6).
final class MalformedMessageRule: BGPRule {
    override var events: BGPRuleEvents { .malformed }

    override func malformed(_ error: WireError, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        let type = BGPMessageType(rawValue: context.record.typeCode)
        let rule: RuleID = type == .update ? .BGP.UPD.ATTRS : .BGP.MSG.LENGTH
        // RFC 7606 §4, §5.4: an UPDATE whose attribute or NLRI lengths cannot be parsed leaves no way
        // to find the routes, so the only treatment left is a session reset; other messages with bad
        // lengths get NOTIFICATION Message Header Error or the message's own error code.
        var treatment = type == .update ? "RFC 7606 treatment: session reset (the UPDATE cannot be parsed)"
            : "expected treatment: NOTIFICATION (RFC 4271 §6)"
        // RFC 7606 §5.3: a malformed MP_REACH/MP_UNREACH NLRI of a negotiated family may cost only
        // that family ("AFI/SAFI disable", RFC 4760 §7) instead of the session.
        if type == .update, case .badNLRI(let afi, let safi, _) = error.reason {
            treatment = "RFC 7606 §5.3 treatment: AFI/SAFI disable for \(BGPAddressFamily(afi: afi, safi: safi).name) or session reset"
        }
        out.report(rule, context, session: session, measured: .text("\(error)"), kind: "malformed", "Malformed \(type): \(error); \(treatment)")
    }
}
