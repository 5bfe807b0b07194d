import PeerscopeAnalysis
import PeerscopeWire

/// Settings of a conformance run.
public struct CheckOptions: Sendable {
    /// Slack every timing check allows on top of the capture's timestamp resolution (default 1 ms).
    public var slackNanoseconds: Int64 = 1_000_000
    /// The capture's timestamp resolution (1 µs for classic pcap).
    public var resolutionNanoseconds: Int64 = 1_000
    /// Authentication keys by Key ID, for digest and password verification.
    public var keys: [UInt8: [UInt8]] = [:]
    /// Most bytes the TCP reassembly holds out of order per direction before giving up a gap.
    public var tcpBufferLimit = 1 << 20
    /// Sessions and reassembly bytes tracked in full (`--max-sessions`, `--max-reassembly`).
    public var stateLimits = StateLimits()
    /// Whether GTSM (RFC 5082) is known to be configured: the wire cannot show it.
    public var gtsm = GTSMHint.unknown

    public init() {}

    /// Largest tolerance a check uses (about 13 days): the rules add it to intervals and gaps, and a
    /// slack or timestamp resolution from a damaged file must not overflow those sums (issue 12).
    public static let maximumToleranceNanoseconds: Int64 = 1 << 50

    /// The tolerance a timing check uses: slack plus resolution, clamped to 0…2⁵⁰ ns.
    public var toleranceNanoseconds: Int64 {
        let (sum, overflow) = max(slackNanoseconds, 0).addingReportingOverflow(max(resolutionNanoseconds, 0))
        return overflow ? Self.maximumToleranceNanoseconds : min(sum, Self.maximumToleranceNanoseconds)
    }
    /// The tolerance as a finding states it (`±x`).
    public var tolerance: FindingValue { .plusMinus(.duration(nanoseconds: toleranceNanoseconds)) }
}

/// What the user told `check` about GTSM (RFC 5082): a TTL below 255 is a proven violation only
/// where GTSM is known to be on; otherwise the packets show a difference, not a broken MUST.
public enum GTSMHint: Sendable, Equatable {
    case unknown
    /// `--gtsm`: on for every BGP session.
    case all
    /// `--gtsm-peer ADDR`: on for the sessions with one of these addresses at either end.
    case peers(Set<IPAddress>)

    public func isOn(between a: IPAddress, and b: IPAddress) -> Bool {
        switch self {
        case .unknown: false
        case .all: true
        case .peers(let peers): peers.contains(a) || peers.contains(b)
        }
    }
}
