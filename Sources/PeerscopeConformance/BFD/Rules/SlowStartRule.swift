import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.TMR.SLOW.START (RFC 5880 §6.8.3): while not Up, Desired Min TX is at least 1 s.
final class SlowStartRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if packet.state != .up, packet.desiredMinTxInterval < BFDTimingModel.slowStartInterval {
            out.report(.BFD.TMR.SLOW.START, context, session: session,
                       measured: .interval(microseconds: Int64(packet.desiredMinTxInterval)),
                       expected: .atLeast(.interval(microseconds: Int64(BFDTimingModel.slowStartInterval))),
                       "Desired Min TX below 1 s while \(packet.state) (RFC 5880 §6.8.3)")
        }
    }
}
