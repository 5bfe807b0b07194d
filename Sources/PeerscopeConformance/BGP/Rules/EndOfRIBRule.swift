import PeerscopeAnalysis
import PeerscopeWire

/// BGP.UPD.EOR (RFC 4724 §2): each End-of-RIB marker, per address family.
final class EndOfRIBRule: BGPRule {
    override var events: BGPRuleEvents { .update }

    override func update(_ update: BGPUpdate, _ context: BGPMessageContext, _ out: inout BGPRuleOutput) {
        guard let family = update.endOfRIB else { return }
        out.add(Finding(.BGP.UPD.EOR, bgpSession: context.session.id, side: context.name, frames: [context.record.frameNumber],
                        message: "End-of-RIB for \(family) from \(context.name)",
                        relativeTimeNanoseconds: out.relative(context.record.timeNanoseconds)), kind: "\(family)")
    }
}
