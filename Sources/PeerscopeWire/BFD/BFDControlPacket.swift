/// A BFD Control packet (RFC 5880 §4.1):
///
///      0                   1                   2                   3
///     |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
///     |                       My Discriminator                        |
///     |                      Your Discriminator                       |
///     |                    Desired Min TX Interval                    |
///     |                   Required Min RX Interval                    |
///     |                 Required Min Echo RX Interval                 |
///     |  optional Authentication Section …                            |
///
/// Decoding checks only what is needed to read the packet safely; whether the values obey the
/// RFC (mult 0, M set, discriminator 0 …) is the conformance rules' job, so such packets decode.
public struct BFDControlPacket: Hashable, Sendable {
    public static let mandatoryLength = 24

    public var version: UInt8
    public var diagnostic: BFDDiagnostic
    public var state: BFDState
    public var flags: BFDFlags
    public var detectMultiplier: UInt8
    /// The Length field as sent (header plus authentication section).
    public var length: UInt8
    public var myDiscriminator: UInt32
    public var yourDiscriminator: UInt32
    public var desiredMinTxInterval: Microseconds
    public var requiredMinRxInterval: Microseconds
    public var requiredMinEchoRxInterval: Microseconds
    public var authentication: BFDAuthentication?

    /// Builds a packet; the A bit and Length follow `authentication` unless given explicitly
    /// (the tester sends deliberately inconsistent ones).
    public init(state: BFDState, diagnostic: BFDDiagnostic = .none, flags: BFDFlags = [],
                detectMultiplier: UInt8 = 3, myDiscriminator: UInt32, yourDiscriminator: UInt32 = 0,
                desiredMinTxInterval: Microseconds = 1_000_000, requiredMinRxInterval: Microseconds = 1_000_000,
                requiredMinEchoRxInterval: Microseconds = 0, authentication: BFDAuthentication? = nil,
                version: UInt8 = 1, length: UInt8? = nil) {
        self.version = version
        self.diagnostic = diagnostic
        self.state = state
        self.flags = authentication == nil ? flags : flags.union(.authenticationPresent)
        self.detectMultiplier = detectMultiplier
        self.myDiscriminator = myDiscriminator
        self.yourDiscriminator = yourDiscriminator
        self.desiredMinTxInterval = desiredMinTxInterval
        self.requiredMinRxInterval = requiredMinRxInterval
        self.requiredMinEchoRxInterval = requiredMinEchoRxInterval
        self.authentication = authentication
        self.length = length ?? UInt8(Self.mandatoryLength + Int(authentication?.length ?? 0))
    }

    public var poll: Bool { flags.contains(.poll) }
    public var final: Bool { flags.contains(.final) }

    /// Decodes a BFD Control packet from a UDP payload. Bytes after `Length` are ignored, as a
    /// receiver would.
    public static func decode(_ payload: UnsafeRawBufferPointer) throws(WireError) -> BFDControlPacket {
        let (flags, length) = try checkHeader(payload)
        var cursor = ByteCursor(payload, offset: mandatoryLength)
        var authentication: BFDAuthentication?
        if flags.contains(.authenticationPresent) {
            authentication = try BFDAuthentication.decode(&cursor, available: Int(length) - mandatoryLength)
        }
        let fields = ByteCursor(payload)
        let first = fields.byte(at: 0)
        return BFDControlPacket(
            state: BFDState(rawValue: fields.byte(at: 1) >> 6)!, diagnostic: BFDDiagnostic(rawValue: first & 0x1F),
            flags: flags, detectMultiplier: fields.byte(at: 2), myDiscriminator: fields.word32(at: 4),
            yourDiscriminator: fields.word32(at: 8), desiredMinTxInterval: fields.word32(at: 12),
            requiredMinRxInterval: fields.word32(at: 16), requiredMinEchoRxInterval: fields.word32(at: 20),
            authentication: authentication, version: first >> 5, length: length)
    }

