import PeerscopeAnalysis
import PeerscopeWire

/// BFD.PKT.AUTH.CONSISTENT (RFC 5880 §6.7): the A bit does not toggle within one direction.
final class AuthenticationConsistentRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if let previous = context.previous,
           previous.packet.flags.contains(.authenticationPresent) != packet.flags.contains(.authenticationPresent) {
            out.report(.BFD.PKT.AUTH.CONSISTENT, context, session: session,
                       frames: [previous.frameNumber, context.observation.frameNumber],
                       measured: .word(packet.authentication == nil ? "A=0" : "A=1"),
                       expected: .word(previous.packet.authentication == nil ? "A=0" : "A=1"),
                       "Authentication bit changed within one direction of the session")
        }
    }
}
