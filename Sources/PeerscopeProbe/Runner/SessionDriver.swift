import PeerscopeEndpoint
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#endif

/// One BFD session (and optionally the BGP session it protects) run over real sockets on an
/// `EventLoop` with the monotonic clock: the shared engine of `peerscope probe` and `peerscope
/// respond`. It performs what the sans-IO machines ask, records every packet from the device and
/// every state change of both sides into `record`, and lets a probe mute, deafen, replace or
/// bypass its own endpoint to provoke the device.
///
/// Single-threaded: every method runs on the caller's thread; nothing happens between calls to
/// `run`, so a case is a plain sequence of steps.
public final class SessionDriver {
    public enum Role: Sendable {
        /// The tester: connects BGP actively, never lets BFD tear BGP down by itself.
        case probe
        /// The emulated device: listens for BGP on local:179 and follows RFC 5882 (BFD Down → Cease/10,
        /// the peer's AdminDown keeps BGP).
        case respond
    }

    public let target: ProbeTarget
    public let role: Role
    public let localAddress: IPAddress
    /// The interface a capture of this run should listen on.
    public let captureInterface: String
    public internal(set) var record = ProbeRecord()
    public private(set) var endpoint: BFDEndpoint
    public internal(set) var speaker: BGPSpeaker?
    /// Drop our own Control packets (a detection case going silent). Injected packets still leave.
    public var muted = false
    /// Record the device's packets without feeding our endpoint (stay "passive and silent").
    public var deaf = false
    /// Called after a state change of our endpoint (respond prints them).
    public var onStateChange: ((StateChange) -> Void)?
    public var onBGP: ((BGPObservation) -> Void)?
    /// What the BFD socket took in and why packets were discarded, over every session of the run.
    public internal(set) var reception = ReceptionTally()
    /// When the current session of ours was started (monotonic ns).
    public private(set) var sessionStartedAt: Int64 = 0

    private let receiver: BFDSocket.Receiver
    /// The peer's own channel: a second receiver on the same local address and port, connected to
    /// the address and source port the peer's accepted packets come from (`adoptPeerChannel`). The
    /// shared `receiver` then only queues what is not the peer's — under a flood, the part that
    /// overflows — and is read at most `sharedBatch` datagrams per wake-up, after the channel.
    private var peerChannel: BFDSocket.Receiver?
    private var peerChannelSource: SocketAddress?
    /// Datagrams read from the shared receiver per wake-up before the loop looks at the peer's
    /// channel and the timers again (epoll is level-triggered: the rest wait for the next turn).
    static let sharedBatch = 64
    private let transmitter: BFDSocket.Transmitter
    var tcpGuard: PeerGuard
    let loop: EventLoop
    var listener: TCPListener?
    var connection: TCPConnection?
    var pendingWrite: [UInt8] = []
    private let interruptFD: Int32?
    private var interrupted = false
    private var discriminatorSeed: UInt32
    static let receiveBufferBytes = 4 << 20
    static let wallOffset = MonotonicClock.wallNanoseconds() - MonotonicClock.nowNanoseconds()

