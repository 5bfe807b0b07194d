import PeerscopeAnalysis
import PeerscopeWire

/// BFD.IP.PORT.SRC (RFC 5881 §4): control packets come from a source port in 49152–65535.
final class SourcePortRangeRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let observation = context.observation
        // S-BFD reflectors answer from 7784 (RFC 7880); every other control sender uses an ephemeral port.
        let reflected = observation.transport == .seamless && observation.sourcePort == BFDTransport.seamlessPort
        if !reflected, observation.sourcePort < 49152 {
            out.report(.BFD.IP.PORT.SRC, context, session: session, measured: .number(Int64(observation.sourcePort)),
                       expected: .range(.number(49152), .number(65535)), "Source port \(observation.sourcePort) is outside the range RFC 5881 §4 requires")
        }
    }
}
