import PeerscopeAnalysis
import PeerscopeWire

/// BFD.PKT.PF.BOTH (RFC 5880 §6.5): Poll and Final are never both set.
final class PollFinalBothRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if packet.poll, packet.final {
            out.report(.BFD.PKT.PF.BOTH, context, session: session, measured: .word("P=1 F=1"),
                       "Poll and Final both set (RFC 5880 §6.5 forbids it)")
        }
    }
}
