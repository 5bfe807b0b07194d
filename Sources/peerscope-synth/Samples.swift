import ArgumentParser
import Crypto
import PeerscopeCapture
import PeerscopeWire

/// `peerscope-synth samples DIR`: the small, deterministic sample captures of `captures/`.
struct Samples: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the sample captures (deterministic).")

    @Argument(help: "Output folder (captures/).")
    var directory: String

    static let base: Int64 = 1_763_900_000_000_000_000
    static let a4 = IPAddress("192.0.2.1")!
    static let b4 = IPAddress("192.0.2.2")!

    func run() throws {
        try write("bfd-ipv4-singlehop.pcap", singleHop())
        try write("bfd-ipv6-singlehop.pcapng", ipv6(), format: .pcapng)
        try write("bfd-multihop.pcap", multihop())
        try write("bfd-echo.pcap", echo())
        for (name, type) in [("simple", BFDAuthType.simplePassword), ("keyed-md5", .keyedMD5),
                             ("meticulous-md5", .meticulousKeyedMD5), ("keyed-sha1", .keyedSHA1),
                             ("meticulous-sha1", .meticulousKeyedSHA1)] {
            try write("bfd-auth-\(name).pcap", authenticated(type))
        }
        try write("bfd-gre-vlan.pcap", greOverVLAN())
        try write("bfd-mpls.pcap", mpls())
        try write("bfd-sll.pcap", cooked(v2: false), linkType: .linuxSLL)
        try write("bfd-sll2.pcap", cooked(v2: true), linkType: .linuxSLL2)
        try write("bfd-failover.pcap", failover())
        try write("bfd-mixed-noise.pcap", noise())
    }

    func write(_ name: String, _ frames: [(time: Int64, bytes: [UInt8])], format: CaptureWriter.Format = .pcap,
               linkType: LinkType = .ethernet) throws {
        let writer = try CaptureWriter(path: directory + "/" + name, format: format, linkType: linkType)
        for frame in frames.sorted(by: { $0.time < $1.time }) {
            writer.write(timestampNanoseconds: Self.base + frame.time, bytes: frame.bytes)
        }
        print("\(name): \(frames.count) frames")
    }

    static func routers(_ a: IPAddress = a4, _ b: IPAddress = b4) -> (SessionSimulator.Router, SessionSimulator.Router) {
        (SessionSimulator.Router(address: a, port: 49152, discriminator: 0x0000_1001, desiredTx: 300_000,
                                 requiredRx: 300_000, multiplier: 3),
         SessionSimulator.Router(address: b, port: 49731, discriminator: 0x0000_2002, desiredTx: 200_000,
                                 requiredRx: 500_000, multiplier: 5))
    }

    /// Asymmetric timers (300/300 ×3 against 200/500 ×5), then a Poll/Final change to 150 ms.
    func singleHop() -> [(time: Int64, bytes: [UInt8])] {
        let (a, b) = Self.routers()
        var simulation = SessionSimulator(a, b, seed: 1)
        simulation.establish()
        simulation.run(until: 8_000_000_000)
        simulation.changeTimers(0, desiredTx: 150_000, requiredRx: 150_000)
        simulation.run(until: 14_000_000_000)
        return simulation.frames
    }

    func ipv6() -> [(time: Int64, bytes: [UInt8])] {
        let (a, b) = Self.routers(IPAddress("2001:db8:12:3::7ac2:d64a")!, IPAddress("2001:db8:12:3::7ac2:d64b")!)
        var simulation = SessionSimulator(a, b, seed: 2)
        simulation.establish()
        simulation.run(until: 10_000_000_000)
        return simulation.frames
    }

    func multihop() -> [(time: Int64, bytes: [UInt8])] {
        var (a, b) = Self.routers(IPAddress("198.51.100.1")!, IPAddress("203.0.113.9")!)
        a.ttl = 253
        b.ttl = 252
        var simulation = SessionSimulator(a, b, seed: 3)
        simulation.transport = .multihop
        simulation.establish()
        simulation.run(until: 10_000_000_000)
        return simulation.frames
    }

    /// A asks for echoes (Required Min Echo RX 50 ms); B sends echo packets addressed to itself
    /// through A, which loops them back (TTL one lower).
    func echo() -> [(time: Int64, bytes: [UInt8])] {
        var (a, b) = Self.routers()
        a.echoRx = 50_000
        a.desiredTx = 1_000_000
        b.desiredTx = 1_000_000
        b.requiredRx = 1_000_000
        var simulation = SessionSimulator(a, b, seed: 4)
        simulation.establish()
        simulation.run(until: 6_000_000_000)
        var frames = simulation.frames
        var time = Int64(3_000_000_000)
        var random = SplitMix(seed: 44)
        for sequence in 0..<40 {
            var payload: [UInt8] = Array("PEERSCOPE-ECHO".utf8)
            payload.appendUInt32(UInt32(sequence))
            payload.appendUInt64(random.next())
            var outbound = FrameBuilder.udp(from: Self.b4, 49800, to: Self.b4, BFDTransport.echoPort)
            outbound.link = .ethernet(source: 0x0200_0000_0002, destination: 0x0200_0000_0001)
            frames.append((time, outbound.build(payload: payload)))
            var looped = outbound
            looped.ttl = 254
            looped.link = .ethernet(source: 0x0200_0000_0001, destination: 0x0200_0000_0002)
            frames.append((time + 180_000 + Int64(random.next() % 60_000), looped.build(payload: payload)))
            time += 50_000_000 + Int64(random.next() % 5_000_000)
        }
        return frames
    }

    /// Keys by type: key ID 1, secret "peerscope" (simple password "bfd-pass").
    func authenticated(_ type: BFDAuthType) -> [(time: Int64, bytes: [UInt8])] {
        var (a, b) = Self.routers()
        let secret = Array((type == .simplePassword ? "bfd-pass" : "peerscope").utf8)
        for index in 0..<2 {
            var router = index == 0 ? a : b
            router.secret = secret
            router.sequence = UInt32(1000 * (index + 1))
            router.authentication = type == .simplePassword
                ? .simplePassword(keyID: 1, password: secret)
                : .keyed(type, keyID: 1, sequenceNumber: 0)
            if index == 0 { a = router } else { b = router }
        }
        var simulation = SessionSimulator(a, b, seed: 5 + UInt64(type.rawValue))
        simulation.establish()
        simulation.run(until: 8_000_000_000)
        return simulation.frames
    }

    /// Ethernet / 802.1Q VLAN 100 / IPv4 / GRE (key 42) / IPv4 / UDP / BFD, the inner TTL 255; the
    /// last seconds ride a QinQ (802.1ad 300 + 802.1Q 100) underlay instead.
    func greOverVLAN() -> [(time: Int64, bytes: [UInt8])] {
        let (a, b) = Self.routers(IPAddress("10.255.0.1")!, IPAddress("10.255.0.2")!)
        var simulation = SessionSimulator(a, b, seed: 6)
        simulation.shape = { builder in
            builder.vlanTags = [(EtherType.vlan, 100)]
            let forward = builder.source == IPAddress("10.255.0.1")!
            builder.tunnel = FrameBuilder.GRETunnel(
                source: IPv4Address(forward ? "198.51.100.10" : "203.0.113.20")!,
                destination: IPv4Address(forward ? "203.0.113.20" : "198.51.100.10")!, key: 42)
        }
        simulation.establish()
        simulation.run(until: 6_000_000_000)
        simulation.shape = { builder in
            builder.vlanTags = [(EtherType.qinq, 300), (EtherType.vlan, 100)]
            let forward = builder.source == IPAddress("10.255.0.1")!
            builder.tunnel = FrameBuilder.GRETunnel(
                source: IPv4Address(forward ? "198.51.100.10" : "203.0.113.20")!,
                destination: IPv4Address(forward ? "203.0.113.20" : "198.51.100.10")!, key: 42,
                sequenceNumber: 7, checksum: true)
        }
        simulation.run(until: 8_000_000_000)
        return simulation.frames
    }

    func mpls() -> [(time: Int64, bytes: [UInt8])] {
        let (a, b) = Self.routers()
        var simulation = SessionSimulator(a, b, seed: 7)
        simulation.shape = { $0.mplsLabels = [16_004, 299_792] }
        simulation.establish()
        simulation.run(until: 5_000_000_000)
        return simulation.frames
    }

    /// As `tcpdump -i any` writes it: Linux cooked headers instead of Ethernet.
    func cooked(v2: Bool) -> [(time: Int64, bytes: [UInt8])] {
        let (a, b) = Self.routers()
        var simulation = SessionSimulator(a, b, seed: v2 ? 9 : 8)
        simulation.shape = { builder in
            let outgoing = builder.source == Self.a4
            builder.link = v2 ? .linuxSLL2(interfaceIndex: 3, packetType: outgoing ? 4 : 0, address: 0x0200_0000_0001)
                : .linuxSLL(packetType: outgoing ? 4 : 0, address: 0x0200_0000_0001)
        }
        simulation.establish()
        simulation.run(until: 5_000_000_000)
        return simulation.frames
    }

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
        var sequence: [UInt32] = [1_000, 5_000]
        var time = Int64(500_000_000)
        while time < 9_000_000_000 {
            for side in 0..<2 where side == 1 || time < 6_000_000_000 {
                var keepalive = [UInt8](repeating: 0xFF, count: 16)
                keepalive.appendUInt16(19)
                keepalive.append(4)
                let header = TCPHeader(sourcePort: side == 0 ? 179 : 40_123, destinationPort: side == 0 ? 40_123 : 179,
                                       sequenceNumber: sequence[side], acknowledgmentNumber: sequence[1 - side],
                                       flags: [.ack, .psh])
                var builder = FrameBuilder(source: side == 0 ? Self.a4 : Self.b4, destination: side == 0 ? Self.b4 : Self.a4,
                                           transport: .tcp(header))
                builder.ttl = 1
                frames.append((time + Int64(side) * 7_000_000, builder.build(payload: keepalive)))
                sequence[side] &+= 19
            }
            time += 3_000_000_000
        }
        return frames
    }

    /// BFD among traffic that is not BFD, and frames the decoder must count but not guess at.
    func noise() -> [(time: Int64, bytes: [UInt8])] {
        let (a, b) = Self.routers()
        var simulation = SessionSimulator(a, b, seed: 11)
        simulation.establish()
        simulation.run(until: 4_000_000_000)
        var frames = simulation.frames
        var time = Int64(100_000_000)
        func add(_ bytes: [UInt8]) {
            frames.append((time, bytes))
            time += 97_000_000
        }
        var ethernet: [UInt8] = []
        EthernetHeader(destination: 0xFFFF_FFFF_FFFF, source: 0x0200_0000_0001, etherType: 0x0806).encode(into: &ethernet)
        add(ethernet + [0, 1, 8, 0, 6, 4, 0, 1] + Array(repeating: 0x11, count: 20))  // ARP
        var dns = FrameBuilder.udp(from: Self.a4, 53_001, to: IPAddress("192.0.2.53")!, 53)
        dns.ttl = 64
        add(dns.build(payload: [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
        var icmp: [UInt8] = []
        IPv4Header(source: IPv4Address(192, 0, 2, 1), destination: IPv4Address(192, 0, 2, 2), protocolNumber: 1, ttl: 64)
            .encode(into: &icmp, payloadLength: 8)
        ethernet = []
        EthernetHeader(destination: 0x0200_0000_0002, source: 0x0200_0000_0001, etherType: EtherType.ipv4).encode(into: &ethernet)
        add(ethernet + icmp + [8, 0, 0xF7, 0xFF, 0, 0, 0, 0])
        let tcp = FrameBuilder(source: Self.a4, destination: IPAddress("192.0.2.80")!, transport: .tcp(TCPHeader(
            sourcePort: 45_000, destinationPort: 443, sequenceNumber: 1, acknowledgmentNumber: 1, flags: [.ack])))
        add(tcp.build(payload: Array(repeating: 0x17, count: 40)))
        // IPv6 BFD behind hop-by-hop and a first-fragment header: decodable.
        var v6 = FrameBuilder.udp(from: IPAddress("2001:db8::1")!, 49_999, to: IPAddress("2001:db8::2")!, 3784)
        v6.ipv6Extensions = [(0, [0, 0, 1, 4, 0, 0, 0, 0]), (44, [0, 0, 0, 0, 0, 0, 0, 9])]
        add(v6.build(payload: BFDControlPacket(state: .down, myDiscriminator: 77, desiredMinTxInterval: 1_000_000).encoded))
        // A non-first fragment: counted as undecodable, never guessed.
        var fragment = FrameBuilder.udp(from: IPAddress("2001:db8::1")!, 49_999, to: IPAddress("2001:db8::2")!, 3784)
        fragment.ipv6Extensions = [(44, [0, 0, 0, 0x10, 0, 0, 0, 9])]
        add(fragment.build(payload: Array(repeating: 0, count: 16)))
        // GRE carrying PPP (0x880B): a tunnel payload the decoder does not follow.
        var gre: [UInt8] = []
        GREHeader(protocolType: 0x880B).encode(into: &gre)
        var outer: [UInt8] = []
        IPv4Header(source: IPv4Address(198, 51, 100, 1), destination: IPv4Address(198, 51, 100, 2),
                   protocolNumber: IPProtocol.gre, ttl: 64).encode(into: &outer, payloadLength: gre.count + 8)
        add(ethernet + outer + gre + [0xFF, 0x03, 0, 0x21, 0, 0, 0, 0])
        // Micro-BFD on a LAG member (RFC 7130, UDP 6784) and S-BFD (RFC 7880, UDP 7784) and its reply.
        let micro = FrameBuilder.udp(from: Self.a4, 49_500, to: Self.b4, BFDTransport.microBFDPort)
        add(micro.build(payload: BFDControlPacket(state: .down, myDiscriminator: 501, desiredMinTxInterval: 1_000_000).encoded))
        let sbfd = FrameBuilder.udp(from: Self.a4, 49_600, to: Self.b4, BFDTransport.seamlessPort)
        add(sbfd.build(payload: BFDControlPacket(state: .up, myDiscriminator: 601, yourDiscriminator: 0x0A00_0001,
                                                 desiredMinTxInterval: 50_000, requiredMinRxInterval: 0).encoded))
        let reflector = FrameBuilder.udp(from: Self.b4, BFDTransport.seamlessPort, to: Self.a4, 49_600)
        add(reflector.build(payload: BFDControlPacket(state: .up, myDiscriminator: 0x0A00_0001, yourDiscriminator: 601,
                                                      desiredMinTxInterval: 50_000, requiredMinRxInterval: 50_000).encoded))
        return frames
    }
}
