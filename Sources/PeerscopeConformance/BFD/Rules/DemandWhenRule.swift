import PeerscopeAnalysis
import PeerscopeWire

/// BFD.PKT.DEMAND.WHEN (RFC 5880 §6.8.7): the D bit is set only while both ends are Up.
final class DemandWhenRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if packet.flags.contains(.demand) {
            let peerUp = context.peerLast?.packet.state == .up
            if packet.state != .up || !peerUp {
                out.report(.BFD.PKT.DEMAND.WHEN, context, session: session,
                           measured: .composite([.word("D=1"), .text(", sender "), .word("\(packet.state)"), .text(", peer "),
                                                 .word(context.peerLast?.packet.state.description ?? "unseen")]),
                           expected: .text("both Up"), "Demand bit set while the session is not Up on both ends")
            }
        }
    }
}
