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
        try write("bfd-failover-oneway.pcap", failoverOneWay())
        try write("bfd-mixed-noise.pcap", noise())
        try write("bfd-endpoint-pair.pcap", endpointPair())
        try write("bgp-families.pcap", bgpFamilies())
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
}
