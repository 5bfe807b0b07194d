import Crypto
import PeerscopeWire

/// The keyed digests of RFC 5880 §6.7.3 (Keyed MD5, Meticulous Keyed MD5: RFC 1321 MD5) and §6.7.4
/// (Keyed SHA1, Meticulous Keyed SHA1: SHA-1), computed over the packet with the secret in the
/// digest field (`BFDControlPacket.digestInput(secret:)`). One place for the algorithm choice, for
/// the endpoint that signs and verifies, the analyzer that verifies a capture with `--key`, and the
/// sample generator that signs.
public enum BFDAuthDigest {
    /// The digest of `input` for `type`; empty for the types without one (simple password, reserved).
    public static func digest(_ type: BFDAuthType, over input: [UInt8]) -> [UInt8] {
        switch type {
        case .keyedMD5, .meticulousKeyedMD5: Array(Insecure.MD5.hash(data: input))
        case .keyedSHA1, .meticulousKeyedSHA1: Array(Insecure.SHA1.hash(data: input))
        case .simplePassword, .reserved: []
        }
    }

    /// The digest `packet` must carry under `secret`; nil when it has no keyed section.
    public static func expected(for packet: BFDControlPacket, secret: [UInt8]) -> [UInt8]? {
        guard let type = packet.authentication?.type, let input = packet.digestInput(secret: secret) else { return nil }
        return digest(type, over: input)
    }
}
