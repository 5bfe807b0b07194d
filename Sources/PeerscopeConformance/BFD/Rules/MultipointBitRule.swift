import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.PKT.M.BIT (RFC 5880 §6.8.6): the Multipoint bit is 0 on point-to-point sessions.
final class MultipointBitRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if BFDReceptionProbe.discards(packet, for: .multipointSet) {
            out.report(.BFD.PKT.M.BIT, context, session: session, measured: "M=1", expected: "M=0",
                       "Multipoint bit set on a point-to-point session; a receiver must discard the packet")
        }
    }
}
