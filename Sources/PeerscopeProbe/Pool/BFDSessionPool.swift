import CPeerscopeSocket
import PeerscopeEndpoint
import PeerscopeWire

/// Many BFD sessions on one thread: the socket edge around `BFDSessionPoolCore`.
///
/// Sockets, as RFC 5881 lays them out:
/// - **one receive socket** for the whole pool, bound once (usually the wildcard address on one
///   port, optionally tied to one interface); the core demultiplexes what it reads by Your
///   Discriminator, or by source address for Your Discriminator 0;
/// - **one transmit socket per session** (`BFDSocket.Transmitter`), bound to the session's own local
///   address and a source port from 49152–65535 that stays for the session's life (RFC 5881 §4), and
///   guarded by the session's own `PeerGuard` (rate limit, peer-only). So each session's packets are
///   distinguishable on the wire by source address and port, as a router's would be, and the peer's
///   demultiplexing for Your Discriminator 0 works by address alone.
///
/// For thousands of loopback sessions, give every session its own 127.x address on each side
/// (e.g. 127.1.0.0/16 here and 127.2.0.0/16 for the peer): all of 127.0.0.0/8 is local on Linux.
///
/// Batched I/O (issue 14 item 5): the receive socket is read with `recvmmsg`, up to 64 datagrams a
/// call, and a burst that did not fill the batch ends the drain (no call that finds the queue
/// empty). With `batchedIPv4Transmit`, IPv4 packets are queued while the loop runs due sessions or
/// handles received ones and leave in one `sendmmsg` at the end of that pass (`BatchedIPv4Sender`:
/// each session still sends from its own address and port).
///
/// The per-packet path allocates nothing of its own: the receive buffers are allocated once, the
/// heap and demux tables are sized up front. (The endpoint's action arrays and encoded packets are
/// its own allocations.)
public final class BFDSessionPool {
    /// What the edge did and what it could not do; a send problem never goes unnoticed.
    public struct Counters: Hashable, Sendable {
        public var datagramsReceived = 0
        public var truncated = 0
        /// Datagrams no session took (see `demux.counters` for why).
        public var unmatched = 0
        /// Packets a session's `PeerGuard` refused (its rate limit): not sent.
        public var refusedByGuard = 0
        /// Packets the kernel refused (e.g. ENOBUFS): not sent.
        public var sendErrors = 0
        public var lastSendError: String?
        /// Receive and send syscalls made (recvmmsg / recvmsg, sendmmsg / sendmsg): with the packet
        /// counts, the syscalls per packet of the edge.
        public var receiveCalls = 0
        public var sendCalls = 0
        public var datagramsSent = 0
    }

    public private(set) var core: BFDSessionPoolCore
    public let receiver: UDPSocket
    public private(set) var counters = Counters()
    /// Set to measure: every send, receive and state change of the window is recorded.
    public var recorder: BFDPoolRecorder?
    /// Sessions Up right now.
    public private(set) var sessionsUp = 0
    /// The port the peers' receive socket listens on: where every session added from now on sends.
    public var peerReceivePort: UInt16
    private var transmitters: [BFDSocket.Transmitter] = []
    private let packetsPerSecond: Int
    private let burst: Int
    private let interfaces: [LocalInterface]
    private let batch = DatagramBatch()
    private let batchSender: BatchedIPv4Sender?
    /// What each queued datagram records once the batch is handed to the kernel.
    private var pendingRecords: [(session: Int, cause: BFDTransmission.Cause, scheduled: Int64?)] = []

    /// - Parameters:
    ///   - receiveOn: where the pool's receive socket is bound (wildcard address, or one address).
    ///     Bound without SO_REUSEADDR, so a port someone else holds is an error, not shared traffic.
    ///   - interface: SO_BINDTODEVICE for the receive socket (`lo` keeps a wildcard bind to loopback).
    ///   - peerReceivePort: destination port of every session's packets (3784 for a real device).
    ///   - packetsPerSecond, burst: each session's `PeerGuard` token bucket.
    ///   - receiveBufferBytes: SO_RCVBUF for the receive socket (the default queues only a few
    ///     hundred small datagrams: less than one start-up burst of a thousand sessions).
    ///   - batchedIPv4Transmit: send IPv4 packets in batches through a raw socket (CAP_NET_RAW).
    public init(receiveOn: SocketAddress, interface: String? = nil, capacity: Int, peerReceivePort: UInt16,
                packetsPerSecond: Int = 1_000, burst: Int = 50, receiveBufferBytes: Int? = nil,
                interfaces: [LocalInterface], batchedIPv4Transmit: Bool = false) throws(SocketError) {
        receiver = try UDPSocket(family: receiveOn.address.version)
        if let interface { try receiver.bind(toInterface: interface) }
        try receiver.bind(to: receiveOn)
        if let receiveBufferBytes { try receiver.setReceiveBufferSize(receiveBufferBytes) }
        core = BFDSessionPoolCore(capacity: capacity)
        transmitters.reserveCapacity(capacity)
        self.peerReceivePort = peerReceivePort
        self.packetsPerSecond = packetsPerSecond
        self.burst = burst
        self.interfaces = interfaces
        batchSender = batchedIPv4Transmit ? try BatchedIPv4Sender() : nil
        pendingRecords.reserveCapacity(Int(PS_BATCH_MAX))
    }

