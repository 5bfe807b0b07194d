import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeWire
import Testing

/// A plausible two-router BFD exchange in virtual time, built packet by packet, that a test bends
/// in exactly one place. It feeds the tracker and the rule engine directly (sans I/O).
struct Exchange {
    struct Speaker {
        var address: IPAddress
        var port: UInt16
        var discriminator: UInt32
        var desiredTx: Microseconds
        var requiredRx: Microseconds
        var echoRx: Microseconds = 0
        var multiplier: UInt8
        var state: BFDState = .down
        var yours: UInt32 = 0
        var ttl: UInt8 = 255
        var authentication: BFDAuthentication?
    }

    enum Side { case a, b }

    var a = Speaker(address: IPAddress("192.0.2.1")!, port: 49152, discriminator: 11, desiredTx: 300_000,
                    requiredRx: 300_000, multiplier: 3)
    var b = Speaker(address: IPAddress("192.0.2.2")!, port: 49153, discriminator: 22, desiredTx: 300_000,
                    requiredRx: 300_000, multiplier: 3)
    var transport: BFDTransport = .singleHop
    var packets: [BFDObservation] = []
    var now: Int64 = 0
    var random = Jitter(seed: 7)
    /// Applied to every packet as it is sent (a defect that lasts).
    var everyPacket: ((inout BFDObservation) -> Void)?

    subscript(side: Side) -> Speaker {
        get { side == .a ? a : b }
        set { if side == .a { a = newValue } else { b = newValue } }
    }

    /// One packet from `side` at the current time, after `modify` bends it.
    mutating func send(_ side: Side, flags: BFDFlags = [], diagnostic: BFDDiagnostic = .none,
                       slow: Bool = false, modify: (inout BFDObservation) -> Void = { _ in }) {
        let speaker = self[side]
        let peer = self[side == .a ? .b : .a]
        let packet = BFDControlPacket(
            state: speaker.state, diagnostic: diagnostic, flags: flags, detectMultiplier: speaker.multiplier,
            myDiscriminator: speaker.discriminator, yourDiscriminator: speaker.yours,
            desiredMinTxInterval: slow ? max(speaker.desiredTx, 1_000_000) : speaker.desiredTx,
            requiredMinRxInterval: speaker.requiredRx, requiredMinEchoRxInterval: speaker.echoRx,
            authentication: speaker.authentication)
        var observation = BFDObservation(
            frameNumber: packets.count + 1, timeNanoseconds: now, transport: transport, source: speaker.address,
            destination: peer.address, sourcePort: speaker.port, destinationPort: transport.wellKnownPort,
            ttl: speaker.ttl, packet: packet)
        everyPacket?(&observation)
        modify(&observation)
        observation.frameNumber = packets.count + 1
        packets.append(observation)
    }

    mutating func advance(milliseconds: Double) { now += Int64(milliseconds * 1_000_000) }

    /// Down → Init → Up → Up at 1 s slow-start rate, then each side polls to its fast timers.
    mutating func handshake() {
        send(.a, slow: true)
        advance(milliseconds: 20)
        b.state = .`init`
        b.yours = a.discriminator
        send(.b, slow: true)
        advance(milliseconds: 5)
        a.state = .up
        a.yours = b.discriminator
        send(.a, slow: true)
        advance(milliseconds: 5)
        b.state = .up
        send(.b, slow: true)
        advance(milliseconds: 10)
        send(.a, flags: .poll)
        advance(milliseconds: 2)
        send(.b, flags: .final, slow: true)
        advance(milliseconds: 3)
        send(.b, flags: .poll)
        advance(milliseconds: 2)
        send(.a, flags: .final)
    }

    func interval(_ side: Side) -> Int64 {
        let me = self[side]
        let peer = self[side == .a ? .b : .a]
        return Int64(max(me.desiredTx, peer.requiredRx)) * 1_000
    }

