import ArgumentParser
import PeerscopeCapture
import PeerscopeWire

/// `peerscope-synth bench-bgp OUT --updates N --sessions S`: a BGP-heavy capture for tools/bench —
/// S eBGP sessions (SYN, OPEN, KEEPALIVE, then a stream of UPDATEs announcing and withdrawing
/// prefixes), each TCP stream cut into segments of 536–1,460 bytes so most UPDATEs span two
/// segments, with the peer's ACKs, KEEPALIVEs every 3 s, and one BFD session per BGP session.
struct BenchBGP: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-bgp",
                                                    abstract: "Write a BGP-heavy capture for benchmarks.")

    @Argument(help: "Output pcap file.")
    var output: String

    @Option(help: "Total UPDATE messages.")
    var updates = 100_000

    @Option(help: "BGP sessions.")
    var sessions = 100

    func validate() throws {
        guard updates > 0, (1...10_000).contains(sessions) else {
            throw ValidationError("--updates must be positive and --sessions within 1…10000")
        }
    }

    /// One speaker pair: A (AS 65000+i, sends the routes) and B (AS 64512, acknowledges).
    struct Session {
        var a: FrameBuilder
        var b: FrameBuilder
        var sequenceA: UInt32
        var sequenceB: UInt32
        var pending: [UInt8] = []
        var announced = 0
        var index: Int
        var bfd: (FrameBuilder, BFDControlPacket, FrameBuilder, BFDControlPacket)
    }

    func run() throws {
        let writer = try CaptureWriter(path: output, format: .pcap, linkType: .ethernet)
        var random = SplitMix(seed: 4271)
        let base: Int64 = 1_763_900_000_000_000_000
        var now: Int64 = 0
        var frames = 0
        func write(_ bytes: [UInt8]) {
            writer.write(timestampNanoseconds: base + now, bytes: bytes)
            frames += 1
        }
        var all: [Session] = []
        for index in 0..<sessions {
            let a = IPAddress.v4(IPv4Address(0x0A40_0000 | UInt32(index) << 2 | 1))
            let b = IPAddress.v4(IPv4Address(0x0A40_0000 | UInt32(index) << 2 | 2))
            let port = UInt16(32_768 + index % 28_000)
            func tcp(_ from: IPAddress, _ to: IPAddress, _ sport: UInt16, _ dport: UInt16) -> FrameBuilder {
                var builder = FrameBuilder(source: from, destination: to, transport: .tcp(TCPHeader(
                    sourcePort: sport, destinationPort: dport, sequenceNumber: 0, acknowledgmentNumber: 0, flags: [.ack])))
                builder.ttl = 255
                return builder
            }
            let discriminator = UInt32(index * 2 + 1)
            let bfdA = BFDControlPacket(state: .up, detectMultiplier: 3, myDiscriminator: discriminator,
                                        yourDiscriminator: discriminator + 1, desiredMinTxInterval: 300_000,
                                        requiredMinRxInterval: 300_000)
            let bfdB = BFDControlPacket(state: .up, detectMultiplier: 3, myDiscriminator: discriminator + 1,
                                        yourDiscriminator: discriminator, desiredMinTxInterval: 300_000,
                                        requiredMinRxInterval: 300_000)
            var session = Session(a: tcp(a, b, port, 179), b: tcp(b, a, 179, port),
                                  sequenceA: UInt32(truncatingIfNeeded: random.next()),
                                  sequenceB: UInt32(truncatingIfNeeded: random.next()), index: index,
                                  bfd: (FrameBuilder.udp(from: a, 49_152 + UInt16(index % 16_000), to: b, 3784), bfdA,
                                        FrameBuilder.udp(from: b, 49_152 + UInt16(index % 16_000), to: a, 3784), bfdB))
            // Handshake and OPEN/KEEPALIVE exchange.
            write(segment(&session, fromA: true, flags: .syn, payload: []))
            write(segment(&session, fromA: false, flags: [.syn, .ack], payload: []))
            let openA = BGPOpen(myAS: UInt16(65_000 + index % 500), holdTime: 9, identifier: IPv4Address(0x0A40_0000 | UInt32(index) << 2 | 1),
                                capabilities: [.multiprotocol(.ipv4Unicast), .routeRefresh, .fourOctetAS(UInt32(65_000 + index % 500))])
            let openB = BGPOpen(myAS: 64_512, holdTime: 9, identifier: IPv4Address(0x0A40_0000 | UInt32(index) << 2 | 2),
                                capabilities: [.multiprotocol(.ipv4Unicast), .routeRefresh, .fourOctetAS(64_512)])
            write(segment(&session, fromA: true, flags: [.ack, .psh], payload: BGPMessage.open(openA).encoded()))
            write(segment(&session, fromA: false, flags: [.ack, .psh], payload: BGPMessage.open(openB).encoded()
                + BGPMessage.keepalive.encoded()))
            write(segment(&session, fromA: true, flags: [.ack, .psh], payload: BGPMessage.keepalive.encoded()))
            all.append(session)
            now += 10_000
        }
        // UPDATE streams, round robin over sessions, a few ms apart on the wire.
        var produced = 0
        var nextKeepalive: Int64 = 3_000_000_000
        var nextBFD: Int64 = 0
        while produced < updates {
            let pick = Int(random.next() % UInt64(all.count))
            var session = all[pick]
            let burst = 1 + Int(random.next() % 8)
            for _ in 0..<burst where produced < updates {
                session.pending += update(&session, random: &random)
                produced += 1
            }
            // Cut what is pending into MSS-like segments; the tail waits for the next burst.
            while session.pending.count >= 1_460 {
                let size = min(session.pending.count, 536 + Int(random.next() % 925))
                let chunk = Array(session.pending.prefix(size))
                session.pending.removeFirst(size)
                write(segment(&session, fromA: true, flags: [.ack, .psh], payload: chunk))
                now += 20_000
                if random.next() % 2 == 0 { write(segment(&session, fromA: false, flags: .ack, payload: [])) }
            }
            all[pick] = session
            now += 50_000
            if now >= nextBFD {
                for index in all.indices {
                    let (builderA, packetA, builderB, packetB) = all[index].bfd
                    write(builderA.build(payload: packetA.encoded))
                    write(builderB.build(payload: packetB.encoded))
                }
                nextBFD = now + 250_000_000
            }
            if now >= nextKeepalive {
                for index in all.indices {
                    write(segment(&all[index], fromA: false, flags: [.ack, .psh], payload: BGPMessage.keepalive.encoded()))
                }
                nextKeepalive = now + 3_000_000_000
            }
        }
        // What every session still holds goes out in final segments.
        for index in all.indices {
            while !all[index].pending.isEmpty {
                let size = min(all[index].pending.count, 1_460)
                let chunk = Array(all[index].pending.prefix(size))
                all[index].pending.removeFirst(size)
                write(segment(&all[index], fromA: true, flags: [.ack, .psh], payload: chunk))
                now += 20_000
            }
            write(segment(&all[index], fromA: false, flags: .ack, payload: []))
        }
        print("\(output): \(frames) frames, \(produced) UPDATEs, \(sessions) BGP sessions")
    }

    /// One TCP segment of `session` from A or B, advancing that side's sequence number.
    private func segment(_ session: inout Session, fromA: Bool, flags: TCPFlags, payload: [UInt8]) -> [UInt8] {
        var builder = fromA ? session.a : session.b
        let sequence = fromA ? session.sequenceA : session.sequenceB
        let acknowledgment = fromA ? session.sequenceB : session.sequenceA
        guard case .tcp(var header) = builder.transport else { return [] }
        header.sequenceNumber = sequence
        header.acknowledgmentNumber = acknowledgment
        header.flags = flags
        builder.transport = .tcp(header)
        let consumed = UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0)
        if fromA { session.sequenceA &+= consumed } else { session.sequenceB &+= consumed }
        return builder.build(payload: payload)
    }

    /// An UPDATE announcing 1–20 /24s with a realistic attribute set, or (one in five) withdrawing
    /// earlier ones.
    private func update(_ session: inout Session, random: inout SplitMix) -> [UInt8] {
        let count = 1 + Int(random.next() % 20)
        var prefixes: [BGPPrefix] = []
        let asn = UInt32(65_000 + session.index % 500)
        if session.announced > 40, random.next() % 5 == 0 {
            for offset in 0..<count {
                let slot = UInt32((session.announced - 1 - offset * 2) % 65_536)
                prefixes.append(BGPPrefix(address: .v4(IPv4Address(0x6400_0000 | UInt32(session.index % 64) << 16 | slot << 8)), length: 24))
            }
            return BGPMessage.update(BGPUpdate(withdrawn: prefixes)).encoded()
        }
        for _ in 0..<count {
            let slot = UInt32(session.announced % 65_536)
            prefixes.append(BGPPrefix(address: .v4(IPv4Address(0x6400_0000 | UInt32(session.index % 64) << 16 | slot << 8)), length: 24))
            session.announced += 1
        }
        let attributes = [
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(0)),
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .asPath([BGPASPathSegment(
                type: 2, asns: [asn, 64_600 + UInt32(random.next() % 100), 64_700 + UInt32(random.next() % 100)])])),
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .nextHop(IPv4Address(0x0A40_0000 | UInt32(session.index) << 2 | 1))),
            BGPPathAttribute(flags: BGPPathAttribute.optional, value: .multiExitDisc(UInt32(random.next() % 1_000))),
            BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.transitive,
                             value: .communities([asn << 16 | UInt32(random.next() % 1_000), 0xFFFF_FF01])),
        ]
        return BGPMessage.update(BGPUpdate(attributes: attributes, announced: prefixes)).encoded()
    }
}