    public var localPort: UInt16 { receiver.localAddress?.port ?? 0 }

    /// Adds a session sending from `local` (its own transmit socket) to `peer`. Fails when the peer
    /// guard refuses the peer (not unicast, not directly connected for single hop) or no socket binds.
    @discardableResult
    public func add(local: IPAddress, peer: IPAddress, configuration: BFDEndpointConfiguration,
                    transport: BFDTransport = .singleHop) throws -> Int {
        let peerGuard = try PeerGuard(peer: peer, singleHop: transport == .singleHop, interfaces: interfaces,
                                      packetsPerSecond: packetsPerSecond, burst: burst)
        let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: transport,
                                                    destinationPort: peerReceivePort)
        transmitters.append(transmitter)
        var seed = SystemRandomNumberGenerator()
        let jitter = JitterGenerator(seed: seed.next())
        return core.add(BFDEndpoint(configuration: configuration, randomNumberGenerator: jitter), peer: peer)
    }

    public var sessionCount: Int { core.count }
    public var nextDeadline: Int64? { core.nextDeadline }

    /// Starts every session, each at a fresh clock reading.
    public func startAll() {
        for session in 0..<core.count {
            let now = MonotonicClock.nowNanoseconds()
            perform(core.start(session, now: now), session: session, scheduled: nil)
        }
        flush()
    }

    /// Reads up to `limit` queued datagrams (in bursts of up to 64 per syscall) and hands each to
    /// its session; returns how many it read.
    @discardableResult
    public func drainReceiver(limit: Int = 256) throws(SocketError) -> Int {
        var read = 0
        defer { flush() }
        while read < limit {
            let count = try receiver.receive(into: batch)
            counters.receiveCalls += 1
            for index in 0..<count {
                let metadata = receiver.metadata(of: index, in: batch)
                counters.datagramsReceived += 1
                if metadata.isTruncated { counters.truncated += 1 }
                let now = metadata.receivedAtNanoseconds
                switch core.receive(payload: batch.payload(index), ttl: metadata.ttl ?? 0, from: metadata.source, now: now) {
                case .failure:
                    counters.unmatched += 1
                case .success(let (session, actions)):
                    recorder?.recordReceive(session, at: now)
                    perform(actions, session: session, scheduled: nil)
                }
            }
            read += count
            // A burst short of the batch emptied the queue: no call to find it empty. Anything that
            // arrived since keeps the socket readable for the next wait (level-triggered).
            if count < batch.capacity { break }
        }
        return read
    }

    /// Runs up to `limit` sessions whose deadline has passed, earliest first, each with its own
    /// fresh clock reading (a burst of due sessions is not all stamped with the first one's time).
    @discardableResult
    public func runDue(limit: Int = 4_096) -> Int {
        var ran = 0
        while ran < limit {
            let now = MonotonicClock.nowNanoseconds()
            guard let due = core.due(at: now) else { break }
            ran += 1
            perform(core.advance(due.session, to: now), session: due.session, scheduled: due.deadline)
        }
        flush()
        return ran
    }

    /// Hands the queued IPv4 packets to the kernel in one call and records them as sent then.
    public func flush() {
        guard let batchSender, batchSender.count > 0 else { return }
        let callsBefore = batchSender.calls
        // Stamped when handed to the kernel, as a single send is: the call returns only after the
        // kernel has also run the peer's receive path for every packet of the batch (loopback).
        let now = MonotonicClock.nowNanoseconds()
        let (refused, error) = batchSender.flush()
        counters.sendCalls += batchSender.calls - callsBefore
        counters.datagramsSent += pendingRecords.count - refused
        if refused > 0 {
            // The kernel refused whole datagrams (e.g. ENOBUFS); which ones is not worth a per-packet
            // result: they are counted, and a run with any unsent packet fails.
            counters.sendErrors += refused
            counters.lastSendError = error?.description
        }
        for record in pendingRecords {
            recorder?.recordSend(record.session, cause: record.cause, at: now, scheduled: record.scheduled)
        }
        pendingRecords.removeAll(keepingCapacity: true)
    }

    private func perform(_ actions: [BFDEndpointAction], session: Int, scheduled: Int64?) {
        for action in actions {
            switch action {
            case .send(let transmission):
                let now = MonotonicClock.nowNanoseconds()
                if let batchSender, enqueue(transmission, session: session, scheduled: scheduled, into: batchSender, now: now) {
                    continue
                }
                counters.sendCalls += 1
                do {
                    try transmitters[session].send(
                        transmission.bytes, ttl: transmission.ttl == BFDSocket.defaultTTL ? nil : transmission.ttl,
                        now: now)
                } catch {
                    switch error {
                    case .refused: counters.refusedByGuard += 1
                    case .socket: counters.sendErrors += 1
                    }
                    counters.lastSendError = error.description
                    continue
                }
                // Stamped when handed to the kernel, not when sendmsg returns: on loopback the send
                // call also runs the receive softirq for whatever is queued (the peer's packets
                // included), which can hold it for tens of µs after our packet is already through.
                counters.datagramsSent += 1
                recorder?.recordSend(session, cause: transmission.cause, at: now, scheduled: scheduled)
            case .stateChanged(let from, let to, _):
                if to == .up { sessionsUp += 1 } else if from == .up { sessionsUp -= 1 }
                recorder?.recordStateChange(session, from: from, to: to, at: MonotonicClock.nowNanoseconds())
            case .sendEcho, .discarded, .pollSequenceStarted, .pollSequenceCompleted:
                // The pool runs no echo function; discards are counted by the endpoint.
                break
            }
        }
    }

    /// Queues an IPv4 packet the session's guard admits; false when it must go through the session's
    /// own socket (IPv6, or too long for a slot). A guard refusal is counted here and reported queued.
    private func enqueue(_ transmission: BFDTransmission, session: Int, scheduled: Int64?,
                         into sender: BatchedIPv4Sender, now: Int64) -> Bool {
        let transmitter = transmitters[session]
        guard case .v4 = transmitter.destination.address, transmission.bytes.count <= BatchedIPv4Sender.slotBytes,
              let source = transmitter.socket.localAddress else { return false }
        do { try transmitter.admit(now: now) } catch {
            counters.refusedByGuard += 1
            counters.lastSendError = SendError.refused(error).description
            return true
        }
        if sender.isFull { flush() }
        _ = sender.enqueue(transmission.bytes, from: source, to: transmitter.destination, ttl: transmission.ttl)
        pendingRecords.append((session, transmission.cause, scheduled))
        return true
    }

    public func endpoint(_ session: Int) -> BFDEndpoint { core.endpoints[session] }
}

