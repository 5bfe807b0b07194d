import PeerscopeWire

/// The routes one speaker announced in families other than unicast, per AFI/SAFI, keyed by
/// `BGPNLRI.routeKey` (VPN routes with their RD, EVPN by route key, flowspec by rule), with the
/// size of each family over time. Unicast prefixes stay in `BGPSpeakerSide.routes`, the fast path.
public struct BGPFamilyRIB: Sendable {
    public private(set) var routes: [BGPAddressFamily: Set<BGPNLRI>] = [:]
    /// IPv6 unicast prefixes among `BGPSpeakerSide.routes` (the rest is IPv4 unicast).
    public internal(set) var ipv6UnicastCount = 0
    /// Families seen in MP_REACH/MP_UNREACH that peerscope does not decode, with their UPDATE count.
    public private(set) var undecoded: [BGPAddressFamily: Int] = [:]
    /// Size of each family after each burst of UPDATEs that touched it; IPv4 unicast, touched by
    /// nearly every UPDATE, has its own array so the classic path does no dictionary work.
    public private(set) var history: [BGPAddressFamily: [(timeNanoseconds: Int64, size: Int)]] = [:]
    public private(set) var ipv4UnicastHistory: [(timeNanoseconds: Int64, size: Int)] = []

    public init() {}

    mutating func announce(_ route: BGPNLRI, family: BGPAddressFamily) {
        if case .undecoded = route { undecoded[family, default: 0] += 1; return }
        let key = route.routeKey
        // An announcement of a known key replaces the route (RFC 4271 §9.1.4 implicit withdraw).
        routes[family, default: []].update(with: key)
    }

    mutating func withdraw(_ route: BGPNLRI, family: BGPAddressFamily) {
        if case .undecoded = route { undecoded[family, default: 0] += 1; return }
        routes[family]?.remove(route.routeKey)
    }

    mutating func record(_ family: BGPAddressFamily, size: Int, at time: Int64, burstWindow: Int64) {
        if family == .ipv4Unicast {
            if let last = ipv4UnicastHistory.last, time - last.timeNanoseconds < burstWindow {
                ipv4UnicastHistory[ipv4UnicastHistory.count - 1].size = size
            } else {
                ipv4UnicastHistory.append((time, size))
            }
            return
        }
        var list = history[family] ?? []
        history[family] = nil
        if let last = list.last, time - last.timeNanoseconds < burstWindow {
            list[list.count - 1].size = size
        } else {
            list.append((time, size))
        }
        history[family] = list
    }

    public func count(_ family: BGPAddressFamily) -> Int { routes[family]?.count ?? 0 }

    /// All families' routes held.
    public var total: Int { routes.values.reduce(0) { $0 + $1.count } }

    /// Routes of `family` held at `time` (ns), from the history.
    public func held(_ family: BGPAddressFamily, at time: Int64) -> Int {
        var size = 0
        for entry in family == .ipv4Unicast ? ipv4UnicastHistory : history[family] ?? [] {
            if entry.timeNanoseconds > time { break }
            size = entry.size
        }
        return size
    }
}

extension BGPSpeakerSide {
    /// Routes held at the end in every family, unicast included.
    public var routesHeldTotal: Int { routes.count + familyRIB.total }

    /// Routes held per family at the end (or at `time`), unicast included, families with none left out.
    public func routesPerFamily(at time: Int64? = nil) -> [(family: BGPAddressFamily, routes: Int)] {
        var families = Set(familyRIB.history.keys).union(familyRIB.routes.keys)
        if !routes.isEmpty { families.insert(.ipv4Unicast) }
        if familyRIB.ipv6UnicastCount > 0 { families.insert(.ipv6Unicast) }
        var result: [(BGPAddressFamily, Int)] = []
        for family in families.sorted(by: { ($0.afi, $0.safi) < ($1.afi, $1.safi) }) {
            let count: Int
            if let time {
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
