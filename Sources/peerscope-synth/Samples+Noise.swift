import PeerscopeWire

/// Traffic that is not BFD around a BFD session: what a decoder must count and skip.
extension Samples {
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
        // ARP who-has 192.0.2.2 tell 192.0.2.1 (RFC 826: Ethernet, IPv4, request).
        add(ethernet + [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2])
        // A whole DNS query (one question, example.net A IN): a header alone would be a malformed query.
        var dns = FrameBuilder.udp(from: Self.a4, 53_001, to: IPAddress("192.0.2.53")!, 53)
        dns.ttl = 64
        let question: [UInt8] = [7] + Array("example".utf8) + [3] + Array("net".utf8) + [0, 0, 1, 0, 1]
        add(dns.build(payload: [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0] + question))
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
        // GRE carrying PPP (0x880B): a tunnel payload the decoder does not follow. The PPP frame is
        // an LCP Echo-Request (RFC 1661 §5.8), whole, so Wireshark shows it clean.
        var gre: [UInt8] = []
        GREHeader(protocolType: 0x880B).encode(into: &gre)
        let lcpEchoRequest: [UInt8] = [0xFF, 0x03, 0xC0, 0x21, 9, 1, 0, 8, 0x5E, 0xED, 0x0B, 0x0B]
        var outer: [UInt8] = []
        IPv4Header(source: IPv4Address(198, 51, 100, 1), destination: IPv4Address(198, 51, 100, 2),
                   protocolNumber: IPProtocol.gre, ttl: 64).encode(into: &outer, payloadLength: gre.count + lcpEchoRequest.count)
        add(ethernet + outer + gre + lcpEchoRequest)
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
