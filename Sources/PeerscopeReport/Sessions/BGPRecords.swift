import PeerscopeAnalysis
import PeerscopeWire

/// One BGP speaker in JSON; keys follow tshark's field names where one exists (`bgp.open.myas`
/// → `myAS`, `bgp.open.holdtime` → `holdTime`).
public struct BGPSpeakerRecord: Codable, Sendable {
    public var address: String
    public var port: UInt16
    public var myAS: UInt32?
    public var identifier: String?
    public var holdTime: UInt16?
    public var capabilities: [String]
    public var messagesSent: [String: Int]
    public var announced: Int
    public var withdrawn: Int
    /// Routes announced and not withdrawn at the end: the peer's Adj-RIB-In from this speaker.
    public var routesHeld: Int
    /// (time s, routes held) after each burst of UPDATEs.
    public var routesOverTime: [[Double]]
    /// Routes held at the end per AFI/SAFI, with the family's name and numbers.
    public var routesPerFamily: [BGPFamilyRoutesRecord]
    public var endOfRIB: [String: Double]
    public var keepaliveIntervalMs: Double?
    public var longestSilenceMs: Double?
    public var ttlMin: UInt8?
    public var ttlMax: UInt8?
    /// "TCP MD5 (option 19, RFC 2385)" or "TCP-AO (option 29, RFC 5925)" when its segments carried one.
    public var tcpAuthentication: String?

    init(_ side: BGPSpeakerSide, origin: Int64) {
        address = side.address.description
        port = side.port
        myAS = side.open?.autonomousSystem
        identifier = side.open.map { "\($0.identifier)" }
        holdTime = side.open?.holdTime
        capabilities = side.open?.capabilities.map(\.name) ?? []
        var sent: [String: Int] = [:]
        for (name, count) in zip(["other", "open", "update", "notification", "keepalive", "routeRefresh"], side.messages) where count > 0 {
            sent[name] = count
        }
        messagesSent = sent
        announced = side.updatesAnnounced
        withdrawn = side.updatesWithdrawn
        routesHeld = side.routesHeldTotal
        routesPerFamily = side.routesPerFamily().map {
            BGPFamilyRoutesRecord(afi: $0.family.afi, safi: $0.family.safi, family: $0.family.name,
                                  decoded: $0.family.encoding != .undecoded, routesHeld: $0.routes)
        }
        routesOverTime = side.ribHistory.map { [Double($0.timeNanoseconds - origin) / 1e9, Double($0.size)] }
        endOfRIB = Dictionary(uniqueKeysWithValues: side.endOfRIB.map { ($0.key.description, Double($0.value - origin) / 1e9) })
        keepaliveIntervalMs = side.keepaliveInterval.map { Double($0) / 1e6 }
        longestSilenceMs = side.longestGap.map { Double($0.nanoseconds) / 1e6 }
        ttlMin = side.ttlMaximum == 0 ? nil : side.ttlMinimum
        ttlMax = side.ttlMaximum == 0 ? nil : side.ttlMaximum
        tcpAuthentication = side.tcpAuthenticationName
    }
}

public struct BGPSessionRecord: Codable, Sendable {
    public var id: Int
    public var previousSession: Int?
    public var state: String
    public var initiator: String?
    public var negotiatedHoldTime: Int?
    public var negotiatedCapabilities: [String]
    public var established: Double?
    public var closed: Double?
    public var closedBy: String?
    public var closeReason: String?
    public var holes: Int
    public var speakers: [BGPSpeakerRecord]

    public init(_ session: BGPSession, origin: Int64) {
        id = session.id
        previousSession = session.previousSessionID
        state = session.stateName
        initiator = session.initiator.map { session.sides[$0].address.description }
        // Nothing is negotiated before Established (RFC 4271 §8.2.2).
        negotiatedHoldTime = session.establishedTime == nil ? nil : session.negotiatedHoldTime
        negotiatedCapabilities = session.establishedTime == nil ? [] : session.negotiatedCapabilities
        established = session.establishedTime.map { Double($0 - origin) / 1e9 }
        closed = session.teardown.map { Double($0.timeNanoseconds - origin) / 1e9 }
        closedBy = session.teardown.map { session.sides[$0.side].address.description }
        closeReason = session.teardown.map { "\($0.cause)" }
        holes = session.holes
        speakers = session.sides.map { BGPSpeakerRecord($0, origin: origin) }
    }
}

/// The failover chain in JSON: times in seconds from the first frame, offsets in ms from the BFD Down.
public struct FailoverRecord: Codable, Sendable {
    public var bfdSession: Int
    public var bgpSession: Int?
    public var declaredBy: String
    public var diag: UInt8
    public var diagName: String
    public var downFrame: Int
    public var downTime: Double
    public var lastCapturedFrame: Int?
    public var lastCapturedOffsetMs: Double?
    public var lastReceivedOffsetMs: Double?
    public var teardown: String?
    public var teardownBy: String?
    public var teardownFrame: Int?
    public var failoverTimeMs: Double?
    public var routesLost: Int?
    public var withdrawalsElsewhere: Int?
    public var withdrawalsOffsetMs: Double?

    public init(_ failover: Failover, origin: Int64) {
        func offset(_ time: Int64) -> Double { Double(time - failover.downNanoseconds) / 1e6 }
        bfdSession = failover.bfdSessionID
        bgpSession = failover.bgpSessionID
        declaredBy = failover.declaredBy.description
        diag = failover.diagnostic.rawValue
        diagName = failover.diagnostic.description
        downFrame = failover.downFrame
        downTime = Double(failover.downNanoseconds - origin) / 1e9
        lastCapturedFrame = failover.lastHeardFrame
        lastCapturedOffsetMs = failover.lastHeardNanoseconds.map(offset)
        lastReceivedOffsetMs = failover.lastReceivedEstimateNanoseconds.map(offset)
        switch failover.teardown {
        case .closed(let teardown)?:
            self.teardown = "\(teardown.cause)"
            teardownFrame = teardown.frameNumber
        case .silence?: teardown = "silence"
        case .stayedUp?: teardown = "stayed up"
        case nil: teardown = nil
        }
        teardownBy = failover.teardownBy?.description
        failoverTimeMs = failover.teardownDelayNanoseconds.map { Double($0) / 1e6 }
        routesLost = failover.routesLost
        withdrawalsElsewhere = failover.withdrawalsElsewhere?.prefixes
        withdrawalsOffsetMs = failover.withdrawalsElsewhere.map { offset($0.timeNanoseconds) }
    }
}
