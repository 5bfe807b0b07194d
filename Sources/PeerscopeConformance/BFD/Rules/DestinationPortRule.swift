import PeerscopeAnalysis
import PeerscopeWire

/// BFD.IP.PORT.DST (RFC 5881 §4; RFC 5883 §5): single-hop control to UDP 3784, multihop to 4784.
final class DestinationPortRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let observation = context.observation
        let expectedPort = observation.transport.wellKnownPort
        if observation.destinationPort != expectedPort, observation.transport != .seamless {
            out.report(.BFD.IP.PORT.DST, context, session: session, kind: "\(observation.destinationPort)",
                       measured: .number(Int64(observation.destinationPort)), expected: .number(Int64(expectedPort)),
                       "\(observation.transport) control packet sent to UDP \(observation.destinationPort), not \(expectedPort)")
        }
    }
}