    /// Both sides transmit periodically for `seconds`, each gap a random 76–99% of its interval.
    mutating func periodic(seconds: Double, only: Side? = nil, jitter: ClosedRange<Double> = 0.76...0.99) {
        let end = now + Int64(seconds * 1e9)
        // Continue each side's schedule from its last packet, so consecutive calls leave no hole.
        func first(_ side: Side) -> Int64 {
            let last = packets.last { $0.source == self[side].address }?.timeNanoseconds ?? now
            return max(now, last + Int64(Double(interval(side)) * random.next(in: jitter)))
        }
        var next: [Side: Int64] = [.a: first(.a), .b: first(.b)]
        if let only { next[only == .a ? .b : .a] = .max }
        while true {
            let side: Side = next[.a]! <= next[.b]! ? .a : .b
            guard next[side]! < end else { break }
            now = next[side]!
            send(side)
            next[side]! += Int64(Double(interval(side)) * random.next(in: jitter))
        }
        now = end
    }

    /// Runs the rules on the packets directly, and again on a pcap file of the same packets
    /// encoded on the wire (Ethernet/IP/UDP) through the whole capture path; both must agree, so
    /// every rule test is also a test of the synthetic capture.
    func run(options: CheckOptions = CheckOptions()) -> (findings: [Finding], sessions: [BFDSession]) {
        var tracker = BFDSessionTracker()
        var engine = BFDConformanceEngine(options: options)
        var last: Int64?
        for observation in packets {
            // As CaptureAnalysis does: a frame earlier than the one before is a step back in time.
            if let last, observation.timeNanoseconds < last { engine.timeWentBackAtFrame = observation.frameNumber }
            last = observation.timeNanoseconds
            tracker.observe(observation) { context, session in engine.packet(context, session: session) }
        }
        engine.finish(sessions: tracker.sessions, lastFrameTime: packets.last?.timeNanoseconds ?? 0)
        let direct = engine.findings.all
        if let fromCapture = try? viaCapture(options: options) {
            let a = direct.map { "\($0.rule.id) \($0.level) \($0.frames)" }
            // CAPTURE.TIME.BACKWARDS is the capture's own finding (CaptureAnalysis), not the engine's.
            let b = fromCapture.filter { $0.rule.id != "CAPTURE.TIME.BACKWARDS" }.map { "\($0.rule.id) \($0.level) \($0.frames)" }
            #expect(a == b, "findings differ between the packets and their capture")
        } else {
            Issue.record("could not write or read the exchange's capture")
        }
        return (direct, tracker.sessions)
    }

    /// Writes the exchange as a nanosecond pcap built with `FrameBuilder` and analyses the file.
    func viaCapture(options: CheckOptions) throws -> [Finding] {
        let path = NSTemporaryDirectory() + "peerscope-exchange-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try CaptureWriter(path: path, format: .pcap, linkType: .ethernet)
            for observation in packets {
                var builder = FrameBuilder.udp(from: observation.source, observation.sourcePort,
                                               to: observation.destination, observation.destinationPort)
                builder.ttl = observation.ttl
                writer.write(timestampNanoseconds: 1_700_000_000_000_000_000 + observation.timeNanoseconds,
                             bytes: builder.build(payload: observation.packet.encoded))
            }
        }
        var exact = options
        exact.resolutionNanoseconds = 1_000
        return try CaptureAnalysis(path: path, options: exact).findings
    }

    /// The rule IDs found at MUST or SHOULD level.
    func problems(options: CheckOptions = CheckOptions()) -> Set<String> {
        Set(run(options: options).findings.filter { $0.level != .info }.map(\.rule.id))
    }

    func all(options: CheckOptions = CheckOptions()) -> Set<String> {
        Set(run(options: options).findings.map(\.rule.id))
    }

    /// A clean session: handshake and ten seconds of periodic packets.
    static func clean(seconds: Double = 10) -> Exchange {
        var exchange = Exchange()
        exchange.handshake()
        exchange.periodic(seconds: seconds)
        return exchange
    }
}

/// Deterministic jitter source.
struct Jitter {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(in range: ClosedRange<Double>) -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let unit = Double(state >> 11) / Double(1 << 53)
        return range.lowerBound + unit * (range.upperBound - range.lowerBound)
    }
}
