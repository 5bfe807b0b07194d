import Crypto
import PeerscopeAnalysis
import PeerscopeWire

/// CONFORMANCE.md §5: authentication (RFC 5880 §6.7). With the user's key the digest or password
/// is verified; without one it is reported as not verified, never as a failure.
extension BFDConformanceEngine {
    mutating func checkAuthentication(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        let me = context.side
        guard let auth = context.observation.packet.authentication else { return }
        if let last = state.sides[me].lastKeyID, last != auth.keyID {
            report("BFD.AUTH.KEYID", context, session: session, kind: "\(last)-\(auth.keyID)",
                   measured: "key \(last) → \(auth.keyID)", "Authentication Key ID changed (key rollover)")
        }
        state.sides[me].lastKeyID = auth.keyID
        var tally = state.sides[me].authentication ?? AuthenticationTally(type: auth.type, keyID: auth.keyID)
        tally.type = auth.type
        tally.keyID = auth.keyID
        tally.packets += 1
        switch verifyDigest(context, auth: auth, session: session, state: &state) {
        case true?: tally.verified += 1
        case false?: tally.failed += 1
        case nil: tally.unchecked += 1
        }
        state.sides[me].authentication = tally

        guard let sequence = auth.sequenceNumber else { return }
        defer { state.sides[me].lastSequence = sequence }
        guard let last = state.sides[me].lastSequence,
              context.previous?.packet.authentication?.type == auth.type
        else { return }
        let step = sequence &- last
        if auth.type.isMeticulous {
            if step == 0 || step > UInt32.max / 2 {
                report("BFD.AUTH.SEQ.METICULOUS", context, session: session,
                       frames: [context.previous?.frameNumber ?? 0, context.observation.frameNumber].filter { $0 > 0 },
                       measured: "\(last) → \(sequence)", expected: "\(last &+ 1) or more",
                       "Meticulous authentication did not increment the sequence number")
            }
        } else {
            let window = 3 * UInt32(max(context.observation.packet.detectMultiplier, 1))
            if step > UInt32.max / 2 || step > window {
                report("BFD.AUTH.SEQ.WINDOW", context, session: session,
                       frames: [context.previous?.frameNumber ?? 0, context.observation.frameNumber].filter { $0 > 0 },
                       measured: "\(last) → \(sequence)", expected: "within [\(last), \(last &+ window)]",
                       "Sequence number outside the window a receiver accepts (3 × Detect Mult)")
            }
        }
    }

    /// True when the digest or password matches the key given, false when it does not, nil when
    /// nothing could be checked (no key for this Key ID, a reserved type).
    private mutating func verifyDigest(_ context: BFDPacketContext, auth: BFDAuthentication, session: BFDSession,
                                       state: inout SessionRuleState) -> Bool? {
        guard let secret = options.keys[auth.keyID] else {
            if !state.sides[context.side].authNotVerifiedReported {
                state.sides[context.side].authNotVerifiedReported = true
                report("BFD.AUTH.DIGEST", context, session: session, level: .info, kind: "unverified",
                       measured: "\(auth.type) key \(auth.keyID)",
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
        case .keyedMD5, .meticulousKeyedMD5:
            guard let input = packet.digestInput(secret: secret) else { return nil }
            expected = Array(Insecure.MD5.hash(data: input))
        case .keyedSHA1, .meticulousKeyedSHA1:
            guard let input = packet.digestInput(secret: secret) else { return nil }
            expected = Array(Insecure.SHA1.hash(data: input))
        case .reserved:
            return nil
        }
        guard received != expected else { return true }
        var message = auth.type == .simplePassword
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
        report("BFD.AUTH.DIGEST", context, session: session, kind: "mismatch", measured: "mismatch",
               expected: "verifies with key \(auth.keyID)", message)
        return false
    }

    /// After the last frame: one INFO per side that used authentication with the count, so a run
    /// with the right key says so instead of saying nothing.
    mutating func finishAuthentication(session: BFDSession, state: SessionRuleState) {
        for index in 0..<2 {
            guard let tally = state.sides[index].authentication, let side = session.sides[index],
                  tally.verified + tally.failed > 0 else { continue }
            findings.add(sessionFinding("BFD.AUTH.DIGEST", session, side: index, level: .info,
                                        frames: [side.first.frameNumber],
                                        measured: "\(tally.verified) of \(tally.packets) verified",
                                        "\(tally.type): " + tally.summary),
                         kind: "tally")
        }
    }
}
