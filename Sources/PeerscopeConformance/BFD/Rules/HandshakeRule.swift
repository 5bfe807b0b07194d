import PeerscopeAnalysis
import PeerscopeWire

/// BFD.FSM.HANDSHAKE (RFC 5880 §6.2): each time a side comes Up after hearing its peer, the time
/// since the session's first packet.
final class HandshakeRule: BFDRule {
    override var events: BFDRuleEvents { .stateChange }

    override func stateChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, from: BFDState, to: BFDState,
                     _ out: inout BFDRuleOutput) {
        guard to == .up, let a = session.a, let b = session.b,
              context.peerLast?.packet.state == .up || context.peerLast?.packet.state == .`init`
        else { return }
        let start = min(a.first.timeNanoseconds, b.first.timeNanoseconds)
        let name = out.sideName(session, context.side) ?? "?"
        let frame = context.observation.frameNumber
        let elapsed = context.observation.timeNanoseconds - start
        out.report(.BFD.FSM.HANDSHAKE, context, session: session, kind: "up-\(frame)",
                   measured: .duration(nanoseconds: elapsed),
                   "\(name) Up at frame \(frame), \(.duration(nanoseconds: elapsed)) after the session's first packet")
    }
}
