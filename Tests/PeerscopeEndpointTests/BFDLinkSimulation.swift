import PeerscopeEndpoint
import PeerscopeWire

/// Two endpoints joined by a deterministic lossy link and driven by a virtual clock: the
/// scheduler wakes each endpoint at its `nextDeadline` and delivers datagrams after `delay`.
/// Every send, state change and discard is logged with its virtual time for the tests to measure.
final class LinkSimulation {
    enum Side: Int, CaseIterable {
        case a = 0, b = 1
        var peer: Side { self == .a ? .b : .a }
    }

    struct Sent {
        var time: BFDNanoseconds
        var side: Side
        var transmission: BFDTransmission
        var packet: BFDControlPacket { transmission.packet }
    }

    struct Change {
        var time: BFDNanoseconds
        var side: Side
        var from: BFDState
        var to: BFDState
        var diagnostic: BFDDiagnostic
    }

    private struct Datagram {
        var at: BFDNanoseconds
        var to: Side
        var bytes: [UInt8]
        var ttl: UInt8
        var isEcho: Bool
    }

    var endpoints: [BFDEndpoint]
    private(set) var now: BFDNanoseconds = 0
    var delay: BFDNanoseconds
    /// Loss in percent for packets leaving each side (index by `Side.rawValue`).
    var lossPercent = [0, 0]
    /// Routers between the two: each takes one off the TTL.
    var hops: UInt8 = 0
    /// Whether each side's forwarding plane loops the peer's echo packets back.
    var loopsEcho = [true, true]
    /// Drops a transmission when it returns false (e.g. lose every Final).
    var filter: ((Side, BFDTransmission) -> Bool)?
    private var rng: SplitMix64
    private var inFlight: [Datagram] = []
    private(set) var sent: [Sent] = []
    private(set) var changes: [Change] = []
    private(set) var discards: [(time: BFDNanoseconds, side: Side, reason: BFDDiscardReason)] = []
    private(set) var echoesSent = [0, 0]
    private(set) var pollsCompleted: [(time: BFDNanoseconds, side: Side)] = []

    init(_ a: BFDEndpointConfiguration, _ b: BFDEndpointConfiguration, delay: BFDNanoseconds = 1 * millisecond,
         seed: UInt64 = 7) {
        endpoints = [endpoint(a, seed: seed &* 31 &+ 1), endpoint(b, seed: seed &* 31 &+ 2)]
        self.delay = delay
        rng = SplitMix64(seed: seed)
    }

    subscript(side: Side) -> BFDEndpoint { endpoints[side.rawValue] }

    func startBoth() {
        for side in Side.allCases { act(side) { $0.start(now: $1) } }
    }

    /// Runs an input on one endpoint at the current time and performs its actions.
    func act(_ side: Side, _ input: (inout BFDEndpoint, BFDNanoseconds) -> [BFDEndpointAction]) {
        let actions = input(&endpoints[side.rawValue], now)
        perform(actions, from: side)
    }

    func run(until end: BFDNanoseconds) {
        while true {
            let delivery = inFlight.map(\.at).min()
            let wake = endpoints.compactMap(\.nextDeadline).min()
            guard let next = [delivery, wake].compactMap({ $0 }).min(), next <= end else { break }
            now = max(now, next)
            let due = inFlight.filter { $0.at <= now }
            inFlight.removeAll { $0.at <= now }
            for datagram in due {
                let index = datagram.to.rawValue
                let actions = datagram.isEcho
                    ? endpoints[index].receiveEcho(payload: datagram.bytes, now: now)
                    : endpoints[index].receive(payload: datagram.bytes, ttl: datagram.ttl, now: now)
                perform(actions, from: datagram.to)
            }
            for side in Side.allCases where (endpoints[side.rawValue].nextDeadline ?? .max) <= now {
                act(side) { $0.advance(to: $1) }
            }
        }
        now = max(now, end)
    }

    private func lost(from side: Side) -> Bool {
        Int.random(in: 0..<100, using: &rng) < lossPercent[side.rawValue]
    }

    private func perform(_ actions: [BFDEndpointAction], from side: Side) {
        for action in actions {
            switch action {
            case .send(let transmission):
                sent.append(Sent(time: now, side: side, transmission: transmission))
                if filter?(side, transmission) == false || lost(from: side) { continue }
                let ttl = transmission.ttl > hops ? transmission.ttl - hops : 0
                inFlight.append(Datagram(at: now + delay, to: side.peer, bytes: transmission.bytes, ttl: ttl, isEcho: false))
            case .sendEcho(let payload):
                echoesSent[side.rawValue] += 1
                // Out to the peer's forwarding plane and straight back to us.
                if !loopsEcho[side.peer.rawValue] || lost(from: side) { continue }
                inFlight.append(Datagram(at: now + 2 * delay, to: side, bytes: payload, ttl: 254, isEcho: true))
            case .stateChanged(let from, let to, let diagnostic):
                changes.append(Change(time: now, side: side, from: from, to: to, diagnostic: diagnostic))
            case .discarded(let reason):
                discards.append((now, side, reason))
            case .pollSequenceStarted:
                break
            case .pollSequenceCompleted:
                pollsCompleted.append((now, side))
            }
        }
    }

    // MARK: Measurements

    /// Times of the periodic packets one side sent in a window.
    func periodicTimes(_ side: Side, from start: BFDNanoseconds = 0, to end: BFDNanoseconds = .max) -> [BFDNanoseconds] {
        sent.filter { $0.side == side && $0.transmission.cause == .periodic && $0.time >= start && $0.time <= end }
            .map(\.time)
    }

    func gaps(_ times: [BFDNanoseconds]) -> [BFDNanoseconds] {
        zip(times.dropFirst(), times).map { $0 - $1 }
    }

    func changes(_ side: Side) -> [Change] { changes.filter { $0.side == side } }

    /// The first time a side reached a state.
    func firstTime(_ side: Side, reached state: BFDState, after start: BFDNanoseconds = 0) -> BFDNanoseconds? {
        changes.first { $0.side == side && $0.to == state && $0.time >= start }?.time
    }
}
