import PeerscopeAnalysis
import PeerscopeWire

/// BFD.IP.PORT.STABLE (RFC 5881 §4): one session uses one source port.
final class SourcePortStableRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let observation = context.observation
        if let previous = context.previous, previous.sourcePort != observation.sourcePort {
            out.report(.BFD.IP.PORT.STABLE, context, session: session,
                       frames: [previous.frameNumber, observation.frameNumber],
                       measured: .change(.number(Int64(previous.sourcePort)), .number(Int64(observation.sourcePort))),
                       expected: .text("one source port"),
                       "The session's source port changed")
        }
    }
}
