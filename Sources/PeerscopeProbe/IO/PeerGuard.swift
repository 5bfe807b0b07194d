import PeerscopeWire

/// Why the peer guard refused a destination. Each case renders as one line.
public enum PeerGuardError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 0.0.0.0/8 or ::.
    case unspecified(IPAddress)
    /// 255.255.255.255.
    case limitedBroadcast(IPAddress)
    /// 224.0.0.0/4 or ff00::/8.
    case multicast(IPAddress)
    /// 240.0.0.0/4 (other than the limited broadcast): not a unicast host.
    case reserved(IPAddress)
    /// The directed broadcast of a directly connected IPv4 prefix.
    case subnetBroadcast(IPAddress, prefix: String)
    /// A send to anything but the configured peer.
    case notThePeer(destination: IPAddress, peer: IPAddress)
    /// Single hop (RFC 5881) needs the peer inside a prefix configured on a local interface.
    case notDirectlyConnected(IPAddress, interface: String?)
    case noSuchInterface(String)
    /// More packets than the session's token bucket allows.
    case rateLimited(peer: IPAddress, packetsPerSecond: Int)

    public var description: String {
        switch self {
        case .unspecified(let address): "\(address) is an unspecified address"
        case .limitedBroadcast(let address): "\(address) is the limited broadcast address"
        case .multicast(let address): "\(address) is a multicast address"
        case .reserved(let address): "\(address) is in reserved space 240.0.0.0/4"
        case .subnetBroadcast(let address, let prefix): "\(address) is the broadcast address of \(prefix)"
        case .notThePeer(let destination, let peer): "\(destination) is not the configured peer \(peer)"
        case .notDirectlyConnected(let address, let interface):
            if let interface {
                "\(address) is not in a prefix configured on \(interface), as a single-hop peer must be"
            } else {
                "\(address) is not in any directly connected prefix, as a single-hop peer must be"
            }
        case .noSuchInterface(let name): "no interface named \(name) with an address of the peer's family"
        case .rateLimited(let peer, let rate): "more than \(rate) packets/s to \(peer); packet dropped"
        }
    }
}

/// The safety net every packet of the active tester passes through: one configured unicast peer,
/// reachable the way the session says (directly connected for single hop), at a bounded rate.
///
/// The address checks run once at `init`; `admit` then only compares the destination with the
/// peer and takes a token, so the per-packet cost is a comparison and some arithmetic.
public struct PeerGuard: Sendable {
    public let peer: IPAddress
    public let isSingleHop: Bool
    /// The local address whose prefix holds the peer (single hop), e.g. to pick a source address.
    public let connectedVia: LocalInterface?
    public let packetsPerSecond: Int
    public let burst: Int

    // Token bucket in nanoseconds of credit: one packet costs `costNanoseconds`.
    private let costNanoseconds: Int64
    private let capacityNanoseconds: Int64
    private var creditNanoseconds: Int64
    private var lastRefillNanoseconds: Int64?

    /// - Parameters:
    ///   - interfaceName: single hop only through this interface (`--interface`); otherwise any up one.
    ///   - interfaces: the local addresses, normally `LocalInterfaces.current()`.
    public init(peer: IPAddress, singleHop: Bool, interfaceName: String? = nil, interfaces: [LocalInterface],
                packetsPerSecond: Int = 1_000, burst: Int = 50) throws(PeerGuardError) {
        precondition(packetsPerSecond > 0 && burst > 0, "rate and burst are positive")
        try Self.checkUnicast(peer, interfaces: interfaces)
        let candidates = interfaces.filter { $0.isUp && (interfaceName == nil || $0.name == interfaceName) }
        if let interfaceName, !candidates.contains(where: { $0.address.version == peer.version }) {
            throw .noSuchInterface(interfaceName)
        }
        let via = candidates.filter { $0.contains(peer) }.max { $0.prefixLength < $1.prefixLength }
        if singleHop, via == nil { throw .notDirectlyConnected(peer, interface: interfaceName) }
        self.peer = peer
        isSingleHop = singleHop
        connectedVia = via
        self.packetsPerSecond = packetsPerSecond
        self.burst = burst
        costNanoseconds = 1_000_000_000 / Int64(packetsPerSecond)
        capacityNanoseconds = costNanoseconds * Int64(burst)
        creditNanoseconds = capacityNanoseconds
    }

    /// Admits one packet to `destination` at monotonic time `now`, or throws why not.
    public mutating func admit(_ destination: IPAddress, now: Int64) throws(PeerGuardError) {
        guard destination == peer else { throw .notThePeer(destination: destination, peer: peer) }
        if let last = lastRefillNanoseconds {
            creditNanoseconds = min(capacityNanoseconds, creditNanoseconds + max(0, now - last))
        }
        lastRefillNanoseconds = now
        guard creditNanoseconds >= costNanoseconds else {
            throw .rateLimited(peer: peer, packetsPerSecond: packetsPerSecond)
        }
        creditNanoseconds -= costNanoseconds
    }

    /// Refuses every address that is not one unicast host: unspecified, broadcast (limited or the
    /// directed broadcast of a local prefix), multicast, reserved.
    public static func checkUnicast(_ address: IPAddress, interfaces: [LocalInterface]) throws(PeerGuardError) {
        switch address {
        case .v4(let v4):
            if v4.value >> 24 == 0 { throw .unspecified(address) }
            if v4.value == .max { throw .limitedBroadcast(address) }
            if v4.value >> 28 == 0xE { throw .multicast(address) }
            if v4.value >> 28 == 0xF { throw .reserved(address) }
            for local in interfaces where local.subnetBroadcast == v4 {
                throw .subnetBroadcast(address, prefix: "\(local.name) \(local.address)/\(local.prefixLength)")
            }
        case .v6(let v6):
            if v6.high == 0, v6.low == 0 { throw .unspecified(address) }
            if v6.high >> 56 == 0xFF { throw .multicast(address) }
            // An IPv4-mapped address sends IPv4: judge the IPv4 address it carries.
            if v6.high == 0, v6.low >> 32 == 0xFFFF {
                try checkUnicast(.v4(IPv4Address(UInt32(truncatingIfNeeded: v6.low))), interfaces: interfaces)
            }
        }
    }
}
