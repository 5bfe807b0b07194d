import PeerscopeAnalysis
import PeerscopeWire

/// BFD.PKT.YOURDISC.REFLECT (RFC 5880 §6.8.6, §6.3): Your Discriminator echoes the peer's My Discriminator.
final class YourDiscriminatorReflectRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if packet.yourDiscriminator != 0, let peer = context.peerLast,
           packet.yourDiscriminator != peer.packet.myDiscriminator {
            out.report(.BFD.PKT.YOURDISC.REFLECT, context, session: session,
                       frames: [context.observation.frameNumber, peer.frameNumber],
                       measured: .discriminator(packet.yourDiscriminator), expected: .discriminator(peer.packet.myDiscriminator),
                       "Your Discriminator does not reflect the peer's My Discriminator (stale or mis-demultiplexed session)")
        }
    }
}
