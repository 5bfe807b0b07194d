import PeerscopeAnalysis
import PeerscopeWire

/// One BGP session for the report: its FSM state over time as the capture shows it (RFC 4271 §8),
/// UPDATE bursts, each speaker's routes held per family, End-of-RIB and how it ended.
/// The one record of a BGP session: `check --json`, `sessions --json` and the HTML report.
public struct ReportBGPSession: Codable, Sendable, Equatable {
    public var id: Int
    public var previousSession: Int?
    /// The state at the end, as `sessions` prints it.
    public var state: String
    public var speakers: [ReportBGPSpeaker]
    public var states: [ReportBGPStateStep]
    public var events: [ReportBGPEvent]
    /// The hold time both sides use once Established, in s (RFC 4271 §4.2: the smaller of the two).
    public var negotiatedHoldTime: Int?
    public var startNanoseconds: Int64
    public var endNanoseconds: Int64
    /// The address that opened the TCP connection, when the capture shows its SYN.
    public var initiator: String?
    /// Capabilities both sides offered (RFC 5492), once Established.
    public var negotiatedCapabilities: [String]
    public var establishedNanoseconds: Int64?
    public var closedNanoseconds: Int64?
    public var closedBy: String?
    public var closeReason: String?
    /// Holes in the TCP stream the capture left.
    public var holes: Int

    public init(_ session: BGPSession, origin: Int64) {
        id = session.id
        previousSession = session.previousSessionID
        state = session.stateName
        // Nothing is negotiated before Established (RFC 4271 §8.2.2).
        negotiatedHoldTime = session.establishedTime == nil ? nil : session.negotiatedHoldTime
        initiator = session.initiator.map { session.sides[$0].address.description }
        negotiatedCapabilities = session.establishedTime == nil ? [] : session.negotiatedCapabilities
        establishedNanoseconds = session.establishedTime.map { $0 &- origin }
        closedNanoseconds = session.teardown.map { $0.timeNanoseconds &- origin }
        closedBy = session.teardown.map { session.sides[$0.side].address.description }
        closeReason = session.teardown.map { "\($0.cause)" }
        holes = session.holes
        speakers = session.sides.map { ReportBGPSpeaker($0, origin: origin) }
        let times = session.sides.flatMap { [$0.firstMessage?.time, $0.lastMessage?.time].compactMap { $0 } }
            + session.events.map(\.timeNanoseconds)
        startNanoseconds = (times.min() ?? origin) &- origin
        endNanoseconds = (times.max() ?? origin) &- origin
        var events: [ReportBGPEvent] = []
        var states: [ReportBGPStateStep] = []
        var opens = 0
        // A session picked up mid-stream starts Established when the tracker says it was (no
        // OPEN captured, UPDATEs or KEEPALIVEs both ways: RFC 4271 §8.2.2).
        let first = session.events.first
        let openedInCapture: Bool
        switch first?.kind {
        case .connect?, .accept?, .open?: openedInCapture = true
        default: openedInCapture = false
        }
        if !openedInCapture, session.establishedTime != nil || session.stateName.hasPrefix("Established") {
            states.append(ReportBGPStateStep(timeNanoseconds: startNanoseconds, frame: first?.frameNumber ?? 0, state: "Established"))
        }
        for event in session.events {
            let time = event.timeNanoseconds &- origin
            let frame = event.frameNumber
            var record = ReportBGPEvent(timeNanoseconds: time, frame: frame, side: event.side, kind: "", text: "")
            switch event.kind {
            case .connect:
                record.kind = "connect"; record.text = "TCP SYN"
                states.append(ReportBGPStateStep(timeNanoseconds: time, frame: frame, state: "Connect"))
            case .accept:
                record.kind = "accept"; record.text = "TCP SYN+ACK"
            case .open(let open):
                opens += 1
                record.kind = "open"; record.text = "OPEN AS \(open.autonomousSystem) hold \(open.holdTime) s"
                states.append(ReportBGPStateStep(timeNanoseconds: time, frame: frame, state: opens == 1 ? "OpenSent" : "OpenConfirm"))
            case .established(let hold):
                record.kind = "established"; record.text = "Established (hold \(hold) s)"
                states.append(ReportBGPStateStep(timeNanoseconds: time, frame: frame, state: "Established"))
            case .updates(let messages, let announced, let withdrawn, let size):
                record.kind = "updates"
                record.text = "\(messages) UPDATE(s) +\(announced) −\(withdrawn), peer holds \(size)"
                record.messages = messages; record.announced = announced; record.withdrawn = withdrawn; record.ribSize = size
            case .endOfRIB(let family):
                record.kind = "endOfRIB"; record.text = "End-of-RIB \(family)"
            case .routeRefresh(let family, _):
                record.kind = "routeRefresh"; record.text = "ROUTE-REFRESH \(family)"
            case .notification(let notification):
                record.kind = "notification"; record.text = "NOTIFICATION \(notification)"
                states.append(ReportBGPStateStep(timeNanoseconds: time, frame: frame, state: "Idle"))
            case .fin:
                record.kind = "fin"; record.text = "TCP FIN"
                if states.last?.state != "Idle" { states.append(ReportBGPStateStep(timeNanoseconds: time, frame: frame, state: "Idle")) }
            case .reset:
                record.kind = "reset"; record.text = "TCP RST"
                if states.last?.state != "Idle" { states.append(ReportBGPStateStep(timeNanoseconds: time, frame: frame, state: "Idle")) }
            case .hole(let missing):
                record.kind = "hole"; record.text = "capture hole: \(missing) byte(s) missing"
            case .malformed(let error):
                record.kind = "malformed"; record.text = "malformed: \(error)"
            }
            events.append(record)
        }
        self.events = events
        self.states = states
    }
}

