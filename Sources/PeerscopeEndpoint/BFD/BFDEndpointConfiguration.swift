import PeerscopeWire

/// Who speaks first (RFC 5880 §6.1). An active system sends Control packets from the start; a
/// passive one stays silent until it has heard its peer (bfd.RemoteDiscr nonzero, §6.8.7).
public enum BFDRole: Hashable, Sendable {
    case active
    case passive
}

/// Which TTL rule guards reception; the only difference between the two transports here.
public enum BFDHopMode: Hashable, Sendable {
    /// RFC 5881 §5: the received TTL / Hop Limit must be 255, so a packet can only come from a
    /// neighbour on the link (GTSM). Enforced with or without authentication.
    case singleHop
    /// RFC 5883 §2: the path length is unknown, so the receiver accepts any TTL at or above a
    /// configured minimum.
    case multihop(minimumTTL: UInt8)
}

/// The one key a session uses (RFC 5880 §6.7). `secret` is the password for simple password
/// authentication (1–16 bytes) or the key for the keyed types (1–16 bytes for MD5, 1–20 for SHA1).
/// Descriptions and mirrors never show the secret, so logging a configuration leaks nothing.
public struct BFDAuthenticationKey: Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    public let type: BFDAuthType
    public let keyID: UInt8
    public let secret: [UInt8]
    /// bfd.XmitAuthSeq's first value when the caller picks one (to continue a previous session's
    /// numbers, or for a reproducible run). nil: the endpoint draws a random start from its
    /// injected generator, as §6.8.1 asks.
    public let startingSequenceNumber: UInt32?

    public init(type: BFDAuthType, keyID: UInt8, secret: [UInt8], startingSequenceNumber: UInt32? = nil)
        throws(BFDConfigurationError)
    {
        let allowed: ClosedRange<Int>
        switch type {
        case .simplePassword, .keyedMD5, .meticulousKeyedMD5: allowed = 1...16
        case .keyedSHA1, .meticulousKeyedSHA1: allowed = 1...20
        case .reserved(let value): throw .reservedAuthType(value)
        }
        guard allowed.contains(secret.count) else { throw .secretLength(type: type, length: secret.count) }
        self.type = type
        self.keyID = keyID
        self.secret = secret
        self.startingSequenceNumber = startingSequenceNumber
    }

    public var description: String { "\(type) key-id \(keyID) secret <redacted>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["type": type, "keyID": keyID, "startingSequenceNumber": startingSequenceNumber as Any])
    }
}

/// The echo function (RFC 5880 §6.4): this system loops its own packets through the peer's
/// forwarding plane, at no more than the peer's Required Min Echo RX rate.
public struct BFDEchoConfiguration: Hashable, Sendable {
    /// The fastest this system wants to send echo packets; the peer's Required Min Echo RX Interval
    /// is a floor on top of it.
    public let desiredMinEchoTxInterval: Microseconds

    public init(desiredMinEchoTxInterval: Microseconds) throws(BFDConfigurationError) {
        guard desiredMinEchoTxInterval > 0 else { throw .echoIntervalZero }
        self.desiredMinEchoTxInterval = desiredMinEchoTxInterval
    }
}

/// What a caller asked for that RFC 5880 does not allow.
public enum BFDConfigurationError: Error, Hashable, Sendable {
    /// §6.8.1: bfd.LocalDiscr must be nonzero (and unique on the system).
    case localDiscriminatorZero
    /// §4.1: a Detect Mult of 0 is discarded by every receiver.
    case detectMultiplierZero
    /// §6.8.1 bfd.DesiredMinTxInterval: zero would mean sending as fast as possible.
    case desiredMinTxIntervalZero
    case reservedAuthType(UInt8)
    /// §4.2–§4.4: password 1–16 bytes, MD5 key up to 16, SHA1 key up to 20.
    case secretLength(type: BFDAuthType, length: Int)
    case echoIntervalZero
    /// RFC 5883 §3: the echo function must not be used over multiple hops.
    case echoOnMultihop
}

/// Everything fixed for the life of a session. Timers can change later through
/// `BFDEndpoint.setTimers`, which runs the Poll Sequence of §6.8.3.
public struct BFDEndpointConfiguration: Hashable, Sendable {
    /// bfd.LocalDiscr, sent as My Discriminator.
    public let localDiscriminator: UInt32
    /// The Desired Min TX Interval once Up; while not Up at least 1 s is advertised (§6.8.3).
    public let desiredMinTxInterval: Microseconds
    /// bfd.RequiredMinRxInterval; 0 asks the peer to send no periodic packets (§6.8.1).
    public let requiredMinRxInterval: Microseconds
    /// Required Min Echo RX Interval sent to the peer; 0 means this system loops no echo back.
    public let requiredMinEchoRxInterval: Microseconds
    /// bfd.DetectMult.
    public let detectMultiplier: UInt8
    public let role: BFDRole
    /// bfd.DemandMode: ask the peer to stop periodic packets once both sides are Up (§6.6).
    public let demandMode: Bool
    /// nil when this system does not run the echo function; always nil for `.multihop` (RFC 5883 §3).
    public let echo: BFDEchoConfiguration?
    /// nil: bfd.AuthType 0, no authentication.
    public let authentication: BFDAuthenticationKey?
    public let hopMode: BFDHopMode
    /// The C bit (§4.1): set when BFD here does not share fate with the control plane.
    public let controlPlaneIndependent: Bool

    public init(localDiscriminator: UInt32, desiredMinTxInterval: Microseconds = 1_000_000,
                requiredMinRxInterval: Microseconds = 1_000_000, requiredMinEchoRxInterval: Microseconds = 0,
                detectMultiplier: UInt8 = 3, role: BFDRole = .active, demandMode: Bool = false,
                echo: BFDEchoConfiguration? = nil, authentication: BFDAuthenticationKey? = nil,
                hopMode: BFDHopMode = .singleHop, controlPlaneIndependent: Bool = false)
        throws(BFDConfigurationError)
    {
        guard localDiscriminator != 0 else { throw .localDiscriminatorZero }
        guard detectMultiplier != 0 else { throw .detectMultiplierZero }
        guard desiredMinTxInterval != 0 else { throw .desiredMinTxIntervalZero }
        // RFC 5883 §3: echo packets loop back through the peer's forwarding plane, which only
        // means something on a single hop; a multihop session that asks for echo is a mistake.
        if echo != nil, case .multihop = hopMode { throw .echoOnMultihop }
        self.localDiscriminator = localDiscriminator
        self.desiredMinTxInterval = desiredMinTxInterval
        self.requiredMinRxInterval = requiredMinRxInterval
        self.requiredMinEchoRxInterval = requiredMinEchoRxInterval
        self.detectMultiplier = detectMultiplier
        self.role = role
        self.demandMode = demandMode
        self.echo = echo
        self.authentication = authentication
        self.hopMode = hopMode
        self.controlPlaneIndependent = controlPlaneIndependent
    }
}
