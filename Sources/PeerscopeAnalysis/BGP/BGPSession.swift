import PeerscopeWire

/// Something that happened in a BGP session, from one side, at one frame.
public struct BGPEvent: Sendable {
    public enum Kind: Sendable {
        case connect
        case accept
        case open(BGPOpen)
        /// Both ends sent OPEN and each acknowledged the other's with a KEEPALIVE (RFC 4271 §8.2.2).
        case established(holdTimeSeconds: Int)
        /// Consecutive UPDATEs from one side within a second, folded: how many, what they did to
        /// the peer's Adj-RIB-In, and its size afterwards.
        case updates(messages: Int, announced: Int, withdrawn: Int, ribSize: Int)
        case endOfRIB(BGPAddressFamily)
        case routeRefresh(BGPAddressFamily, subtype: UInt8)
        case notification(BGPNotification)
        case fin
        case reset
        case hole(missing: Int)
        case malformed(WireError)
    }

    public var frameNumber: Int
    public var timeNanoseconds: Int64
    /// 0 for side A (the lower address), 1 for side B.
    public var side: Int
    public var kind: Kind
}

/// How a session ended, first word wins: the side that sent the NOTIFICATION, FIN or RST.
public struct BGPTeardown: Sendable {
    public enum Cause: Sendable, CustomStringConvertible {
        case notification(BGPNotification)
        case fin
        case reset

        /// "NOTIFICATION Cease (6), BFD Down (10)", "FIN" or "RST".
        public var description: String {
            switch self {
            case .notification(let notification): "NOTIFICATION \(notification)"
            case .fin: "FIN"
            case .reset: "RST"
            }
        }
    }

    public var side: Int
    public var frameNumber: Int
    public var timeNanoseconds: Int64
    public var cause: Cause
}

/// One end of a BGP session, as seen from what it sent.
public struct BGPSpeakerSide: Sendable {
    public var address: IPAddress
    /// `address` as text, made once: findings name sides on the per-message path.
    public let name: String
    public var port: UInt16
    public var open: BGPOpen?
    public var openFrame: Int?
    /// Messages sent by type code (index 1…5; 0 counts unknown types).
    public var messages = [Int](repeating: 0, count: 6)
    public var updatesAnnounced = 0
    public var updatesWithdrawn = 0
    public var ttlMinimum: UInt8 = .max
    public var ttlMaximum: UInt8 = 0
    public var firstMessage: (frame: Int, time: Int64)?
    public var lastMessage: (frame: Int, time: Int64)?
    /// The longest silence between two consecutive messages, and the frames around it.
    public var longestGap: (nanoseconds: Int64, fromFrame: Int, toFrame: Int)?
    /// Gaps between consecutive KEEPALIVEs, at the precision measured.
    public var keepalives = KeepaliveGaps()
    /// Unicast routes (IPv4 and IPv6) this side announced and has not withdrawn: the peer's
    /// Adj-RIB-In from it; the other families are in `familyRIB`.
    public var routes = BGPRouteSet()
    public var familyRIB = BGPFamilyRIB()
    /// Size of `routes` after each burst of UPDATEs: answers "how many prefixes at time T".
    /// `ipv4Unicast` is that family's share, so `--at` per family costs the classic path nothing more.
    public var ribHistory: [(timeNanoseconds: Int64, size: Int, ipv4Unicast: Int)] = []
    public var endOfRIB: [BGPAddressFamily: Int64] = [:]
    /// Set once this side sent a KEEPALIVE after receiving the peer's OPEN.
    public var confirmedOpen = false
    public var lastNotification: BGPNotification?
    /// TCP segment authentication seen on this side's segments: option kind 19 (TCP MD5, RFC 2385)
    /// or 29 (TCP-AO, RFC 5925); nil when its segments carried neither.
    public var tcpAuthentication: UInt8?

    /// `tcpAuthentication` in words: "TCP MD5 (option 19, RFC 2385)", "TCP-AO (option 29, RFC 5925)".
    public var tcpAuthenticationName: String? {
        switch tcpAuthentication {
        case 19?: "TCP MD5 (option 19, RFC 2385)"
        case 29?: "TCP-AO (option 29, RFC 5925)"
        default: nil
        }
    }