public struct ReportBGPStateStep: Codable, Sendable, Equatable {
    public var timeNanoseconds: Int64
    public var frame: Int
    public var state: String
}

public struct ReportBGPEvent: Codable, Sendable, Equatable {
    public var timeNanoseconds: Int64
    public var frame: Int
    /// 0 for speaker A (the lower address), 1 for B.
    public var side: Int
    /// connect, accept, open, established, updates, endOfRIB, routeRefresh, notification, fin, reset, hole, malformed.
    public var kind: String
    /// The event in words, with text from the wire (a shutdown communication) as it came.
    public var text: String
    public var messages: Int?
    public var announced: Int?
    public var withdrawn: Int?
    public var ribSize: Int?
}

public struct ReportBGPSpeaker: Codable, Sendable, Equatable {
    public var address: String
    public var port: UInt16
    /// From its OPEN (RFC 4271 §4.2; the 4-octet AS of RFC 6793 where it offered one).
    public var myAS: UInt32?
    public var identifier: String?
    public var holdTime: UInt16?
    public var capabilities: [String]
    /// Messages it sent, by type (`open`, `update`, `notification`, `keepalive`, `routeRefresh`, `other`).
    public var messagesSent: [String: Int]
    public var announced: Int
    public var withdrawn: Int
    public var keepaliveIntervalNanoseconds: Int64?
    public var longestSilenceNanoseconds: Int64?
    public var ttlMin: UInt8?
    public var ttlMax: UInt8?
    /// "TCP MD5 (option 19, RFC 2385)" or "TCP-AO (option 29, RFC 5925)" when its segments carried one.
    public var tcpAuthentication: String?
    /// Routes announced and not withdrawn at the end: the peer's Adj-RIB-In from this speaker.
    public var routesHeld: Int
    /// Routes the peer held from this speaker after each UPDATE burst: (ns, routes), all families.
    public var routesOverTime: [[Int64]]
    /// Routes held at the end, per AFI/SAFI.
    public var routesPerFamily: [ReportFamilyRoutes]
    /// End-of-RIB per family: (family name, ns).
    public var endOfRIB: [ReportFamilyTime]

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
        keepaliveIntervalNanoseconds = side.keepaliveInterval
        longestSilenceNanoseconds = side.longestGap?.nanoseconds
        ttlMin = side.ttlMaximum == 0 ? nil : side.ttlMinimum
        ttlMax = side.ttlMaximum == 0 ? nil : side.ttlMaximum
        tcpAuthentication = side.tcpAuthenticationName
        routesHeld = side.routesHeldTotal
        routesOverTime = side.ribHistory.map { [$0.timeNanoseconds &- origin, Int64($0.size)] }
        routesPerFamily = side.routesPerFamily().map { entry in
            // IPv4 unicast is counted in the RIB history itself; other families keep their own.
            let history = entry.family == .ipv4Unicast
                ? side.ribHistory.map { [$0.timeNanoseconds &- origin, Int64($0.ipv4Unicast)] }
                : (side.familyRIB.families[entry.family]?.history ?? []).map { [$0.timeNanoseconds &- origin, Int64($0.size)] }
            return ReportFamilyRoutes(afi: entry.family.afi, safi: entry.family.safi, family: entry.family.name,
                                      decoded: entry.family.encoding != .undecoded, routesHeld: entry.routes, history: history)
        }
        endOfRIB = side.endOfRIB.map { ReportFamilyTime(family: $0.key.description, timeNanoseconds: $0.value &- origin) }
            .sorted { $0.timeNanoseconds < $1.timeNanoseconds }
    }
}

public struct ReportFamilyRoutes: Codable, Sendable, Equatable {
    public var afi: UInt16
    public var safi: UInt8
    public var family: String
    /// false for a family peerscope keeps raw (its routes are not counted).
    public var decoded: Bool
    /// Held at the end.
    public var routesHeld: Int
    /// (ns, routes held) after each change.
    public var history: [[Int64]]
}

public struct ReportFamilyTime: Codable, Sendable, Equatable {
    public var family: String
    public var timeNanoseconds: Int64
}
