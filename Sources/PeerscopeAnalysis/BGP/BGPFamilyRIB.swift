import PeerscopeWire

/// The routes one speaker announced in families other than unicast, per AFI/SAFI, keyed by
/// `BGPNLRI.routeKey` (VPN routes with their RD, EVPN by route key, flowspec by rule), with the
/// size of each family over time. Unicast prefixes stay in `BGPSpeakerSide.routes`, the fast path.
/// Two reference-counted fields only: a side is copied on every UPDATE.
public struct BGPFamilyRIB: Sendable {
    /// One family's routes, its size after each burst of UPDATEs that touched it, and (for a
    /// family peerscope does not decode) how many MP_REACH/MP_UNREACH attributes carried it.
    public struct Family: Sendable {
        public fileprivate(set) var routes = Set<BGPNLRI>()
        public fileprivate(set) var history: [(timeNanoseconds: Int64, size: Int)] = []
        public fileprivate(set) var undecodedAttributes = 0
    }

    public private(set) var families = [BGPAddressFamily: Family]()
    /// IPv6 unicast prefixes among `BGPSpeakerSide.routes` (the rest is IPv4 unicast).
    public internal(set) var ipv6UnicastCount = 0
    /// All routes held in `families`.
    public private(set) var total = 0

    public init() {}

    mutating func announce(_ route: BGPNLRI, family: BGPAddressFamily) {
        if case .undecoded = route { families[family, default: Family()].undecodedAttributes += 1; return }
        // An announcement of a known key replaces the route (RFC 4271 §9.1.4 implicit withdraw).
        if families[family, default: Family()].routes.update(with: route.routeKey) == nil { total += 1 }
    }

    mutating func withdraw(_ route: BGPNLRI, family: BGPAddressFamily) {
        if case .undecoded = route { families[family, default: Family()].undecodedAttributes += 1; return }
        if families[family]?.routes.remove(route.routeKey) != nil { total -= 1 }
    }

    mutating func record(_ family: BGPAddressFamily, size: Int, at time: Int64, burstWindow: Int64) {
        func coalesce(_ list: inout [(timeNanoseconds: Int64, size: Int)]) {
            if let last = list.last, time - last.timeNanoseconds < burstWindow {
                list[list.count - 1].size = size
            } else {
                list.append((time, size))
            }
        }
        coalesce(&families[family, default: Family()].history)
    }

    public func count(_ family: BGPAddressFamily) -> Int { families[family]?.routes.count ?? 0 }

    /// Families seen in MP_REACH/MP_UNREACH that peerscope does not decode, with their attribute count.
    public var undecoded: [BGPAddressFamily: Int] {
        families.filter { $0.value.undecodedAttributes > 0 }.mapValues(\.undecodedAttributes)
    }

    /// Routes of `family` held at `time` (ns), from the history (IPv4 unicast: see `ribHistory`).
    public func held(_ family: BGPAddressFamily, at time: Int64) -> Int {
        var size = 0
        for entry in families[family]?.history ?? [] {
            if entry.timeNanoseconds > time { break }
            size = entry.size
        }
        return size
    }
}

extension BGPSpeakerSide {
    /// Routes held at the end in every family, unicast included.
    public var routesHeldTotal: Int { routes.count + familyRIB.total }

    /// Routes held per family at the end (or at `time`), unicast included.
    public func routesPerFamily(at time: Int64? = nil) -> [(family: BGPAddressFamily, routes: Int)] {
        var families = Set(familyRIB.families.keys)
        if ribHistory.contains(where: { $0.ipv4Unicast > 0 }) || routes.count > familyRIB.ipv6UnicastCount { families.insert(.ipv4Unicast) }
        var result: [(BGPAddressFamily, Int)] = []
        for family in families.sorted(by: { ($0.afi, $0.safi) < ($1.afi, $1.safi) }) {
            let count: Int
            if let time, family == .ipv4Unicast {
                count = ribHistory.last { $0.timeNanoseconds <= time }?.ipv4Unicast ?? 0
            } else if let time {
                count = familyRIB.held(family, at: time)
            } else if family == .ipv4Unicast {
                count = routes.count - familyRIB.ipv6UnicastCount
            } else if family == .ipv6Unicast {
                count = familyRIB.ipv6UnicastCount
            } else {
                count = familyRIB.count(family)
            }
            if count > 0 || time == nil { result.append((family, count)) }
        }
        return result
    }
}
