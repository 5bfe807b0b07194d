import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.PKT.YOURDISC.STATE (RFC 5880 §6.8.6): Your Discriminator 0 only while Down or AdminDown.
final class YourDiscriminatorStateRule: BFDRule {
    override var events: BFDRuleEvents { .packet }
    private let probe: BFDReceptionProbe

    /// `probe` is shared by the four header rules of a run.
    init(probe: BFDReceptionProbe) {
        self.probe = probe
        super.init()
    }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if probe.discards(packet, for: .yourDiscriminatorZeroNotDown) {
            out.report(.BFD.PKT.YOURDISC.STATE, context, session: session, measured: "0 in state \(packet.state)",
                       expected: "non-zero unless Down or AdminDown",
                       "Your Discriminator is 0 while the sender is \(packet.state); the peer must discard it")
        }
    }
}
