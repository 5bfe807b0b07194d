import PeerscopeAnalysis
import PeerscopeWire

/// BFD.AUTH.KEYID (RFC 5880 §6.7.1): a change of Key ID within one direction (a key rollover).
final class KeyIDRule: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    /// The Key ID each side used last.
    @exclusivity(unchecked) private var lastKeyID = SlotStates(SidePair<UInt8?>(nil))

    override func reset(slot: Int) { lastKeyID.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        guard let auth = context.observation.packet.authentication else { return }
        if let last = lastKeyID[slot][context.side], last != auth.keyID {
            out.report(.BFD.AUTH.KEYID, context, session: session, kind: "\(last)-\(auth.keyID)",
                       measured: .composite([.text("key "), .change(.number(Int64(last)), .number(Int64(auth.keyID)))]), "Authentication Key ID changed (key rollover)")
        }
        lastKeyID[slot][context.side] = auth.keyID
    }
}
