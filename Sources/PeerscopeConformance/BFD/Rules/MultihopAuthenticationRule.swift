import PeerscopeAnalysis
import PeerscopeWire

/// BFD.IP.MULTIHOP.AUTH (RFC 5883 §6): multihop sessions should use authentication. Said once per
/// session.
final class MultihopAuthenticationRule: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    @exclusivity(unchecked) private var reported = SlotStates(false)

    override func reset(slot: Int) { reported.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        guard context.observation.transport == .multihop, context.observation.packet.authentication == nil,
              !reported[slot] else { return }
        reported[slot] = true
        out.report(.BFD.IP.MULTIHOP.AUTH, context, session: session,
                   "Multihop session without authentication (RFC 5883 §6 recommends it)")
    }
}
