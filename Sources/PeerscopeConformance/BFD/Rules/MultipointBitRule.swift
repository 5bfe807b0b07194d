import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.PKT.M.BIT (RFC 5880 §6.8.6): the Multipoint bit is 0 on point-to-point sessions.
final class MultipointBitRule: BFDRule {
    override var events: BFDRuleEvents { .packet }
    private let probe: BFDReceptionProbe

    /// `probe` is shared by the four header rules of a run.
    init(probe: BFDReceptionProbe) {
        self.probe = probe
        super.init()
    }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if probe.discards(packet, for: .multipointSet) {
            out.report(.BFD.PKT.M.BIT, context, session: session, measured: "M=1", expected: "M=0",
                       "Multipoint bit set on a point-to-point session; a receiver must discard the packet")
        }
    }
}
