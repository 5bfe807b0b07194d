import PeerscopeAnalysis
import PeerscopeWire

/// One BGP session for the report: its FSM state over time as the capture shows it (RFC 4271 §8),
/// UPDATE bursts, each speaker's routes held per family, End-of-RIB and how it ended.
public struct ReportBGPSession: Codable, Sendable {
    public var id: Int
    public var previousSession: Int?
    /// The state at the end, as `sessions` prints it.
    public var state: String
    public var speakers: [ReportBGPSpeaker]
    public var states: [ReportBGPStateStep]
    public var events: [ReportBGPEvent]
    public var holdTimeSeconds: Int?
    public var startNanoseconds: Int64
    public var endNanoseconds: Int64

    public init(_ session: BGPSession, origin: Int64) {
        id = session.id
        previousSession = session.previousSessionID
        state = session.stateName
        holdTimeSeconds = session.establishedTime == nil ? nil : session.negotiatedHoldTime
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

public struct ReportBGPStateStep: Codable, Sendable {
    public var timeNanoseconds: Int64
    public var frame: Int
    public var state: String
}

public struct ReportBGPEvent: Codable, Sendable {
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

public struct ReportBGPSpeaker: Codable, Sendable {
    public var address: String
    public var port: UInt16
    public var autonomousSystem: UInt32?
    public var routesHeld: Int
    /// Routes the peer held from this speaker after each UPDATE burst: (ns, routes), all families.
    public var routesOverTime: [[Int64]]
    /// Routes held at the end, per AFI/SAFI.
    public var families: [ReportFamilyRoutes]
    /// End-of-RIB per family: (family name, ns).
    public var endOfRIB: [ReportFamilyTime]

    init(_ side: BGPSpeakerSide, origin: Int64) {
        address = side.address.description
        port = side.port
        autonomousSystem = side.open?.autonomousSystem
        routesHeld = side.routesHeldTotal
        routesOverTime = side.ribHistory.map { [$0.timeNanoseconds &- origin, Int64($0.size)] }
        families = side.routesPerFamily().map { entry in
            // IPv4 unicast is counted in the RIB history itself; other families keep their own.
            let history = entry.family == .ipv4Unicast
                ? side.ribHistory.map { [$0.timeNanoseconds &- origin, Int64($0.ipv4Unicast)] }
                : (side.familyRIB.families[entry.family]?.history ?? []).map { [$0.timeNanoseconds &- origin, Int64($0.size)] }
            return ReportFamilyRoutes(family: entry.family.name, routes: entry.routes, history: history)
        }
        endOfRIB = side.endOfRIB.map { ReportFamilyTime(family: $0.key.description, timeNanoseconds: $0.value &- origin) }
            .sorted { $0.timeNanoseconds < $1.timeNanoseconds }
    }
}

public struct ReportFamilyRoutes: Codable, Sendable {
    public var family: String
    /// Held at the end.
    public var routes: Int
    /// (ns, routes held) after each change.
    public var history: [[Int64]]
}

public struct ReportFamilyTime: Codable, Sendable {
    public var family: String
    public var timeNanoseconds: Int64
}
