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
        verifyDigest(context, auth: auth, session: session, state: &state)

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

    private mutating func verifyDigest(_ context: BFDPacketContext, auth: BFDAuthentication, session: BFDSession,
                                       state: inout SessionRuleState) {
        guard let secret = options.keys[auth.keyID] else {
            if !state.sides[context.side].authNotVerifiedReported {
                state.sides[context.side].authNotVerifiedReported = true
                report("BFD.AUTH.DIGEST", context, session: session, level: .info, kind: "unverified",
                       measured: "\(auth.type) key \(auth.keyID)",
                       "Authentication not verified: no key given for Key ID \(auth.keyID) (use --key \(auth.keyID):SECRET)")
            }
            return
        }
        let packet = context.observation.packet
        let received = auth.data.bytes
        let expected: [UInt8]
        switch auth.type {
        case .simplePassword:
            expected = secret
        case .keyedMD5, .meticulousKeyedMD5:
            guard let input = packet.digestInput(secret: secret) else { return }
            expected = Array(Insecure.MD5.hash(data: input))
        case .keyedSHA1, .meticulousKeyedSHA1:
            guard let input = packet.digestInput(secret: secret) else { return }
            expected = Array(Insecure.SHA1.hash(data: input))
        case .reserved:
            return
        }
        guard received != expected else { return }
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
    }
}
