import PeerscopeAnalysis
import PeerscopeWire

/// BFD.TMR.FINAL.REPLY (RFC 5880 §6.5, §6.8.6): a Poll is answered by a Final, and a Final answers
/// a Poll.
final class FinalReplyRule: BFDRule {
    override var events: BFDRuleEvents { [.pollFinal, .finishSession] }

    override func pollFinal(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        if context.observation.packet.final, context.answeredPoll == nil, context.peerLast != nil {
            out.report(.BFD.TMR.FINAL.REPLY, context, session: session, kind: "unsolicited",
                       "Final sent with no Poll outstanding from the peer")
        }
    }

    /// A Poll never answered although the peer kept talking.
    override func finishSession(_ session: BFDSession, slot: Int?, lastFrameTime: Int64, _ out: inout BFDRuleOutput) {
        for side in 0..<2 {
            if let poll = session.sides[side]?.outstandingPoll, let peer = session.sides[1 - side]?.last,
               peer.timeNanoseconds - poll.timeNanoseconds > 1_000_000_000 {
                out.add(Finding(.BFD.TMR.FINAL.REPLY, session: session.id, side: out.sideName(session, 1 - side),
                                frames: [poll.frameNumber, peer.frameNumber],
                                message: "Poll never answered with a Final although the peer kept sending",
                                relativeTimeNanoseconds: out.relative(poll.timeNanoseconds)),
                        kind: "unanswered")
            }
        }
    }
}
