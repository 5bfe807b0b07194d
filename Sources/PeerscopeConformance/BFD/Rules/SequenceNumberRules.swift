import PeerscopeAnalysis
import PeerscopeWire

/// BFD.AUTH.SEQ.METICULOUS and BFD.AUTH.SEQ.WINDOW (RFC 5880 §6.7.3, §6.7.4): meticulous types
/// increment the sequence number on every packet; the others stay within the window a receiver
/// accepts. Both follow the side's last sequence number.
final class SequenceNumberRules: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    @exclusivity(unchecked) private var lastSequence = SlotStates(SidePair<UInt32?>(nil))

    override func reset(slot: Int) { lastSequence.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        guard let auth = context.observation.packet.authentication, let sequence = auth.sequenceNumber else { return }
        let me = context.side
        defer { lastSequence[slot][me] = sequence }
        guard let last = lastSequence[slot][me], context.previous?.packet.authentication?.type == auth.type else { return }
        let step = sequence &- last
        // Built only when a finding is reported: an array per packet would allocate on the hot path.
        var frames: [Int] { [context.previous?.frameNumber ?? 0, context.observation.frameNumber].filter { $0 > 0 } }
        if auth.type.isMeticulous {
            if step == 0 || step > UInt32.max / 2 {
                out.report(.BFD.AUTH.SEQ.METICULOUS, context, session: session, frames: frames,
                           measured: "\(last) → \(sequence)", expected: "\(last &+ 1) or more",
                           "Meticulous authentication did not increment the sequence number")
            }
        } else {
            let window = RFC5880Facts.sequenceWindow(detectMultiplier: context.observation.packet.detectMultiplier)
            if step > UInt32.max / 2 || step > window {
                out.report(.BFD.AUTH.SEQ.WINDOW, context, session: session, frames: frames,
                           measured: "\(last) → \(sequence)", expected: "within [\(last), \(last &+ window)]",
                           "Sequence number outside the window a receiver accepts (3 × Detect Mult)")
            }
        }
    }
}
