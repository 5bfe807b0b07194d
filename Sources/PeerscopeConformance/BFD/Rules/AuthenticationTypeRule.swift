import PeerscopeAnalysis
import PeerscopeWire

/// BFD.PKT.AUTH.LEN for a decodable packet (RFC 5880 §4.1): Authentication Types 0 and 6–255 are reserved.
/// (Lengths that do not match their type fail decoding: `MalformedPacketRule`.)
final class AuthenticationTypeRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if let auth = packet.authentication, case .reserved(let type) = auth.type {
            out.report(.BFD.PKT.AUTH.LEN, context, session: session, measured: .composite([.text("auth type "), .number(Int64(type))]),
                       expected: .range(.number(1), .number(5)),
                       "Authentication Type \(type) is reserved")
        }
    }
}
