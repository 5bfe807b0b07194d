/// What a sans-IO session (the BFD machine of `PeerscopeEndpoint`, or a probe built on it) asks the
/// driver to do. Plain bytes and monotonic nanoseconds: no sockets leak into the machine.
public enum DatagramAction: Hashable, Sendable {
    /// Send to the peer; `ttl` overrides 255 for this packet (a probe's 254).
    case send([UInt8], ttl: UInt8? = nil)
    /// End `DatagramDriver.run`.
    case stop
}

/// The driver's view of one session: where its next timer is, and what it does on a packet or a timer.
public protocol DatagramSession {
    /// The earliest monotonic time (ns) the session wants `deadlineReached`; `nil` for none.
    var nextDeadlineNanoseconds: Int64? { get }
    /// A datagram from the peer arrived (the driver drops those from other sources).
    mutating func received(_ datagram: ReceivedDatagram, now: Int64) -> [DatagramAction]
    mutating func deadlineReached(now: Int64) -> [DatagramAction]
}

/// Runs one session over a BFD receive socket and the session's transmit socket: waits on the loop
/// for the earliest of a packet and the session's deadline, feeds the session, performs its sends
/// through the transmitter (and so through its `PeerGuard`).
public final class DatagramDriver<Session: DatagramSession> {
    public private(set) var session: Session
    public let receiver: BFDSocket.Receiver
    public let transmitter: BFDSocket.Transmitter
    /// Datagrams on the receive socket from someone other than the peer (another session's, or stray).
    public private(set) var foreignDatagrams = 0
    private let loop: EventLoop

    public init(session: Session, receiver: BFDSocket.Receiver, transmitter: BFDSocket.Transmitter) throws(SocketError) {
        self.session = session
        self.receiver = receiver
        self.transmitter = transmitter
        loop = try EventLoop()
        try loop.register(receiver.fileDescriptor)
        // ICMP errors surface on the transmit socket; read them so it never stays readable.
        try loop.register(transmitter.fileDescriptor)
    }

    /// Until the session says `.stop`, or `until` (monotonic ns) passes. A send the guard refuses or
    /// the kernel fails ends the run with that error: a tester must not carry on silently.
    public func run(until limit: Int64? = nil) throws {
        var stopped = false
        let peer = transmitter.destination.address
        func perform(_ actions: [DatagramAction], now: Int64) throws {
            for action in actions {
                switch action {
                case .send(let bytes, let ttl): try transmitter.send(bytes, ttl: ttl, now: now)
                case .stop: stopped = true
                }
            }
        }
        while !stopped {
            let deadline = [session.nextDeadlineNanoseconds, limit].compactMap { $0 }.min()
            try loop.wait(until: deadline) { event, now in
                switch event {
                case .ready(let fd, _, _, _) where fd == receiver.fileDescriptor:
                    while !stopped, let datagram = try receiver.receive() {
                        guard datagram.source.address == peer else {
                            foreignDatagrams += 1
                            continue
                        }
                        try perform(session.received(datagram, now: datagram.receivedAtNanoseconds), now: now)
                    }
                case .ready:
                    while (try? transmitter.receive()) != nil {}
                case .deadlineReached:
                    if let limit, now >= limit { stopped = true; return }
                    if let due = session.nextDeadlineNanoseconds, now >= due {
                        try perform(session.deadlineReached(now: now), now: now)
                    }
                case .woken:
                    break
                }
            }
        }
    }
}
