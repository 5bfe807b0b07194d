import PeerscopeEndpoint
import PeerscopeWire

/// One measurement of a device's Detection Time (RFC 5880 §6.8.4) the way the tester takes it from
/// outside: bring the session Up at the interval, fall silent, and time from our last packet to
/// the device's first packet saying Down.
public struct DetectionTimeTrial: Codable, Hashable, Sendable {
    /// What §6.8.4 says the device must use: our Detect Mult × max(the device's Required Min RX,
    /// our Desired Min TX), both as last exchanged.
    public var expectedNanoseconds: Int64
    /// Kernel receive timestamp of the device's Down packet minus the wall clock right after our
    /// last packet left (both CLOCK_REALTIME).
    public var measuredNanoseconds: Int64
    /// The device's diagnostic in that packet (1: Control Detection Time Expired).
    public var diagnostic: UInt8
    /// Kernel receive timestamp (CLOCK_REALTIME) of that Down packet, to match the device's own log.
    public var downArrivalWallNanoseconds: Int64
    public var errorNanoseconds: Int64 { measuredNanoseconds - expectedNanoseconds }
}

/// The measuring side of a detection-time run: one BFD session driven directly (not through a
/// pool), so the moment it falls silent is exactly known.
public final class DetectionTimeMeter {
    public let receiver: UDPSocket
    private let transmitter: BFDSocket.Transmitter
    private let loop: EventLoop
    private let intervalMicroseconds: Microseconds
    private let detectMultiplier: UInt8
    private let buffer: UnsafeMutableRawBufferPointer

    /// - Parameters:
    ///   - local / device: our address and the device's (the device's pool must know ours as its peer).
    ///   - listenPort: our receive port (0: kernel-chosen; read `receiver.localAddress`).
    ///   - devicePort: where the device listens.
    public init(local: IPAddress, device: IPAddress, listenPort: UInt16, devicePort: UInt16,
                intervalMicroseconds: Microseconds, detectMultiplier: UInt8, interfaces: [LocalInterface]) throws {
        receiver = try UDPSocket(family: local.version)
        try receiver.bind(toInterface: "lo")
        try receiver.bind(to: SocketAddress(.unspecified(version: local.version), port: listenPort))
        let peerGuard = try PeerGuard(peer: device, singleHop: true, interfaces: interfaces)
        transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop,
                                                destinationPort: devicePort)
        loop = try EventLoop()
        try loop.register(receiver.fileDescriptor)
        self.intervalMicroseconds = intervalMicroseconds
        self.detectMultiplier = detectMultiplier
        buffer = .allocate(byteCount: 2_048, alignment: 8)
    }

    deinit { buffer.deallocate() }

    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case neverUp(trial: Int)
        case noDown(trial: Int)
        public var description: String {
            switch self {
            case .neverUp(let trial): "trial \(trial): the session did not come Up at the interval within 5 s"
            case .noDown(let trial): "trial \(trial): the device never said Down within 5 s of our silence"
            }
        }
    }

    /// One trial with a fresh session (discriminator 0x0D000000 + trial + 1). `settle` is how long
    /// the session stays Up at the interval before the silence, so the device's Detection Time is
    /// the steady-state one.
    public func measure(trial: Int, settleNanoseconds: Int64) throws -> DetectionTimeTrial {
        let configuration = try BFDEndpointConfiguration(
            localDiscriminator: 0x0D00_0000 + UInt32(trial + 1), desiredMinTxInterval: intervalMicroseconds,
            requiredMinRxInterval: intervalMicroseconds, detectMultiplier: detectMultiplier)
        var endpoint = BFDEndpoint(configuration: configuration)
        var lastSendWall: Int64 = 0
        var steadySince: Int64?
        var silent = false
        var deviceRequiredMinRx: Microseconds = 0
        var result: DetectionTimeTrial?
        let start = MonotonicClock.nowNanoseconds()
        func perform(_ actions: [BFDEndpointAction]) throws {
            for case .send(let transmission) in actions where !silent {
                try transmitter.send(transmission.bytes, now: MonotonicClock.nowNanoseconds())
                lastSendWall = MonotonicClock.wallNanoseconds()
            }
        }
        try perform(endpoint.start(now: start))
        while result == nil {
            let now = MonotonicClock.nowNanoseconds()
            if now - start > 5_000_000_000 { throw silent ? Failure.noDown(trial: trial) : Failure.neverUp(trial: trial) }
            if !silent {
                // Steady: Up, no Poll running, both sides past slow start at the interval.
                let variables = endpoint.variables
                let steady = endpoint.sessionState == .up && !endpoint.isPollSequenceActive
                    && variables.remoteDesiredMinTxInterval == intervalMicroseconds
                    && variables.remoteMinRxInterval == intervalMicroseconds
                if steady, steadySince == nil { steadySince = now }
                if !steady { steadySince = nil }
                if let since = steadySince, now - since >= settleNanoseconds {
                    silent = true
                    deviceRequiredMinRx = variables.remoteMinRxInterval
                }
            }
            var deadline = now + 1_000_000_000
            if !silent, let next = endpoint.nextDeadline { deadline = min(deadline, next) }
            if !silent, let since = steadySince { deadline = min(deadline, since + settleNanoseconds) }
            try loop.wait(until: deadline) { event, _ in
                guard case .ready = event else { return }
                while result == nil, let metadata = try receiver.receive(into: buffer) {
                    let payload = UnsafeRawBufferPointer(rebasing: buffer[0..<min(metadata.length, buffer.count)])
                    if silent {
                        guard let packet = try? BFDControlPacket.decode(payload), packet.state == .down else { continue }
                        // We are the remote system of the device's §6.8.4 formula.
                        let expected = BFDTimingModel.detectionTimeNanoseconds(
                            remoteDetectMult: detectMultiplier, localRequiredMinRx: deviceRequiredMinRx,
                            remoteDesiredMinTx: intervalMicroseconds)
                        let arrival = metadata.kernelTimestampNanoseconds ?? MonotonicClock.wallNanoseconds()
                        result = DetectionTimeTrial(expectedNanoseconds: expected,
                                                    measuredNanoseconds: arrival - lastSendWall,
                                                    diagnostic: packet.diagnostic.rawValue,
                                                    downArrivalWallNanoseconds: arrival)
                    } else {
                        try perform(endpoint.receive(payload: payload, ttl: metadata.ttl ?? 0,
                                                     now: metadata.receivedAtNanoseconds))
                    }
                }
            }
            if !silent { try perform(endpoint.advance(to: MonotonicClock.nowNanoseconds())) }
        }
        return result!
    }
}
