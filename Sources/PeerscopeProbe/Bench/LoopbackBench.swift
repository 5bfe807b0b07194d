import PeerscopeEndpoint
import PeerscopeWire

/// A peerscope ↔ peerscope BFD load run on loopback: N sessions between side A and side B, both
/// `BFDSessionPool`s, in one process or two, measured over one window.
///
/// Addressing (so every session's packets are told apart on the wire as a router's neighbours'
/// would be): session i of side A sends from 127.1.0.0 + i + 1 and talks to 127.2.0.0 + i + 1,
/// which is session i of side B; each session has its own transmit socket with a source port from
/// 49152–65535. Each side has one receive socket on the wildcard address tied to `lo`, on a port
/// the caller picked outside 49152–65535 (never 3784, so nobody else's BFD test on this machine sees
/// our packets, and no session's transmit socket can hold the port first).
/// Discriminators are 0x0A000000 + i + 1 (A) and 0x0B000000 + i + 1 (B).
public struct LoopbackBenchPlan: Codable, Hashable, Sendable {
    public enum Side: String, Codable, Hashable, Sendable, CaseIterable {
        case a, b
        var addressPrefix: UInt32 { self == .a ? 0x7F01_0000 : 0x7F02_0000 }
        var discriminatorPrefix: UInt32 { self == .a ? 0x0A00_0000 : 0x0B00_0000 }
        public var other: Side { self == .a ? .b : .a }
    }

    public static let maximumSessions = 65_534

    public var sessions: Int
    public var intervalMicroseconds: Microseconds
    public var detectMultiplier: UInt8 = 3
    /// Monotonic time both sides start their sessions at.
    public var startAt: Int64
    /// From the start to the window: long enough for every session to be Up at the interval.
    public var warmupNanoseconds: Int64
    public var windowNanoseconds: Int64
    /// Added to 100 % of the interval for the top of the gap window.
    public var toleranceNanoseconds: Int64
    public var portA: UInt16
    public var portB: UInt16
    /// Each session's PeerGuard rate (packets/s); the tester's default is 1,000.
    public var packetsPerSecond: Int = 1_000
    /// The loop thread's timer slack: how late the kernel may wake it, to batch several sessions'
    /// deadlines into one wake-up (1 ns: every deadline on its own).
    public var timerSlackNanoseconds: Int = 1
    /// SCHED_FIFO priority of the loop threads (0: the normal scheduler). On a machine where others
    /// compile, a normal thread's wake-ups queue behind theirs for milliseconds; the tester runs
    /// real-time for the same reason a router's BFD process does.
    public var realtimePriority: Int32 = 0
    /// Batched transmit (`BFDSessionPool`'s `batchedIPv4Transmit`: one sendmmsg per loop pass over
    /// a raw socket); receiving is always batched (recvmmsg).
    public var batchedTransmit = false
    /// `BFDPoolRunner.coalesceNanoseconds`: how late a wake-up may be to serve several deadlines.
    public var coalesceNanoseconds: Int64 = 0

    public init(sessions: Int, intervalMicroseconds: Microseconds, startAt: Int64, warmupNanoseconds: Int64,
                windowNanoseconds: Int64, toleranceNanoseconds: Int64, portA: UInt16, portB: UInt16) {
        precondition(sessions > 0 && sessions <= Self.maximumSessions, "1–\(Self.maximumSessions) sessions")
        self.sessions = sessions
        self.intervalMicroseconds = intervalMicroseconds
        self.startAt = startAt
        self.warmupNanoseconds = warmupNanoseconds
        self.windowNanoseconds = windowNanoseconds
        self.toleranceNanoseconds = toleranceNanoseconds
        self.portA = portA
        self.portB = portB
    }

    public var windowStart: Int64 { startAt + warmupNanoseconds }
    public var windowEnd: Int64 { windowStart + windowNanoseconds }
    /// Both sides keep sending a little past the window, so neither sees the other fall silent
    /// inside it.
    public var runEnd: Int64 { windowEnd + 100_000_000 }

    public func address(_ side: Side, session: Int) -> IPAddress {
        .v4(IPv4Address(side.addressPrefix + UInt32(session + 1)))
    }

    public func port(_ side: Side) -> UInt16 { side == .a ? portA : portB }

    public func configuration(_ side: Side, session: Int) throws(BFDConfigurationError) -> BFDEndpointConfiguration {
        try BFDEndpointConfiguration(localDiscriminator: side.discriminatorPrefix + UInt32(session + 1),
                                     desiredMinTxInterval: intervalMicroseconds,
                                     requiredMinRxInterval: intervalMicroseconds, detectMultiplier: detectMultiplier)
    }

