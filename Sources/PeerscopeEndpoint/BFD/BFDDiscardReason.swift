/// Why a received packet was dropped, one case per check of RFC 5880 §6.8.6 (and §6.7 for
/// authentication), in the order the checks run. A discarded packet changes no session variable
/// and does not count as received for the Detection Time.
public enum BFDDiscardReason: Int, Error, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// RFC 5881 §5 (single hop: TTL/Hop Limit must be 255) or RFC 5883 §2 (multihop: below the
    /// configured minimum).
    case ttlBelowMinimum
    /// Version is not 1.
    case unsupportedVersion
    /// Length below 24, or below 26 with the A bit set.
    case lengthBelowMinimum
    /// Length larger than the UDP payload (includes payloads too short to hold a header).
    case lengthBeyondPayload
    case detectMultiplierZero
    /// The Multipoint bit is reserved for point-to-multipoint extensions.
    case multipointSet
    case myDiscriminatorZero
    /// Your Discriminator is nonzero and selects no session here.
    case yourDiscriminatorUnknown
    /// Your Discriminator is zero but the sender claims Init or Up: it must know ours by then.
    case yourDiscriminatorZeroNotDown
    /// A bit set while bfd.AuthType is 0.
    case authenticationUnexpected
    /// A bit clear while authentication is in use.
    case authenticationMissing
    /// §6.7.1: Auth Type differs from bfd.AuthType.
    case authTypeMismatch
    /// §6.7.2–§6.7.4: Auth Len wrong for the type, or beyond Length.
    case authLengthInvalid
    /// The Auth Key ID names no key this session holds.
    case authKeyIDMismatch
    /// §6.7.2.
    case passwordMismatch
    /// §6.7.3/§6.7.4: outside bfd.RcvAuthSeq … +3×Detect Mult (meticulous: strictly after RcvAuthSeq).
    case sequenceOutOfWindow
    case digestMismatch
    /// §6.8.6: once the checks pass, a session in AdminDown discards the packet.
    case sessionAdminDown
    /// `start(now:)` has not been called yet.
    case sessionNotStarted
    /// An echo packet that this session did not send (RFC 5880 §6.4: echo contents are private).
    case echoForeign
    /// An echo packet arriving while the echo function is not running.
    case echoNotActive

    public var description: String {
        switch self {
        case .ttlBelowMinimum: "ttl-below-minimum"
        case .unsupportedVersion: "unsupported-version"
        case .lengthBelowMinimum: "length-below-minimum"
        case .lengthBeyondPayload: "length-beyond-payload"
        case .detectMultiplierZero: "detect-mult-zero"
        case .multipointSet: "multipoint-set"
        case .myDiscriminatorZero: "my-discriminator-zero"
        case .yourDiscriminatorUnknown: "your-discriminator-unknown"
        case .yourDiscriminatorZeroNotDown: "your-discriminator-zero-not-down"
        case .authenticationUnexpected: "auth-unexpected"
        case .authenticationMissing: "auth-missing"
        case .authTypeMismatch: "auth-type-mismatch"
        case .authLengthInvalid: "auth-length-invalid"
        case .authKeyIDMismatch: "auth-key-id-mismatch"
        case .passwordMismatch: "password-mismatch"
        case .sequenceOutOfWindow: "sequence-out-of-window"
        case .digestMismatch: "digest-mismatch"
        case .sessionAdminDown: "session-admin-down"
        case .sessionNotStarted: "session-not-started"
        case .echoForeign: "echo-foreign"
        case .echoNotActive: "echo-not-active"
        }
    }
}

/// Per-session counters, like a router's `show bfd counters`: one slot per discard reason in a
/// table sized once, plus traffic and transition totals.
public struct BFDCounters: Hashable, Sendable {
    public internal(set) var controlReceived = 0
    public internal(set) var controlAccepted = 0
    public internal(set) var controlSent = 0
    public internal(set) var finalsSent = 0
    /// Packets with F set that arrived while no Poll Sequence was running (§6.5 leaves them ignored).
    public internal(set) var finalsWithoutPoll = 0
    public internal(set) var pollSequencesStarted = 0
    public internal(set) var pollSequencesCompleted = 0
    public internal(set) var echoSent = 0
    public internal(set) var echoReturned = 0
    public internal(set) var upTransitions = 0
    public internal(set) var downTransitions = 0
    private var discards: [Int] = Array(repeating: 0, count: BFDDiscardReason.allCases.count)

    public init() {}

    public subscript(reason: BFDDiscardReason) -> Int { discards[reason.rawValue] }

    public var totalDiscarded: Int { discards.reduce(0, +) }

    /// Only reasons seen at least once, in check order.
    public var nonzeroDiscards: [(reason: BFDDiscardReason, count: Int)] {
        BFDDiscardReason.allCases.compactMap { discards[$0.rawValue] > 0 ? ($0, discards[$0.rawValue]) : nil }
    }

    mutating func count(_ reason: BFDDiscardReason) { discards[reason.rawValue] += 1 }
}
