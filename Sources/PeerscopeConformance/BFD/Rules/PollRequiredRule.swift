import PeerscopeAnalysis
import PeerscopeWire

/// BFD.TMR.POLL.REQUIRED (RFC 5880 §6.8.3): a change of Desired Min TX or Required Min RX while Up
/// is announced with a Poll.
final class PollRequiredRule: BFDRule {
    override var events: BFDRuleEvents { .timerChange }

    override func timerChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        guard let previous = context.previous, previous.packet.state == .up, packet.state == .up, !packet.poll
        else { return }
        let before = BFDParameters(previous.packet)
        let after = BFDParameters(packet)
        guard before.desiredMinTxInterval != after.desiredMinTxInterval
            || before.requiredMinRxInterval != after.requiredMinRxInterval else { return }
        out.report(.BFD.TMR.POLL.REQUIRED, context, session: session, frames: [previous.frameNumber, context.observation.frameNumber],
                   measured: "\(before) → \(after) without P", expected: "P set",
                   "Timers changed while Up without a Poll Sequence")
    }
}