    /// One side's pool, sessions added, recorder set, not started. `port` 0 binds a kernel-chosen
    /// port (read it back from `localPort`, then set the other side's `peerReceivePort`).
    public func makePool(_ side: Side, interfaces: [LocalInterface]) throws -> BFDSessionPool {
        let pool = try BFDSessionPool(
            receiveOn: SocketAddress(.v4(IPv4Address(0)), port: port(side)), interface: "lo", capacity: sessions,
            peerReceivePort: port(side.other), packetsPerSecond: packetsPerSecond,
            receiveBufferBytes: 16 << 20, interfaces: interfaces, batchedIPv4Transmit: batchedTransmit)
        try addSessions(side, to: pool)
        return pool
    }

    public func addSessions(_ side: Side, to pool: BFDSessionPool) throws {
        for session in 0..<sessions {
            try pool.add(local: address(side, session: session), peer: address(side.other, session: session),
                         configuration: configuration(side, session: session))
        }
        pool.recorder = BFDPoolRecorder(
            sessions: sessions, intervalNanoseconds: Int64(intervalMicroseconds) * 1_000,
            toleranceNanoseconds: toleranceNanoseconds, windowStart: windowStart, windowEnd: windowEnd)
    }
}

/// What one process of a run reports: its pools' figures added up, plus the edge counters and
/// the CPU it used over the window.
public struct LoopbackBenchReport: Codable, Hashable, Sendable {
    public var summary: BFDPoolSummary
    public var datagramsReceived: Int
    public var unmatched: Int
    public var truncated: Int
    /// Packets the guard or the kernel refused: never sent.
    public var unsent: Int
    public var lastSendError: String?
    /// User + system CPU over the window as a share of one core (100 = one core busy), per process.
    public var cpuPercent: [Double]
    public var sessionsUpAtEnd: Int
    /// Over the whole run (start-up included): packets sent, receive and send syscalls, and the
    /// loop's wake-ups (one epoll wait each), for the syscalls-per-packet figure.
    public var datagramsSent = 0
    public var receiveCalls = 0
    public var sendCalls = 0
    public var wakeups = 0

    /// Socket and epoll syscalls per packet handled (each packet sent or received counts once).
    public var syscallsPerPacket: Double {
        let packets = datagramsSent + datagramsReceived
        return packets > 0 ? Double(receiveCalls + sendCalls + wakeups) / Double(packets) : 0
    }

    public mutating func merge(_ other: LoopbackBenchReport) {
        summary.merge(other.summary)
        datagramsReceived += other.datagramsReceived
        unmatched += other.unmatched
        truncated += other.truncated
        unsent += other.unsent
        lastSendError = lastSendError ?? other.lastSendError
        cpuPercent += other.cpuPercent
        sessionsUpAtEnd += other.sessionsUpAtEnd
        datagramsSent += other.datagramsSent
        receiveCalls += other.receiveCalls
        sendCalls += other.sendCalls
        wakeups += other.wakeups
    }

    /// RFC gap share and session health that make a run pass.
    public func passes(minimumInWindow: Double) -> Bool {
        summary.inWindowFraction >= minimumInWindow && summary.sessionsWentDown == 0
            && summary.sessionsNotUpAtWindowStart == 0 && unsent == 0 && summary.gaps > 0
    }
}

extension LoopbackBenchPlan {
    /// Runs `pools` (one side, or both) on the calling thread: waits for `startAt`, starts every
    /// session, runs to `runEnd`. `cpuSeconds` reads the process's CPU time (user + system).
    public func run(_ pools: [BFDSessionPool], cpuSeconds: () -> Double) throws -> LoopbackBenchReport {
        let runner = try BFDPoolRunner(pools: pools)
        runner.coalesceNanoseconds = coalesceNanoseconds
        try runner.run(until: startAt)
        for pool in pools { pool.startAll() }
        var cpuAtStart: Double?
        var cpuAtEnd: Double?
        try runner.run(until: runEnd) { now in
            if cpuAtStart == nil, now >= windowStart { cpuAtStart = cpuSeconds() }
            if cpuAtEnd == nil, now >= windowEnd { cpuAtEnd = cpuSeconds() }
        }
        let cpu = ((cpuAtEnd ?? cpuSeconds()) - (cpuAtStart ?? 0)) / (Double(windowNanoseconds) / 1e9) * 100
        var report: LoopbackBenchReport?
        for pool in pools {
            let counters = pool.counters
            let one = LoopbackBenchReport(
                summary: pool.recorder!.summary, datagramsReceived: counters.datagramsReceived,
                unmatched: counters.unmatched, truncated: counters.truncated,
                unsent: counters.refusedByGuard + counters.sendErrors, lastSendError: counters.lastSendError,
                cpuPercent: [], sessionsUpAtEnd: pool.sessionsUp, datagramsSent: counters.datagramsSent,
                receiveCalls: counters.receiveCalls, sendCalls: counters.sendCalls)
            if report == nil { report = one } else { report!.merge(one) }
        }
        report!.cpuPercent = [cpu]
        report!.wakeups = runner.wakeups
        return report!
    }
}
