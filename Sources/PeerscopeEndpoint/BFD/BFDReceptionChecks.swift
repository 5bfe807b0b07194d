import PeerscopeWire

/// The packet checks of RFC 5880 §6.8.6, in the RFC's order, before any session variable moves.
/// Pure: the same checks judge a datagram whether or not the session then uses it.
enum BFDReceptionChecks {
    static func check(_ payload: UnsafeRawBufferPointer, ttl: UInt8, hopMode: BFDHopMode,
                      localDiscriminator: UInt32, authenticator: BFDAuthenticator?)
        -> Result<BFDControlPacket, BFDDiscardReason>
    {
        // The transport's rule comes first: a packet from too far away is not ours to read.
        switch hopMode {
        case .singleHop: guard ttl == 255 else { return .failure(.ttlBelowMinimum) }
        case .multihop(let minimum): guard ttl >= minimum else { return .failure(.ttlBelowMinimum) }
        }
        guard let first = payload.first else { return .failure(.lengthBeyondPayload) }
        guard first >> 5 == 1 else { return .failure(.unsupportedVersion) }
        // Without the Length byte there is no header to trust.
        guard payload.count >= 4 else { return .failure(.lengthBeyondPayload) }
        let flags = BFDFlags(rawValue: payload[1])
        let length = Int(payload[3])
        let minimum = BFDControlPacket.mandatoryLength + (flags.contains(.authenticationPresent) ? 2 : 0)
        guard length >= minimum else { return .failure(.lengthBelowMinimum) }
        guard length <= payload.count else { return .failure(.lengthBeyondPayload) }
        guard payload[2] != 0 else { return .failure(.detectMultiplierZero) }
        guard !flags.contains(.multipoint) else { return .failure(.multipointSet) }
        guard word(payload, at: 4) != 0 else { return .failure(.myDiscriminatorZero) }
        let yourDiscriminator = word(payload, at: 8)
        if yourDiscriminator != 0 {
            // One endpoint is one session, so the lookup is a comparison.
            guard yourDiscriminator == localDiscriminator else { return .failure(.yourDiscriminatorUnknown) }
        } else {
            let state = BFDState(rawValue: payload[1] >> 6)!
            guard state == .down || state == .adminDown else { return .failure(.yourDiscriminatorZeroNotDown) }
        }
        let authenticationPresent = flags.contains(.authenticationPresent)
        if authenticationPresent && authenticator == nil { return .failure(.authenticationUnexpected) }
        if !authenticationPresent && authenticator != nil { return .failure(.authenticationMissing) }
        let packet: BFDControlPacket
        do {
            packet = try BFDControlPacket.decode(payload)
        } catch {
            // Header and Length already passed, so only the authentication section can fail here.
            return .failure(.authLengthInvalid)
        }
        if let authenticator, let reason = authenticator.verify(packet, raw: payload) {
            return .failure(reason)
        }
        return .success(packet)
    }

    private static func word(_ payload: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(payload[offset]) << 24 | UInt32(payload[offset + 1]) << 16
            | UInt32(payload[offset + 2]) << 8 | UInt32(payload[offset + 3])
    }
}
