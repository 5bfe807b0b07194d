import PeerscopeAnalysis
import PeerscopeWire

/// BGP.UPD.EOR (RFC 4724 §2): each End-of-RIB marker, per address family.
final class EndOfRIBRule: BGPRule {
    override var events: BGPRuleEvents { .update }

    override func update(_ update: BGPUpdate, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        guard let family = update.endOfRIB else { return }
        let name = session.sides[context.side].name
        out.add(Finding(.BGP.UPD.EOR, bgpSession: session.id, side: name, frames: [context.record.frameNumber],
                        message: "End-of-RIB for \(family) from \(name)",
                        relativeTimeNanoseconds: out.relative(context.record.timeNanoseconds)), kind: "\(family)")
    }
}
