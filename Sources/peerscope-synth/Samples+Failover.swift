import PeerscopeWire

/// The two failure stories: a router that dies and reboots, and a path that loses one direction.
extension Samples {
    /// Up at 300 ms ×3; at t=6 s router A falls silent; B declares Down (diag 1) after the detection
    /// time; BGP keepalives ride alongside and stop with A. A reboots and comes back at t=10 s.
    func failover() -> [(time: Int64, bytes: [UInt8])] {
        var (a, b) = Self.routers()
        b.desiredTx = 300_000
        b.requiredRx = 300_000
        b.multiplier = 3
        a.silentFrom = 6_000_000_000
        var simulation = SessionSimulator(a, b, seed: 10)
        simulation.establish()
        simulation.run(until: 10_000_000_000)
        // A reboots: a new discriminator, so a new session linked to the old one.
        simulation.routers[0].silentFrom = .max
        simulation.routers[0].discriminator = 0x0000_1003
        simulation.routers[0].fast = false
        simulation.routers[0].state = .down
        simulation.routers[0].diagnostic = .none
        simulation.routers[0].yours = 0
        simulation.routers[0].nextSend = simulation.now
        simulation.run(until: 14_000_000_000)
        var frames = simulation.frames
        var bgp = BGPConnection()
        var time = Int64(500_000_000)
        while time < 9_000_000_000 {
            for side in 0..<2 where side == 1 || time < 6_000_000_000 {
                frames.append((time + Int64(side) * 7_000_000, bgp.segment(from: side, message: BGPConnection.keepalive)))
            }
            time += 3_000_000_000
        }
        return frames
    }

    /// The A→B direction fails at t=6 s and heals at t=10 s, seen from B's port: A's packets vanish;
    /// B declares Down with diag 1 (Control Detection Time Expired, §6.8.4) and, as RFC 9384
    /// allows, takes BGP down with a Cease "BFD Down" NOTIFICATION. A still hears B's Down and
    /// goes Down with diag 3 (Neighbor Signaled Session Down, §6.8.6), then Init on B's next Down
    /// (Down hearing Down, §6.8.6), and stays in Init while B's Down packets keep coming (§6.8.6
    /// has no Init → Down on a received Down). So when the path heals A's first packet is Init,
    /// diag 3, with Your Discriminator still B's: its Down was sent but lost on the failed path,
    /// B goes Up on it and the same discriminators are Up again: one session, two Up periods.
    func failoverOneWay() -> [(time: Int64, bytes: [UInt8])] {
        var (a, b) = Self.routers()
        b.desiredTx = 300_000
        b.requiredRx = 300_000
        b.multiplier = 3
        a.silentFrom = 6_000_000_000
        var simulation = SessionSimulator(a, b, seed: 12)
        simulation.establish()
        simulation.run(until: 10_000_000_000)
        // The path heals just as A sends, so its Down/diag 3 is the first packet across.
        simulation.routers[0].silentFrom = .max
        simulation.routers[0].nextSend = simulation.now
        simulation.run(until: 11_500_000_000)
        simulation.pollToFastTimers()
        simulation.run(until: 15_000_000_000)
        var frames = simulation.frames

        let bfdDown = simulation.detectionExpiries.first { $0.side == 1 }?.time ?? 7_000_000_000
        var bgp = BGPConnection()
        var time = Int64(500_000_000)
        while time < bfdDown {
            for side in 0..<2 where side == 1 || time < 6_000_000_000 {
                let at = time + Int64(side) * 7_000_000
                guard at < bfdDown else { continue }
                frames.append((at, bgp.segment(from: side, message: BGPConnection.keepalive)))
            }
            time += 3_000_000_000
        }
        // B's BGP reacts to its own BFD Down a few milliseconds later (Cease, subcode 10).
        frames.append((bfdDown + 3_000_000, bgp.segment(from: 1, message: BGPConnection.ceaseBFDDown, closing: true)))
        return frames
    }
}

/// One established eBGP TCP connection between the sample routers: A (192.0.2.1) listens on 179,
/// B (192.0.2.2) connected from 40123. Sequence and acknowledgment numbers advance with every
/// segment so tshark's TCP analysis sees a clean stream.
struct BGPConnection {
    /// RFC 4271 §4.4: the 19-byte KEEPALIVE.
    static let keepalive: [UInt8] = message(type: 4, body: [])
    /// RFC 4271 §4.5 NOTIFICATION: Cease (6), subcode 10 "BFD Down" (RFC 9384).
    static let ceaseBFDDown: [UInt8] = message(type: 3, body: [6, 10])

    static func message(type: UInt8, body: [UInt8]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xFF, count: 16)
        bytes.appendUInt16(UInt16(19 + body.count))
        bytes.append(type)
        return bytes + body
    }

    private var sequence: [UInt32] = [1_000, 5_000]

    mutating func segment(from side: Int, message: [UInt8], closing: Bool = false) -> [UInt8] {
        let a = Samples.a4, b = Samples.b4
        let header = TCPHeader(sourcePort: side == 0 ? 179 : 40_123, destinationPort: side == 0 ? 40_123 : 179,
                               sequenceNumber: sequence[side], acknowledgmentNumber: sequence[1 - side],
                               flags: closing ? [.ack, .psh, .fin] : [.ack, .psh])
        var builder = FrameBuilder(source: side == 0 ? a : b, destination: side == 0 ? b : a, transport: .tcp(header))
        // eBGP between neighbours sends with TTL 1 (no GTSM).
        builder.ttl = 1
        sequence[side] &+= UInt32(message.count) + (closing ? 1 : 0)
        return builder.build(payload: message)
    }
}
