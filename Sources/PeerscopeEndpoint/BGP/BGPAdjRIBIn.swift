import PeerscopeWire

/// One route the peer announced, reduced to what a `show bgp neighbors … received-routes` line shows.
public struct BGPReceivedRoute: Hashable, Sendable {
    public var family: BGPAddressFamily
    public var prefix: BGPPrefix
    /// NEXT_HOP for IPv4 NLRI; for MP_REACH_NLRI the first (global) address of the next hop field.
    public var nextHop: IPAddress?
    public var origin: UInt8?
    /// AS numbers in order, sets flattened; AS4_PATH merged in when the session is 2-octet (RFC 6793 §4.2.3).
    public var asPath: [UInt32]
    public var med: UInt32?
    public var localPref: UInt32?
    public var communities: [UInt32]
    /// Type codes of every attribute the route carried, in arrival order.
    public var attributeTypes: [UInt8]
}

/// Routes learned from the peer (RFC 4271 §3.2), keyed by family and prefix, with the End-of-RIB
/// markers seen (RFC 4724 §2).
public struct BGPAdjRIBIn: Hashable, Sendable {
    public private(set) var routes: [BGPAddressFamily: [BGPPrefix: BGPReceivedRoute]] = [:]
    public private(set) var endOfRIB: Set<BGPAddressFamily> = []

    public init() {}

    public func count(_ family: BGPAddressFamily) -> Int { routes[family]?.count ?? 0 }
    public var totalCount: Int { routes.values.reduce(0) { $0 + $1.count } }

    public func route(_ prefix: BGPPrefix) -> BGPReceivedRoute? {
        routes[prefix.address.version == 4 ? .ipv4Unicast : .ipv6Unicast]?[prefix]
    }

    mutating func insert(_ route: BGPReceivedRoute) {
        routes[route.family, default: [:]][route.prefix] = route
    }

    /// Removes the prefix; true when it was there (withdrawing an unknown prefix is legal and silent).
    @discardableResult
    mutating func remove(_ prefix: BGPPrefix, family: BGPAddressFamily) -> Bool {
        routes[family]?.removeValue(forKey: prefix) != nil
    }

    mutating func markEndOfRIB(_ family: BGPAddressFamily) { endOfRIB.insert(family) }

    /// Everything, removed: the session went down (RFC 4271 §8.2.2 "releases all BGP resources").
    mutating func removeAll() -> [BGPPrefix] {
        let prefixes = routes.values.flatMap(\.keys).sorted { $0.address < $1.address || ($0.address == $1.address && $0.length < $1.length) }
        routes = [:]
        endOfRIB = []
        return prefixes
    }
}

extension BGPReceivedRoute {
    /// Builds the summary from an UPDATE's (already validated) attributes. `twoOctetSession`: the
    /// peer or we lacked the 4-octet AS capability, so an AS4_PATH carries the true path.
    init(family: BGPAddressFamily, prefix: BGPPrefix, attributes: [BGPPathAttribute], twoOctetSession: Bool) {
        self.family = family
        self.prefix = prefix
        nextHop = nil
        origin = nil
        asPath = []
        med = nil
        localPref = nil
        communities = []
        attributeTypes = attributes.map(\.typeCode)
        var as4Path: [UInt32]?
        for attribute in attributes {
            switch attribute.value {
            case .origin(let value): origin = value
            case .asPath(let segments): asPath = segments.flatMap(\.asns)
            case .as4Path(let segments): as4Path = segments.flatMap(\.asns)
            case .nextHop(let address) where family == .ipv4Unicast: nextHop = .v4(address)
            case .mpReach(let reachFamily, let hop, _) where reachFamily == family: nextHop = hop.addresses.first
            case .multiExitDisc(let value): med = value
            case .localPref(let value): localPref = value
            case .communities(let list): communities = list
            case .nextHop, .mpReach, .atomicAggregate, .aggregator, .originatorID, .clusterList, .mpUnreach,
                 .extendedCommunities, .as4Aggregator, .largeCommunities, .unknown:
                break
            case .pmsiTunnel, .tunnelEncapsulation, .ipv6ExtendedCommunities, .aigp, .linkState, .onlyToCustomer,
                 .prefixSID, .attributeSet:
                break
            }
        }
        // RFC 6793 §4.2.3 (only between 2-octet and 4-octet speakers; §4.1 has 4-octet peers ignore
        // AS4_PATH): keep the leading AS_PATH entries the AS4_PATH does not cover, then the
        // AS4_PATH; an AS4_PATH longer than the AS_PATH is ignored.
        if twoOctetSession, let as4Path, as4Path.count <= asPath.count {
            asPath = Array(asPath.prefix(asPath.count - as4Path.count)) + as4Path
        }
    }
}
