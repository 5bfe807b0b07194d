import Crypto
import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.AUTH.DIGEST (RFC 5880 §6.7.2–§6.7.4), per packet: with the user's key the digest or
/// password is verified; without one it is reported as not verified, never as a failure. Keeps
/// each side's `AuthenticationTally` (reported at the end by `AuthenticationTallyRule`).
final class AuthenticationDigestRule: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    private let keys: [UInt8: [UInt8]]
    private struct Side {
        var tally: AuthenticationTally?
        var notVerifiedReported = false
    }
    @exclusivity(unchecked) private var sides = SlotStates(SidePair(Side()))

    init(keys: [UInt8: [UInt8]]) { self.keys = keys }

    override func reset(slot: Int) { sides.reset(slot) }

    func tally(slot: Int?, side: Int) -> AuthenticationTally? { sides.value(slot)[side].tally }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        guard let auth = context.observation.packet.authentication else { return }
        let me = context.side
        var tally = sides[slot][me].tally ?? AuthenticationTally(type: auth.type, keyID: auth.keyID)
        tally.type = auth.type
        tally.keyID = auth.keyID
        tally.packets += 1
        switch verify(context, auth: auth, session: session, slot: slot, &out) {
        case true?: tally.verified += 1
        case false?: tally.failed += 1
        case nil: tally.unchecked += 1
        }
        sides[slot][me].tally = tally
    }

    /// True when the digest or password matches the key given, false when it does not, nil when
    /// nothing could be checked (no key for this Key ID, a reserved type).
    private func verify(_ context: BFDPacketContext, auth: BFDAuthentication, session: BFDSession, slot: Int,
                        _ out: inout BFDRuleOutput) -> Bool? {
        guard let secret = keys[auth.keyID] else {
            if !sides[slot][context.side].notVerifiedReported {
                sides[slot][context.side].notVerifiedReported = true
                out.report(.BFD.AUTH.DIGEST, context, session: session, level: .info, kind: "unverified",
                           measured: .composite([.word("\(auth.type)"), .text(" key "), .number(Int64(auth.keyID))]),
                           "Authentication not verified: no key given for Key ID \(auth.keyID) (use --key \(auth.keyID):SECRET)")
            }
            return nil
        }
        let packet = context.observation.packet
        let received = auth.data.bytes
        let expected: [UInt8]
        switch auth.type {
        case .simplePassword:
            expected = secret
        case .keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1:
            guard let digest = BFDAuthDigest.expected(for: packet, secret: secret) else { return nil }
            expected = digest
        case .reserved:
            return nil
        }
        guard received != expected else { return true }
        var message: FindingMessage = auth.type == .simplePassword
            ? "Password does not match the key given for Key ID \(auth.keyID)"
            : "\(auth.type) digest does not verify with the key given for Key ID \(auth.keyID)"
        if auth.type == .keyedSHA1 || auth.type == .meticulousKeyedSHA1 {
            // Some implementations compute HMAC-SHA1 instead of the §6.7.4 keyed hash: an interop
            // quirk worth naming, not line noise.
            var zeroed = packet
            zeroed.authentication?.data = AuthBytes(repeatElement(0, count: 20))
            let hmac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: zeroed.encoded, using: SymmetricKey(data: secret)))
            if hmac == received {
                message = "SHA1 digest is HMAC-SHA1 with this key, not the RFC 5880 §6.7.4 keyed SHA1: an interop quirk (reported for FRR bfdd)"
            }
        }
        out.report(.BFD.AUTH.DIGEST, context, session: session, kind: "mismatch", measured: .text("mismatch"),
                   expected: .composite([.text("verifies with key "), .number(Int64(auth.keyID))]), message)
        return false
    }
}
