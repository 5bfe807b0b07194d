import PeerscopeWire

/// What one BGP speaker is configured with: the session attributes of RFC 4271 §8.1 that the tester
/// needs, the capabilities it offers (RFC 5492) and the routes it originates.
public struct BGPSpeakerConfiguration: Hashable, Sendable {
    /// Our AS, 4-octet (RFC 6793). Above 65535 the OPEN's My AS carries AS_TRANS.
    public var localAS: UInt32
    /// The AS the peer must announce; a different one is Bad Peer AS (RFC 4271 §6.2). A peer without
    /// the 4-octet AS capability and a large AS shows up as AS_TRANS (23456), so configure that.
    public var peerAS: UInt32
    public var routerID: IPv4Address
    /// Offered Hold Time: 0 (no keepalives, no hold timer) or at least 3 seconds (RFC 4271 §4.2).
    public var holdTimeSeconds: UInt16
    /// RFC 4271 §10 suggests 120 s.
    public var connectRetryTimeSeconds: UInt16
    /// The "large value" the HoldTimer gets while waiting for the peer's OPEN (RFC 4271 §8, 4 min).
    public var openHoldTimeSeconds: UInt16
    /// PassiveTcpEstablishment (RFC 4271 §8.1.1): start with ManualStart_with_PassiveTcpEstablishment
    /// (Event 4) and only ever accept the peer's connection.
    public var passive: Bool
    /// After an error drops the session to Idle, restart by itself (AutomaticStart, Event 3) once
    /// ConnectRetryTime has passed. Off: Idle waits for another `start`.
    public var automaticRestart: Bool
    /// Families offered with the Multiprotocol capability (RFC 4760). Empty: no capability is sent,
    /// which implies IPv4 unicast only.
    public var families: [BGPAddressFamily]
    public var offerRouteRefresh: Bool
    /// Offer the 4-octet AS capability (RFC 6793). Required when `localAS` > 65535.
    public var offerFourOctetAS: Bool
    /// Offer a Graceful Restart capability with no flags, no restart time and no families: it only says
    /// we send End-of-RIB markers (RFC 4724 §3), without promising to preserve forwarding state.
    public var offerEndOfRIB: Bool
    /// Offer Extended Message (RFC 8654): messages up to 65535 bytes once both ends offered it.
    public var offerExtendedMessage: Bool
    /// GTSM (RFC 5082): the driver sends with TTL 255 and sets IP_MINTTL 255; the FSM only carries it.
    public var ttlSecurity: Bool
    /// Routes to originate when the session comes up; `announce` / `withdraw` change them later.
    public var routes: [BGPRoute]
    /// RFC 4271 §10 jitter on ConnectRetryTimer and KeepaliveTimer: each interval multiplied by a
    /// factor uniform in [0.75, 1.0] drawn from a generator seeded with this value. `nil`: exact timers.
    public var jitterSeed: UInt64?

    public init(localAS: UInt32, peerAS: UInt32, routerID: IPv4Address, holdTimeSeconds: UInt16 = 90,
                connectRetryTimeSeconds: UInt16 = 120, openHoldTimeSeconds: UInt16 = 240, passive: Bool = false,
                automaticRestart: Bool = true, families: [BGPAddressFamily] = [.ipv4Unicast, .ipv6Unicast],
                offerRouteRefresh: Bool = true, offerFourOctetAS: Bool = true, offerEndOfRIB: Bool = true,
                offerExtendedMessage: Bool = false, ttlSecurity: Bool = false, routes: [BGPRoute] = [],
                jitterSeed: UInt64? = nil) throws(BGPConfigurationError) {
        // RFC 4271 §4.2: "The Hold Time MUST be either zero or at least three seconds."
        guard holdTimeSeconds == 0 || holdTimeSeconds >= 3 else { throw .holdTimeOneOrTwo(holdTimeSeconds) }
        guard localAS != 0 else { throw .zeroAS }
        guard routerID.value != 0 else { throw .zeroRouterID }
        guard localAS <= 65535 || offerFourOctetAS else { throw .largeASWithoutFourOctetCapability(localAS) }
        guard connectRetryTimeSeconds > 0, openHoldTimeSeconds > 0 else { throw .zeroTimer }
        for route in routes { try route.validate() }
        self.localAS = localAS
        self.peerAS = peerAS
        self.routerID = routerID
        self.holdTimeSeconds = holdTimeSeconds
        self.connectRetryTimeSeconds = connectRetryTimeSeconds
        self.openHoldTimeSeconds = openHoldTimeSeconds
        self.passive = passive
        self.automaticRestart = automaticRestart
        self.families = families
        self.offerRouteRefresh = offerRouteRefresh
        self.offerFourOctetAS = offerFourOctetAS
        self.offerEndOfRIB = offerEndOfRIB
        self.offerExtendedMessage = offerExtendedMessage
        self.ttlSecurity = ttlSecurity
        self.routes = routes
        self.jitterSeed = jitterSeed
    }

    /// iBGP when both ends are in the same AS: no AS prepended, LOCAL_PREF sent, identifiers must differ.
    public var isInternal: Bool { localAS == peerAS }

    /// The families we offer, with RFC 4760's implied IPv4 unicast when we offer none.
    var offeredFamilies: [BGPAddressFamily] { families.isEmpty ? [.ipv4Unicast] : families }
}

/// A route we originate: a prefix and the next hop to put in NEXT_HOP (IPv4 unicast) or in
/// MP_REACH_NLRI (IPv6 unicast).
public struct BGPRoute: Hashable, Sendable {
    public var prefix: BGPPrefix
    public var nextHop: IPAddress
    public var med: UInt32?
    public var communities: [UInt32]

    public init(prefix: BGPPrefix, nextHop: IPAddress, med: UInt32? = nil, communities: [UInt32] = []) {
        self.prefix = prefix
        self.nextHop = nextHop
        self.med = med
        self.communities = communities
    }

    public var family: BGPAddressFamily { prefix.address.version == 4 ? .ipv4Unicast : .ipv6Unicast }

    func validate() throws(BGPConfigurationError) {
        guard prefix.address.version == nextHop.version else { throw .nextHopFamilyMismatch(prefix) }
        guard Int(prefix.length) <= (prefix.address.version == 4 ? 32 : 128) else { throw .badPrefixLength(prefix) }
    }
}

public enum BGPConfigurationError: Error, Hashable, Sendable {
    case holdTimeOneOrTwo(UInt16)
    case zeroAS
    case zeroRouterID
    case zeroTimer
    case largeASWithoutFourOctetCapability(UInt32)
    /// We announce IPv4 prefixes with an IPv4 next hop and IPv6 prefixes with an IPv6 one.
    case nextHopFamilyMismatch(BGPPrefix)
    case badPrefixLength(BGPPrefix)
}
