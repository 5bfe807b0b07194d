import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.PKT.MYDISC.ZERO (RFC 5880 §6.8.6): a receiver discards a packet with My Discriminator 0.
final class MyDiscriminatorZeroRule: BFDRule {
    override var events: BFDRuleEvents { .packet }
    private let probe: BFDReceptionProbe

    /// `probe` is shared by the four header rules of a run.
    init(probe: BFDReceptionProbe) {
        self.probe = probe
        super.init()
    }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if probe.discards(packet, for: .myDiscriminatorZero) {
            out.report(.BFD.PKT.MYDISC.ZERO, context, session: session, measured: "0", expected: "non-zero",
                       "My Discriminator is 0; a receiver must discard the packet")
        }
    }
}
