import PeerscopeEndpoint
import PeerscopeWire

/// Many BFD sessions driven as one, without any I/O: the sans-IO heart of `BFDSessionPool`.
///
/// It holds the sessions' `BFDEndpoint`s side by side, a `DeadlineHeap` of their next deadlines and
/// a `BFDSessionDemux`. The driver hands it received payloads and the current time, asks for the
/// session due next, and performs the actions it gets back; it reads no clock (so the socket edge
/// can read a fresh one per session when hundreds fall due together) and is tested in virtual time.
///
/// The actions returned are the endpoint's own arrays: the pool adds no allocation of its own per
/// packet.
public struct BFDSessionPoolCore: Sendable {
    /// One session's endpoint and whom it talks to.
    public private(set) var endpoints: [BFDEndpoint] = []
    public private(set) var peers: [IPAddress] = []
    public private(set) var demux: BFDSessionDemux
    private var heap: DeadlineHeap

    /// - Parameter capacity: the most sessions this pool will hold (storage is sized once).
    public init(capacity: Int) {
        heap = DeadlineHeap(capacity: capacity)
        demux = BFDSessionDemux(capacity: capacity)
        endpoints.reserveCapacity(capacity)
        peers.reserveCapacity(capacity)
    }

    public var count: Int { endpoints.count }

    /// Adds a session (not started); returns its number. `peerSourcePort` narrows the Your
    /// Discriminator 0 match to one source port of the peer (nil: any port of that address).
    public mutating func add(_ endpoint: BFDEndpoint, peer: IPAddress, peerSourcePort: UInt16? = nil) -> Int {
        precondition(endpoints.count < heap.capacity, "pool is full (capacity \(heap.capacity))")
        let session = endpoints.count
        demux.add(session: session, localDiscriminator: endpoint.configuration.localDiscriminator, peer: peer,
                  peerSourcePort: peerSourcePort)
        endpoints.append(endpoint)
        peers.append(peer)
        return session
    }

    /// Starts one session (§6.1: an active one sends at once).
    public mutating func start(_ session: Int, now: Int64) -> [BFDEndpointAction] {
        updating(session) { $0.start(now: now) }
    }

    /// When the driver must come back; nil when no session has a timer.
    public var nextDeadline: Int64? { heap.first?.deadline }

    /// The earliest session whose deadline is at or before `now`, with that deadline (the time it
    /// should have run: `now` minus it is the driver's lateness).
    public func due(at now: Int64) -> (session: Int, deadline: Int64)? {
        guard let first = heap.first, first.deadline <= now else { return nil }
        return first
    }

    /// Runs the timers of `session` due at `now`.
    public mutating func advance(_ session: Int, to now: Int64) -> [BFDEndpointAction] {
        updating(session) { $0.advance(to: now) }
    }

    /// Runs `body` on the session's endpoint in place and files its new deadline. Reading
    /// `endpoints[session].nextDeadline` directly copies the whole endpoint (a retain per reference
    /// it holds) on every packet; through the buffer it is read where it lies.
    private mutating func updating(_ session: Int,
                                   _ body: (inout BFDEndpoint) -> [BFDEndpointAction]) -> [BFDEndpointAction] {
        let (actions, next) = endpoints.withUnsafeMutableBufferPointer { buffer in
            let actions = body(&buffer[session])
            return (actions, buffer[session].nextDeadline)
        }
        heap.set(session, to: next)
        return actions
    }

    /// Hands a received Control packet to its session: the session's number and its actions, or
    /// why no session took it (counted in `demux.counters`).
    public mutating func receive(payload: UnsafeRawBufferPointer, ttl: UInt8, from source: SocketAddress,
                                 now: Int64) -> Result<(session: Int, actions: [BFDEndpointAction]), BFDSessionDemux.Miss> {
        switch demux.session(for: payload, from: source) {
        case .failure(let miss):
            return .failure(miss)
        case .success(let session):
            let actions = updating(session) { $0.receive(payload: payload, ttl: ttl, now: now) }
            return .success((session, actions))
        }
    }

    /// Changes one session's timers (§6.8.3, a Poll Sequence while Up).
    public mutating func setTimers(_ session: Int, desiredMinTxInterval: Microseconds,
                                   requiredMinRxInterval: Microseconds,
                                   now: Int64) throws(BFDConfigurationError) -> [BFDEndpointAction] {
        let actions = try endpoints[session].setTimers(desiredMinTxInterval: desiredMinTxInterval,
                                                       requiredMinRxInterval: requiredMinRxInterval, now: now)
        heap.set(session, to: endpoints[session].nextDeadline)
        return actions
    }

    /// §6.8.16 for one session.
    public mutating func adminDown(_ session: Int, now: Int64) -> [BFDEndpointAction] {
        let actions = endpoints[session].adminDown(now: now)
        heap.set(session, to: endpoints[session].nextDeadline)
        return actions
    }
}
