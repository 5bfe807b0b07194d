import PeerscopeEndpoint
import PeerscopeWire

/// Two speakers wired back to back through an in-memory TCP connection, in virtual time.
///
/// The pipe performs the speakers' actions the way a socket driver would: `.connect` reaches the
/// other side when it accepts (Connect or Active state), `.send` bytes arrive in the configured chunk
/// sizes, `.close` delivers what was already in flight and then a `tcpFailed` to the other side.
/// A `frozen` side stands for a peer that hangs: its timers stop and nothing it would send arrives.
struct BGPBackToBack {
    enum Side: CaseIterable, CustomStringConvertible {
        case a, b
        var other: Side { self == .a ? .b : .a }
        var description: String { self == .a ? "A" : "B" }
    }

    struct Entry {
        var time: Int64
        var side: Side
        var action: BGPSpeakerAction
    }

    var a: BGPSpeaker
    var b: BGPSpeaker
    var now: Int64 = 0
    /// Chunk sizes used in turn for every delivery (1 = byte by byte).
    var chunkSizes: [Int] = [65_536]
    var frozen: Set<Side> = []
    private(set) var log: [Entry] = []
    private var chunkIndex = 0
    private var wantsConnection: Set<Side> = []
    private var connected = false
    private var inFlight: [Side: [UInt8]] = [.a: [], .b: []]
    /// The side that closed while its last bytes were still travelling.
    private var closedBy: Side?

    init(_ a: BGPSpeakerConfiguration, _ b: BGPSpeakerConfiguration, chunkSizes: [Int] = [65_536]) {
        self.a = BGPSpeaker(configuration: a)
        self.b = BGPSpeaker(configuration: b)
        self.chunkSizes = chunkSizes
    }

    subscript(side: Side) -> BGPSpeaker {
        get { side == .a ? a : b }
        set { if side == .a { a = newValue } else { b = newValue } }
    }

    static let second: Int64 = 1_000_000_000

    // MARK: Driving

    mutating func start(_ sides: [Side] = [.a, .b]) {
        for side in sides { perform(side, self[side].start(now: now)) }
        settle()
    }

    /// Feeds one input to one side and lets the pipe carry the consequences.
    mutating func input(_ side: Side, _ body: (inout BGPSpeaker, Int64) -> [BGPSpeakerAction]) {
        let actions = body(&self[side], now)
        perform(side, actions)
        settle()
    }

    /// Bytes from outside (a hand-made peer message) straight into one side.
    mutating func inject(_ bytes: [UInt8], into side: Side) {
        input(side) { speaker, now in speaker.receive(bytes: bytes, now: now) }
    }

    /// Runs timers of the sides not frozen until `time`, settling the pipe after each.
    mutating func run(until time: Int64) {
        settle()
        while true {
            let due = Side.allCases.filter { !frozen.contains($0) }.compactMap { self[$0].nextDeadline }.min()
            guard let due, due <= time else { break }
            now = max(now, due)
            for side in Side.allCases where !frozen.contains(side) {
                if let deadline = self[side].nextDeadline, deadline <= now {
                    perform(side, self[side].advance(to: now))
                }
            }
            settle()
        }
        now = time
    }

    mutating func run(seconds: Int64) { run(until: now + seconds * Self.second) }

    private mutating func perform(_ side: Side, _ actions: [BGPSpeakerAction]) {
        for action in actions {
            log.append(Entry(time: now, side: side, action: action))
            switch action {
            case .connect:
                wantsConnection.insert(side)
            case .send(let bytes):
                if connected, closedBy == nil, !frozen.contains(side) { inFlight[side]! += bytes }
            case .close:
                wantsConnection.remove(side)
                if connected, closedBy == nil {
                    closedBy = side
                    inFlight[side.other] = []
                }
            case .listen, .stateChanged, .established, .routesReceived, .routesWithdrawn, .endOfRIBReceived,
                 .notificationReceived, .error:
                break
            }
        }
    }

