import PeerscopeAnalysis
import PeerscopeWire

/// BFD.TMR.REMOTE.RX.ZERO (RFC 5880 §6.8.7): a peer advertising Required Min RX 0 asks for no
/// periodic packets at all; a side still sending them a second later has not stopped.
final class RemoteRxZeroRule: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    /// When the peer first advertised Required Min RX 0 (in its run of such packets).
    @exclusivity(unchecked) private var peerZeroRxSince = SlotStates(SidePair<Int64?>(nil))

    override func reset(slot: Int) { peerZeroRxSince.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let me = context.side
        guard let peer = context.peerLast, peer.packet.requiredMinRxInterval == 0 else {
            peerZeroRxSince[slot][me] = nil
            return
        }
        let since = peerZeroRxSince[slot][me] ?? peer.timeNanoseconds
        peerZeroRxSince[slot][me] = since
        if context.isPeriodic, context.observation.timeNanoseconds - since > 1_000_000_000 + out.options.toleranceNanoseconds {
            out.report(.BFD.TMR.REMOTE.RX.ZERO, context, session: session, measured: .text("periodic packets continue"),
                       expected: .text("none"), "The peer advertised Required Min RX 0 but this side keeps transmitting")
        }
    }
}