    /// Opens the sockets (inside whatever network namespace the thread is in) and checks the peer
    /// with `PeerGuard`: a peer that is not a unicast host, or not directly connected for single
    /// hop, throws `PeerGuardError` here, before anything is sent.
    public init(target: ProbeTarget, role: Role, interfaces: [LocalInterface]) throws {
        let peerGuard = try PeerGuard(peer: target.peer, singleHop: target.transport == .singleHop,
                                      interfaceName: target.interface, interfaces: interfaces)
        guard let local = target.local ?? peerGuard.connectedVia?.address else {
            throw ProbeSetupError("multihop needs --local: no local prefix holds \(target.peer)")
        }
        guard local.version == target.peer.version else {
            throw ProbeSetupError("--local \(local) and --peer \(target.peer) are of different families")
        }
        guard interfaces.contains(where: { $0.address == local }) else {
            throw ProbeSetupError("--local \(local) is not configured on any local interface")
        }
        self.target = target
        self.role = role
        localAddress = local
        captureInterface = target.interface ?? peerGuard.connectedVia?.name
            ?? interfaces.first { $0.address == local }?.name ?? "any"
        tcpGuard = peerGuard
        receiver = try BFDSocket.Receiver(local: local, transport: target.transport, port: target.receivePort,
                                          interface: target.interface)
        // The default SO_RCVBUF queues a few hundred datagrams: under a flood (a peer or anyone on the
        // link sending junk to our port) the peer's own packets would be dropped with it while we are
        // not scheduled. 4 MiB holds tens of milliseconds of 100,000 packets/s; best effort.
        _ = try? receiver.socket.setReceiveBufferSize(Self.receiveBufferBytes)
        transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: target.transport,
                                                interface: target.interface, destinationPort: target.peerPort)
        loop = try EventLoop()
        try loop.register(receiver.fileDescriptor)
        try loop.register(transmitter.fileDescriptor)
        interruptFD = InterruptSignal.fileDescriptor
        if let interruptFD { try loop.register(interruptFD) }
        var generator = SystemRandomNumberGenerator()
        discriminatorSeed = UInt32.random(in: 0x1000_0000...0x7FFF_FFFF, using: &generator)
        endpoint = BFDEndpoint(configuration: try target.endpointConfiguration(localDiscriminator: discriminatorSeed))
        if let bgp = target.bgp {
            let routerID: IPv4Address
            if case .v4(let v4) = local { routerID = v4 } else { routerID = IPv4Address(0xC000_0201) }
            speaker = BGPSpeaker(configuration: try BGPSpeakerConfiguration(
                localAS: bgp.localAS, peerAS: bgp.peerAS, routerID: routerID, connectRetryTimeSeconds: 2,
                passive: role == .respond, automaticRestart: role == .respond, ttlSecurity: target.gtsm))
            if role == .respond {
                listener = try TCPListener(local: SocketAddress(local, port: TCPListener.bgpPort), options: tcpOptions)
                try loop.register(listener!.fileDescriptor)
            }
        }
    }

    public var now: Int64 { MonotonicClock.nowNanoseconds() }
    public var localPort: UInt16 { receiver.localAddress.port }
    public var sourcePort: UInt16 { transmitter.localAddress.port }

    var tcpOptions: TCPOptions {
        TCPOptions(ttl: 255, minimumTTL: target.gtsm && target.transport == .singleHop ? 255 : nil,
                   interface: target.interface)
    }

    // MARK: BFD

    /// Replaces our endpoint with a fresh one (a new discriminator) and starts it: a new session.
    @discardableResult
    public func startSession(detectMultiplier: UInt8? = nil) throws -> UInt32 {
        discriminatorSeed = discriminatorSeed &+ 0x0101
        if discriminatorSeed == 0 { discriminatorSeed = 1 }
        var authentication = target.authentication
        if let key = authentication {
            // A new session starts its sequence numbers after the previous one's (RFC 5880 §6.8.1).
            authentication = try BFDAuthenticationKey(type: key.type, keyID: key.keyID, secret: key.secret,
                                                      startingSequenceNumber: endpoint.variables.xmitAuthSeq &+ 1)
        }
        endpoint = BFDEndpoint(configuration: try target.endpointConfiguration(
            localDiscriminator: discriminatorSeed, detectMultiplier: detectMultiplier, authentication: .some(authentication)))
        muted = false
        deaf = false
        sessionStartedAt = now
        try perform(endpoint.start(now: now))
        return discriminatorSeed
    }

    public func setTimers(desiredMinTxInterval: Microseconds, requiredMinRxInterval: Microseconds) throws {
        try perform(endpoint.setTimers(desiredMinTxInterval: desiredMinTxInterval,
                                       requiredMinRxInterval: requiredMinRxInterval, now: now))
    }

    public func adminDown() throws { try perform(endpoint.adminDown(now: now)) }

    /// Sends a (mutated) packet built from `endpoint.packetTemplate()`, re-signed with our key.
    public func inject(_ packet: BFDControlPacket, ttl: UInt8 = 255) throws {
        let transmission = endpoint.seal(packet)
        try transmit(transmission.bytes, ttl: ttl, injected: true)
    }

    /// Sends bytes as they are: for packets no encoder would produce (bad Length, replays).
    public func injectRaw(_ bytes: [UInt8], ttl: UInt8 = 255) throws {
        try transmit(bytes, ttl: ttl, injected: true)
    }

    /// Sets `endpoint` aside for one mutation (e.g. sealing with a wrong key) without sending.
    public func sealWithoutSending(_ packet: BFDControlPacket) -> [UInt8] { endpoint.seal(packet).bytes }

    private func transmit(_ bytes: [UInt8], ttl: UInt8, injected: Bool) throws {
        let time = now
        do {
            try transmitter.send(bytes, ttl: ttl == BFDSocket.defaultTTL ? nil : ttl, now: time)
        } catch {
            if case .socket(let socketError) = error, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(socketError.code) {
                return  // an ICMP error from an earlier packet; the peer may come back
            }
            throw error
        }
        // respond judges nothing afterwards: like the device's packets, its own are not kept.
        guard role == .probe else { return }
        record.sentPackets.append(SentPacket(time: time, wallTime: time + Self.wallOffset, bytes: bytes, ttl: ttl,
                                             injected: injected,
                                             localDiscriminator: endpoint.configuration.localDiscriminator))
    }

    private func perform(_ actions: [BFDEndpointAction]) throws {
        for action in actions {
            switch action {
            case .send(let transmission):
                if !muted { try transmit(transmission.bytes, ttl: transmission.ttl, injected: false) }
            case .stateChanged(let from, let to, let diagnostic):
                let change = StateChange(time: now, side: .tester, from: from, to: to, diagnostic: diagnostic)
                record.stateChanges.append(change)
                onStateChange?(change)
                if role == .respond, from == .up, to == .down, speaker != nil {
                    // RFC 5882 §3.2: the peer's AdminDown is not a failure; anything else is.
                    let peerAdminDown = diagnostic == .neighborSignaledSessionDown
                        && endpoint.variables.remoteSessionState == .adminDown
                    if !peerAdminDown { try performBGP(speaker!.bfdDown(now: now)) }
                }
            case .sendEcho, .discarded, .pollSequenceStarted, .pollSequenceCompleted:
                break
            }
        }
    }

    /// Reads up to `limit` datagrams from `socket` and hands the peer's to the endpoint.
    private func receiveDatagrams(from socket: BFDSocket.Receiver, limit: Int = .max) throws {
        var read = 0
        while read < limit, let datagram = try socket.receive() {
            read += 1
            if socket === peerChannel { reception.viaPeerChannel += 1 }
            reception.datagramsReceived += 1
            guard datagram.source.address == target.peer else {
                reception.notFromPeer += 1
                continue
            }
            let time = datagram.receivedAtNanoseconds
            // respond judges nothing afterwards: it keeps no packet, so its memory stays flat
            // however long it runs and whatever a peer floods it with.
            if role == .probe {
                let packet = datagram.bytes.withUnsafeBytes { try? BFDControlPacket.decode($0) }
                record.appendDevice(DevicePacket(
                    time: time, wallTime: datagram.kernelTimestampNanoseconds ?? time + Self.wallOffset,
                    bytes: datagram.bytes, packet: packet, ttl: datagram.ttl, sourcePort: datagram.source.port,
                    destinationPort: datagram.destination?.port ?? receiver.localAddress.port))
            }
            if !deaf {
                let actions = endpoint.receive(payload: datagram.bytes, ttl: datagram.ttl ?? 0, now: time)
                let discard = actions.lazy.compactMap { action -> BFDDiscardReason? in
                    if case .discarded(let reason) = action { reason } else { nil }
                }.first
                if let discard { reception.count(discard) } else { reception.accepted += 1 }
                try perform(actions)
                if discard == nil, datagram.source != peerChannelSource { adoptPeerChannel(datagram.source) }
            }
        }
    }

    /// Gives the peer's packets a queue of their own once one of them was accepted from `source`
    /// (and moves it when the peer's source port changes, e.g. after the peer restarted). Best
    /// effort: without the channel, everything still arrives on the shared receiver, and a failure
    /// is tried again only when the peer's source changes, not on each of its packets.
    private func adoptPeerChannel(_ source: SocketAddress) {
        peerChannelSource = source
        do {
            if peerChannel == nil {
                let channel = try BFDSocket.Receiver(local: localAddress, transport: target.transport,
                                                     port: receiver.localAddress.port, interface: target.interface)
                try channel.narrow(to: source)
                try loop.register(channel.fileDescriptor)
                peerChannel = channel
            } else {
                try peerChannel?.narrow(to: source)
            }
        } catch {
            reception.peerChannelErrors += 1
        }
    }

    // MARK: Running

    /// Runs the session until `done` is true (checked after every event) or the monotonic time
    /// `limit` passes; `tick` runs every `tickInterval` ns from now. True when `done` said so.
    @discardableResult
    public func run(until limit: Int64, tickInterval: Int64? = nil, tick: () throws -> Void = {},
                    done: () -> Bool = { false }) throws -> Bool {
        var nextTick = tickInterval.map { now + $0 }
        while true {
            if done() { return true }
            if interrupted || InterruptSignal.isPending { interrupted = true; throw ProbeInterrupted() }
            var current = now
            if current >= limit { return false }
            if let due = nextTick, current >= due, let tickInterval {
                try tick()
                nextTick = current + tickInterval
                continue
            }
            let deadline = [endpoint.nextDeadline, speaker?.nextDeadline, limit, nextTick].compactMap { $0 }.min()
            try loop.wait(until: deadline) { event, _ in
                guard case .ready(let fd, let readable, let writable, _) = event else { return }
                if fd == receiver.fileDescriptor {
                    // The peer's channel first, whatever order epoll reported them in.
                    if let channel = peerChannel { try receiveDatagrams(from: channel) }
                    try receiveDatagrams(from: receiver, limit: Self.sharedBatch)
                } else if let channel = peerChannel, fd == channel.fileDescriptor {
                    try receiveDatagrams(from: channel)
                } else if fd == transmitter.fileDescriptor {
                    while (try? transmitter.receive()) ?? nil != nil {}
                } else if fd == interruptFD {
                    InterruptSignal.drain()
                    interrupted = true
                } else if fd == listener?.fileDescriptor {
                    try acceptConnection()
                } else if fd == connection?.fileDescriptor {
                    try connectionEvent(readable: readable, writable: writable)
                }
            }
            current = now
            if let due = endpoint.nextDeadline, due <= current { try perform(endpoint.advance(to: current)) }
            if let due = speaker?.nextDeadline, due <= current { try performBGP(speaker!.advance(to: current)) }
        }
    }

    /// Runs for `seconds`.
    public func run(seconds: Double) throws {
        try run(until: now + Int64(seconds * 1e9))
    }

    /// The clean goodbye of RFC 5880 §6.8.16 and RFC 4486: AdminDown in a few packets, BGP Cease.
    /// Safe after an interrupt (it clears it) and on any path.
    public func shutDown() {
        interrupted = false
        InterruptSignal.clear()
        muted = false
        try? perform(endpoint.adminDown(now: now))
        for _ in 0..<2 {
            try? run(seconds: 0.05)
            let template = endpoint.packetTemplate()
            try? injectRaw(endpoint.seal(template).bytes)
        }
        try? stopBGP()
        closeConnection()
    }
}

/// A configuration the sockets cannot be opened with; one line.
public struct ProbeSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