    private mutating func settle() {
        var progressed = true
        while progressed {
            progressed = false
            if !connected, let initiator = wantsConnection.first(where: { accepts($0.other) }) {
                connected = true
                wantsConnection = []
                perform(initiator, self[initiator].tcpConnected(now: now))
                perform(initiator.other, self[initiator.other].tcpConnected(now: now))
                progressed = true
            }
            for side in Side.allCases where !inFlight[side]!.isEmpty {
                let size = chunkSizes[chunkIndex % chunkSizes.count]
                chunkIndex += 1
                let chunk = Array(inFlight[side]!.prefix(size))
                inFlight[side]!.removeFirst(chunk.count)
                if !frozen.contains(side.other) {
                    perform(side.other, self[side.other].receive(bytes: chunk, now: now))
                }
                progressed = true
            }
            if let closer = closedBy, inFlight[closer]!.isEmpty {
                closedBy = nil
                connected = false
                inFlight = [.a: [], .b: []]
                if !frozen.contains(closer.other) { perform(closer.other, self[closer.other].tcpFailed(now: now)) }
                progressed = true
            }
        }
    }

    private func accepts(_ side: Side) -> Bool {
        !frozen.contains(side) && (self[side].state == .connect || self[side].state == .active)
    }

    // MARK: Reading the log

    func actions(of side: Side) -> [BGPSpeakerAction] { log.filter { $0.side == side }.map(\.action) }

    /// Messages a side put on the wire, decoded, with the time they were sent.
    func sent(by side: Side, options: BGPDecodingOptions = BGPDecodingOptions()) -> [(time: Int64, message: BGPMessage)] {
        log.compactMap { entry in
            guard entry.side == side, case .send(let bytes) = entry.action else { return nil }
            let message: BGPMessage? = bytes.withUnsafeBytes { try? BGPMessage.decode($0, options: options).1 }
            return message.map { (entry.time, $0) }
        }
    }

    func notificationsSent(by side: Side) -> [BGPNotification] {
        sent(by: side).compactMap { if case .notification(let n) = $0.message { n } else { nil } }
    }

    func notificationsReceived(by side: Side) -> [BGPNotification] {
        actions(of: side).compactMap { if case .notificationReceived(let n) = $0 { n } else { nil } }
    }

    func keepaliveTimes(of side: Side) -> [Int64] {
        sent(by: side).compactMap { if case .keepalive = $0.message { $0.time } else { nil } }
    }

    func states(of side: Side) -> [BGPSessionState] {
        actions(of: side).compactMap { if case .stateChanged(_, let to) = $0 { to } else { nil } }
    }
}

// MARK: Configurations used across the BGP tests

enum BGPLab {
    static let routerA = IPv4Address(192, 0, 2, 1)
    static let routerB = IPv4Address(192, 0, 2, 2)

    static func prefix(_ text: String, _ length: UInt8) -> BGPPrefix {
        BGPPrefix(address: IPAddress(text)!, length: length)
    }

    static func route(_ text: String, _ length: UInt8, via hop: String) -> BGPRoute {
        BGPRoute(prefix: prefix(text, length), nextHop: IPAddress(hop)!)
    }

    static func speaker(as local: UInt32 = 65001, peer: UInt32 = 65002, id: IPv4Address = routerA, hold: UInt16 = 90,
                        passive: Bool = false, automaticRestart: Bool = true,
                        families: [BGPAddressFamily] = [.ipv4Unicast, .ipv6Unicast], fourOctetAS: Bool = true,
                        extendedMessage: Bool = false, routes: [BGPRoute] = []) -> BGPSpeakerConfiguration {
        try! BGPSpeakerConfiguration(localAS: local, peerAS: peer, routerID: id, holdTimeSeconds: hold, passive: passive,
                                     automaticRestart: automaticRestart, families: families,
                                     offerFourOctetAS: fourOctetAS, offerExtendedMessage: extendedMessage,
                                     routes: routes)
    }

    /// A eBGP pair: A (AS 65001, active) and B (AS 65002, passive), both IPv4 and IPv6 unicast.
    static func pair(holdA: UInt16 = 90, holdB: UInt16 = 90, routesA: [BGPRoute] = [], routesB: [BGPRoute] = [],
                     chunkSizes: [Int] = [65_536]) -> BGPBackToBack {
        BGPBackToBack(speaker(hold: holdA, routes: routesA),
                      speaker(as: 65002, peer: 65001, id: routerB, hold: holdB, passive: true, routes: routesB),
                      chunkSizes: chunkSizes)
    }

    static func established(holdA: UInt16 = 90, holdB: UInt16 = 90, routesA: [BGPRoute] = [],
                            routesB: [BGPRoute] = [], chunkSizes: [Int] = [65_536]) -> BGPBackToBack {
        var link = pair(holdA: holdA, holdB: holdB, routesA: routesA, routesB: routesB, chunkSizes: chunkSizes)
        link.start()
        return link
    }
}