    /// The same checks as `decode` without building the packet: what counting needs.
    public static func validate(_ payload: UnsafeRawBufferPointer) throws(WireError) {
        let (flags, length) = try checkHeader(payload)
        if flags.contains(.authenticationPresent) {
            var cursor = ByteCursor(payload, offset: mandatoryLength)
            _ = try BFDAuthentication.decode(&cursor, available: Int(length) - mandatoryLength)
        }
    }

    /// Version, size and Length checks of RFC 5880 §6.8.6, in that order; returns flags and Length.
    @inline(__always)
    static func checkHeader(_ payload: UnsafeRawBufferPointer) throws(WireError) -> (BFDFlags, UInt8) {
        guard let first = payload.first else {
            throw WireError(.bfd, .truncated(needed: mandatoryLength, available: 0), at: 0)
        }
        let version = first >> 5
        // §6.8.6: a version the receiver does not speak is discarded; versions are not wire-compatible.
        guard version == 1 else { throw WireError(.bfd, .badVersion(version), at: 0) }
        guard payload.count >= mandatoryLength else {
            throw WireError(.bfd, .truncated(needed: mandatoryLength, available: payload.count), at: 0)
        }
        let cursor = ByteCursor(payload)
        let flags = BFDFlags(rawValue: cursor.byte(at: 1))
        let length = cursor.byte(at: 3)
        let minimum = flags.contains(.authenticationPresent) ? mandatoryLength + 2 : mandatoryLength
        // §6.8.6: Length below the minimum, or beyond the payload, means the packet is discarded.
        guard Int(length) >= minimum else {
            throw WireError(.bfd, .lengthTooSmall(declared: Int(length), minimum: minimum), at: 3)
        }
        guard Int(length) <= payload.count else {
            throw WireError(.bfd, .lengthBeyondData(declared: Int(length), available: payload.count), at: 3)
        }
        return (flags, length)
    }

    /// Writes every field as stored, including an inconsistent `length` if one was set.
    public func encode(into bytes: inout [UInt8]) {
        bytes.append(version << 5 | diagnostic.rawValue & 0x1F)
        bytes.append(state.rawValue << 6 | flags.rawValue)
        bytes.append(detectMultiplier)
        bytes.append(length)
        bytes.appendUInt32(myDiscriminator)
        bytes.appendUInt32(yourDiscriminator)
        bytes.appendUInt32(desiredMinTxInterval)
        bytes.appendUInt32(requiredMinRxInterval)
        bytes.appendUInt32(requiredMinEchoRxInterval)
        authentication?.encode(into: &bytes)
    }

    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(length))
        encode(into: &bytes)
        return bytes
    }

    /// The bytes a keyed MD5/SHA1 digest is computed over (RFC 5880 §6.7.3, §6.7.4): the whole
    /// packet with the digest field holding the secret, zero-padded to the digest length.
    /// `nil` for packets without a keyed authentication section.
    public func digestInput(secret: [UInt8]) -> [UInt8]? {
        guard let authentication, authentication.type.hasSequenceNumber else { return nil }
        let digestLength = authentication.type.digestLength
        var withKey = self
        withKey.authentication?.data = AuthBytes(secret.prefix(digestLength)
            + Array(repeating: 0, count: max(0, digestLength - secret.count)))
        return withKey.encoded
    }
}

/// A BFD Echo packet (RFC 5880 §6.4, RFC 5881 §4): the contents are the sender's private business,
/// so only the length and a digest are kept — enough to pair a packet with its looped-back copy.
public struct BFDEchoPacket: Hashable, Sendable {
    public var payloadLength: Int
    /// FNV-1a over the payload: equal for an echo packet and its copy coming back.
    public var payloadDigest: UInt64

    public init(payloadLength: Int, payloadDigest: UInt64 = 0) {
        self.payloadLength = payloadLength
        self.payloadDigest = payloadDigest
    }

    public init(payload: UnsafeRawBufferPointer) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in payload {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        self.init(payloadLength: payload.count, payloadDigest: hash)
    }
}