/// Runs pools on one event loop on the calling thread: both sides of a loopback pair in one
/// process on one core, or one side per process.
public final class BFDPoolRunner {
    public let pools: [BFDSessionPool]
    private let loop: EventLoop
    /// Epoll waits made (each a syscall and, when it slept, a wake-up).
    public private(set) var wakeups = 0
    /// How late the loop may wake for a deadline so that one wake-up serves the deadlines that
    /// fall within it (timer slack, which the kernel ignores for SCHED_FIFO threads). Every packet
    /// then leaves up to this late: keep it a small share of the interval (the bench's gap window
    /// allows 10 % of it, at most 1 ms). A wake-up (timer reprogram, sleep and resume: VM exits
    /// on a virtual machine) costs more than sending a packet.
    public var coalesceNanoseconds: Int64 = 0

    public init(pools: [BFDSessionPool]) throws(SocketError) {
        self.pools = pools
        loop = try EventLoop()
        for pool in pools { try loop.register(pool.receiver.fileDescriptor) }
    }

    /// Until monotonic time `end`. `tick` runs after every wake-up (cheap checks only).
    public func run(until end: Int64, tick: (Int64) -> Void = { _ in }) throws {
        while true {
            let now = MonotonicClock.nowNanoseconds()
            if now >= end { return }
            tick(now)
            var deadline = end
            for pool in pools {
                if let next = pool.nextDeadline, next &+ coalesceNanoseconds < deadline { deadline = next &+ coalesceNanoseconds }
            }
            wakeups += 1
            try loop.wait(until: deadline) { event, _ in
                guard case .ready(let fd, _, _, _) = event else { return }
                for pool in pools where pool.receiver.fileDescriptor == fd { try pool.drainReceiver() }
            }
            for pool in pools { pool.runDue() }
        }
    }
}

/// The §6.8.7 jitter of a pool's sessions: SplitMix64 seeded once per session from the system
/// generator. The system generator is a getrandom(2) call per packet, a syscall the jitter does not
/// need: it only has to keep peers out of lock step, not be unpredictable to an attacker.
typealias JitterGenerator = SplitMix64
