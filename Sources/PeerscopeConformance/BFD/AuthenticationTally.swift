import PeerscopeWire

/// What one side's authenticated packets came to (RFC 5880 §6.7), counted positively so that "93 of
/// 93 packets verified with key 7" is told apart from "nothing checked" (no key given).
public struct AuthenticationTally: Sendable, Equatable {
    /// The latest Authentication Type and Key ID the side used.
    public var type: BFDAuthType
    public var keyID: UInt8
    /// Packets with an authentication section.
    public var packets = 0
    /// Packets whose digest or password matched the key given for their Key ID.
    public var verified = 0
    /// Packets whose digest or password did not match the key given.
    public var failed = 0
    /// Packets for whose Key ID no key was given (not checked).
    public var unchecked = 0

    public init(type: BFDAuthType, keyID: UInt8) {
        self.type = type
        self.keyID = keyID
    }

    /// "93 of 93 packets verified with key 7", "0 of 12 packets verified with key 1 (12 failed)",
    /// "40 packets not verified (no key for key 3)".
    public var summary: String {
        if verified + failed == 0 { return "\(packets) packet(s) not verified (no key given for key \(keyID))" }
        var text = "\(verified) of \(packets) packet(s) verified with key \(keyID)"
        if failed > 0 { text += " (\(failed) failed)" }
        if unchecked > 0 { text += " (\(unchecked) with no key given)" }
        return text
    }
}
