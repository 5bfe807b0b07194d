import PeerscopeWire

/// What a receiver's §6.8.6 checks need to know about the session a packet is for, whichever side
/// plays the receiver: our endpoint, or one end of a captured session judged by the analyzer.
public struct BFDReceiverView: Hashable, Sendable {
    /// The TTL rule of the transport (RFC 5881 §5 or RFC 5883 §2).
    public var hopMode: BFDHopMode
    /// The receiver's My Discriminator: a nonzero Your Discriminator must select it.
    public var localDiscriminator: UInt32
    /// bfd.AuthType is nonzero on the receiver.
    public var authenticationInUse: Bool

    public init(hopMode: BFDHopMode, localDiscriminator: UInt32, authenticationInUse: Bool) {
        self.hopMode = hopMode
        self.localDiscriminator = localDiscriminator
        self.authenticationInUse = authenticationInUse
    }
}

/// The packet checks of RFC 5880 §6.8.6, in the RFC's order, before any session variable moves.
/// Pure: the same checks judge a datagram whether or not the session then uses it. The
/// authentication checks of §6.7 that need the key are the caller's `verifyAuthentication`
/// (the window of the sequence number is `BFDAuthSequenceWindow`). The AdminDown discard that
/// follows the checks is the session's, not the packet's: see `BFDTransitionTable`.
public enum BFDReceptionChecks {
    public static func check(
        _ payload: UnsafeRawBufferPointer, ttl: UInt8, receiver: BFDReceiverView,
        verifyAuthentication: (BFDControlPacket, UnsafeRawBufferPointer) -> BFDDiscardReason? = { _, _ in nil }
    ) -> Result<BFDControlPacket, BFDDiscardReason> {
        // The transport's rule comes first: a packet from too far away is not ours to read.
        switch receiver.hopMode {
        case .singleHop: guard ttl == 255 else { return .failure(.ttlBelowMinimum) }
        case .multihop(let minimum): guard ttl >= minimum else { return .failure(.ttlBelowMinimum) }
        }
        guard let first = payload.first else { return .failure(.lengthBeyondPayload) }
        // "If the version number is not correct (1), the packet MUST be discarded."
        guard first >> 5 == 1 else { return .failure(.unsupportedVersion) }
        // Without the Length byte there is no header to trust.
        guard payload.count >= 4 else { return .failure(.lengthBeyondPayload) }
        let flags = BFDFlags(rawValue: payload[1])
        let length = Int(payload[3])
        // "If the Length field is less than the minimum correct value (24 if the A bit is clear,
        // or 26 if the A bit is set), the packet MUST be discarded."
        let minimum = BFDControlPacket.mandatoryLength + (flags.contains(.authenticationPresent) ? 2 : 0)
        guard length >= minimum else { return .failure(.lengthBelowMinimum) }
        // "If the Length field is greater than the payload of the encapsulating protocol, the
        // packet MUST be discarded."
        guard length <= payload.count else { return .failure(.lengthBeyondPayload) }
        guard payload[2] != 0 else { return .failure(.detectMultiplierZero) }
        guard !flags.contains(.multipoint) else { return .failure(.multipointSet) }
        guard word(payload, at: 4) != 0 else { return .failure(.myDiscriminatorZero) }
        let yourDiscriminator = word(payload, at: 8)
        if yourDiscriminator != 0 {
            // One view is one session, so the lookup is a comparison.
            guard yourDiscriminator == receiver.localDiscriminator else { return .failure(.yourDiscriminatorUnknown) }
        } else {
            // "If the Your Discriminator field is zero and the State field is not Down or
            // AdminDown, the packet MUST be discarded."
            let state = BFDState(rawValue: payload[1] >> 6)!
            guard state == .down || state == .adminDown else { return .failure(.yourDiscriminatorZeroNotDown) }
        }
        let authenticationPresent = flags.contains(.authenticationPresent)
        if authenticationPresent && !receiver.authenticationInUse { return .failure(.authenticationUnexpected) }
        if !authenticationPresent && receiver.authenticationInUse { return .failure(.authenticationMissing) }
        let packet: BFDControlPacket
        do {
            packet = try BFDControlPacket.decode(payload)
        } catch {
            // Header and Length already passed, so only the authentication section can fail here.
            return .failure(.authLengthInvalid)
        }
        if authenticationPresent, let reason = verifyAuthentication(packet, payload) { return .failure(reason) }
        return .success(packet)
    }

    /// The same for a payload held in an array.
    public static func check(
        _ payload: [UInt8], ttl: UInt8, receiver: BFDReceiverView,
        verifyAuthentication: (BFDControlPacket, UnsafeRawBufferPointer) -> BFDDiscardReason? = { _, _ in nil }
    ) -> Result<BFDControlPacket, BFDDiscardReason> {
        payload.withUnsafeBytes { check($0, ttl: ttl, receiver: receiver, verifyAuthentication: verifyAuthentication) }
    }

    private static func word(_ payload: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(payload[offset]) << 24 | UInt32(payload[offset + 1]) << 16
            | UInt32(payload[offset + 2]) << 8 | UInt32(payload[offset + 3])
    }
}