    init(address: IPAddress, port: UInt16, name: String? = nil) {
        self.address = address
        self.name = name ?? address.description
        self.port = port
    }

    public var messagesSent: Int { messages.reduce(0, +) }

    /// The typical keepalive interval (see `KeepaliveGaps.typical`), nil before two KEEPALIVEs.
    public var keepaliveInterval: Int64? { keepalives.typical }

    /// The shortest gap between two KEEPALIVEs, exact, with the frames of the two KEEPALIVEs.
    public var shortestKeepaliveGap: (nanoseconds: Int64, fromFrame: Int, toFrame: Int)? { keepalives.shortest }

    /// How many routes this side had announced (and not withdrawn) at `time`.
    public func routesHeld(at time: Int64) -> Int {
        var size = 0
        for entry in ribHistory {
            if entry.timeNanoseconds > time { break }
            size = entry.size
        }
        return size
    }
}

/// A BGP session: one TCP connection between two speakers, with what each said.
public struct BGPSession: Sendable {
    public let id: Int
    /// The session this one followed on the same address pair (a reconnect).
    public internal(set) var previousSessionID: Int?
    public internal(set) var sides: [BGPSpeakerSide]
    /// The side that sent the SYN, when the capture saw it.
    public internal(set) var initiator: Int?
    public internal(set) var connectTime: Int64?
    public internal(set) var establishedTime: Int64?
    public internal(set) var establishedFrame: Int?
    public internal(set) var teardown: BGPTeardown?
    public internal(set) var events: [BGPEvent] = []
    public internal(set) var holes = 0
    /// A burst of UPDATEs still being folded into one event (index into `events`).
    var openBurst: [Int?] = [nil, nil]

    init(id: Int, previous: Int?, a: (IPAddress, UInt16), b: (IPAddress, UInt16)) {
        self.id = id
        previousSessionID = previous
        sides = [BGPSpeakerSide(address: a.0, port: a.1), BGPSpeakerSide(address: b.0, port: b.1)]
    }

    public var a: BGPSpeakerSide { sides[0] }
    public var b: BGPSpeakerSide { sides[1] }

    /// RFC 4271 §4.2: the smaller of the two offers; nil until both OPENs were seen.
    public var negotiatedHoldTime: Int? {
        guard let first = sides[0].open, let second = sides[1].open else { return nil }
        return Int(min(first.holdTime, second.holdTime))
    }

    /// The capabilities both ends offered (by code; multiprotocol per family).
    public var negotiatedCapabilities: [String] {
        guard let first = sides[0].open, let second = sides[1].open else { return [] }
        var names: [String] = []
        for family in first.families where second.families.contains(family) { names.append("MP \(family)") }
        let codes = Set(second.capabilities.map(\.code))
        var seen = Set<UInt8>()
        for capability in first.capabilities where capability.code != 1 && codes.contains(capability.code) {
            if seen.insert(capability.code).inserted { names.append(capability.name) }
        }
        return names
    }

    public var isEstablished: Bool { establishedTime != nil && teardown == nil }

    /// The state a router would show: from the messages seen, not from timers.
    public var stateName: String {
        if teardown != nil { return "Idle" }
        if establishedTime != nil { return "Established" }
        if sides.contains(where: { $0.confirmedOpen }) { return "OpenConfirm" }
        if sides.contains(where: { $0.open != nil }) { return "OpenSent" }
        // Picked up mid-session (no OPEN in the capture): RFC 4271 §9 sends UPDATEs only in
        // Established, and a KEEPALIVE received in OpenConfirm moves to Established (§8.2.2), so
        // UPDATEs, or KEEPALIVEs both ways, show a session that was already Established.
        if sides.contains(where: { $0.messages[2] > 0 }) || sides.allSatisfy({ $0.messages[4] > 0 }) { return "Established" }
        return "Connect"
    }

    public func side(of address: IPAddress) -> Int? {
        sides.firstIndex { $0.address == address }
    }
}
