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
                   measured: .composite([.change(Self.timers(before), Self.timers(after)), .text(" without P")]),
                   expected: .word("P set"),
                   "Timers changed while Up without a Poll Sequence")
    }

    /// The timer fields of a packet, as the wire carries them (µs) and the mult.
    private static func timers(_ parameters: BFDParameters) -> FindingValue {
        .composite([.text("tx "), .interval(microseconds: Int64(parameters.desiredMinTxInterval)),
                    .text(", rx "), .interval(microseconds: Int64(parameters.requiredMinRxInterval)),
                    .text(", echo "), .interval(microseconds: Int64(parameters.requiredMinEchoRxInterval)),
                    .text(", mult "), .number(Int64(parameters.detectMultiplier))])
    }
}
