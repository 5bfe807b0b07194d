import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.AUTH.SEQ.METICULOUS and BFD.AUTH.SEQ.WINDOW (RFC 5880 §6.7.3, §6.7.4): meticulous types
/// increment the sequence number on every packet; every type stays within the window a receiver
/// accepts (`BFDAuthSequenceWindow`, PeerscopeEndpoint's model). Both follow the side's last
/// sequence number.
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
        let window = BFDAuthSequenceWindow(meticulous: auth.type.isMeticulous,
                                           detectMultiplier: max(context.observation.packet.detectMultiplier, 1))
        if step > UInt32.max / 2 || (auth.type.isMeticulous && step == 0) {
            // Backwards (or, meticulous, not forwards): outside the window whatever the capture missed.
            if auth.type.isMeticulous {
                out.report(.BFD.AUTH.SEQ.METICULOUS, context, session: session, frames: frames,
                           measured: .change(.sequence(last), .sequence(sequence)),
                           expected: .composite([.sequence(last &+ 1), .text(" or more")]),
                           "Meticulous authentication did not increment the sequence number")
            } else {
                reportWindow(window, last: last, sequence: sequence, context, session: session, frames: frames, &out)
            }
        } else if step > window.width, context.nothingMissedSincePrevious(tolerance: out.options.toleranceNanoseconds) {
            // Ahead beyond 3 × Detect Mult, meticulous or not (§6.7.3: meticulous narrows the lower
            // end only). Judged only when no packet of this side can be missing between the two:
            // a receiver that got packets the capture lost has moved its window with them.
            reportWindow(window, last: last, sequence: sequence, context, session: session, frames: frames, &out)
        }
    }

    private func reportWindow(_ window: BFDAuthSequenceWindow, last: UInt32, sequence: UInt32, _ context: BFDPacketContext,
                              session: BFDSession, frames: [Int], _ out: inout BFDRuleOutput) {
        let bounds = window.acceptedBounds(after: last)
        out.report(.BFD.AUTH.SEQ.WINDOW, context, session: session, frames: frames,
                   measured: .change(.sequence(last), .sequence(sequence)),
                   expected: .within(.sequence(bounds.first), .sequence(bounds.last)),
                   "Sequence number outside the window a receiver accepts (3 × Detect Mult)")
    }
}
