import PeerscopeAnalysis
import PeerscopeWire

/// BFD.IP.TTL.SINGLEHOP (RFC 5881 §5): single-hop control packets carry TTL 255 (a MUST without
/// authentication, a SHOULD with it).
final class SingleHopTTLRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let observation = context.observation
        switch observation.transport {
        case .singleHop, .microBFD:
            if observation.ttl != 255 {
                let authenticated = observation.packet.authentication != nil
                out.report(.BFD.IP.TTL.SINGLEHOP, context, session: session, level: authenticated ? .should : nil,
                           measured: .number(Int64(observation.ttl)), expected: .number(255),
                           authenticated
                               ? "Single-hop packet with TTL \(observation.ttl); with authentication 255 is still expected"
                               : "Single-hop packet with TTL \(observation.ttl): a receiver must discard it (GTSM, RFC 5881 §5)")
            }
        case .multihop, .seamless, .echo:
            break
        }
    }
}
