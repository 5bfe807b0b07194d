import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.FSM.ADMINDOWN.RX (RFC 5880 §6.8.6): a side that receives AdminDown while not Down must go
/// Down (diag 3); still Up well after the peer's AdminDown, it did not.
final class AdminDownReceivedRule: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    /// When the peer first signalled AdminDown since this side last entered Down.
    @exclusivity(unchecked) private var peerAdminDownSince = SlotStates(SidePair<Int64?>(nil))

    override func reset(slot: Int) { peerAdminDownSince.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let me = context.side
        let packet = context.observation.packet
        if packet.state == .adminDown, peerAdminDownSince[slot][1 - me] == nil {
            peerAdminDownSince[slot][1 - me] = context.observation.timeNanoseconds
        }
        if let previous = context.previous, previous.packet.state != packet.state {
            if packet.state == .down { peerAdminDownSince[slot][me] = nil }
            return
        }
        guard let since = peerAdminDownSince[slot][me],
              context.peerLast?.packet.state == .adminDown,
              packet.state == .up || packet.state == .`init`
        else { return }
        let interval = Int64(context.negotiatedTxInterval ?? BFDTimingModel.slowStartInterval) * 1_000
        let waited = context.observation.timeNanoseconds - since
        if waited > interval + 100_000_000 + out.options.toleranceNanoseconds {
            out.report(.BFD.FSM.ADMINDOWN.RX, context, session: session,
                       measured: .composite([.text("still "), .word("\(packet.state)"), .text(" "), .duration(nanoseconds: waited), .text(" after AdminDown")]),
                       expected: .composite([.word("Down"), .text(", diag "), .number(3)]),
                       tolerance: .composite([.text("one TX interval + "), .duration(nanoseconds: 100_000_000)]),
                       "Peer signalled AdminDown but this side stayed \(packet.state)")
        }
    }
}
