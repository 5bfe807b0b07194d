import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// Test frames assembled layer by layer from the wire encoders, innermost first.
enum TestFrame {
    static let a4 = IPv4Address(192, 0, 2, 1)
    static let b4 = IPv4Address(192, 0, 2, 2)
    static let a6 = IPv6Address("2001:db8:12:3::7ac2:d64a")!
    static let b6 = IPv6Address("2001:db8:12:3::7ac2:d64b")!
    static let bfd = BFDControlPacket(state: .up, myDiscriminator: 11, yourDiscriminator: 22,
                                      desiredMinTxInterval: 300_000, requiredMinRxInterval: 300_000).encoded

    static func udp4(ttl: UInt8 = 255, port: UInt16 = 3784, payload: [UInt8] = bfd, options: [UInt8] = []) -> [UInt8] {
        var udp: [UInt8] = []
        UDPHeader(sourcePort: 49152, destinationPort: port).encode(into: &udp, payload: payload,
                                                                   pseudoHeader: .v4(source: a4, destination: b4))
        var ip: [UInt8] = []
        IPv4Header(source: a4, destination: b4, protocolNumber: IPProtocol.udp, ttl: ttl)
            .encode(into: &ip, payloadLength: udp.count + payload.count, options: options)
        return ip + udp + payload
    }

    /// IPv6/UDP with the given extension headers, each as (type, bytes) already laid out.
    static func udp6(hopLimit: UInt8 = 255, extensions: [(UInt8, [UInt8])] = [], payload: [UInt8] = bfd) -> [UInt8] {
        var udp: [UInt8] = []
        UDPHeader(sourcePort: 49153, destinationPort: 3784).encode(into: &udp, payload: payload,
                                                                   pseudoHeader: .v6(source: a6, destination: b6))
        var chain: [UInt8] = []
        for (index, ext) in extensions.enumerated() {
            var bytes = ext.1
            bytes[0] = index + 1 < extensions.count ? extensions[index + 1].0 : IPProtocol.udp
            chain += bytes
        }
        var ip: [UInt8] = []
        IPv6Header(source: a6, destination: b6, nextHeader: extensions.first?.0 ?? IPProtocol.udp, hopLimit: hopLimit)
            .encode(into: &ip, payloadLength: chain.count + udp.count + payload.count)
        return ip + chain + udp + payload
    }

    static func ethernet(_ etherType: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        EthernetHeader(destination: 0x0200_0000_0002, source: 0x0200_0000_0001, etherType: etherType).encode(into: &bytes)
        return bytes + payload
    }

    static func vlan(_ id: UInt16, inner: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        VLANTag(vlanID: id, etherType: inner).encode(into: &bytes)
        return bytes + payload
    }

    static func gre(_ protocolType: UInt16, key: UInt32? = nil, checksum: Bool = false, sequence: UInt32? = nil,
                    _ payload: [UInt8]) -> [UInt8] {
        var header: [UInt8] = []
        GREHeader(protocolType: protocolType, checksum: checksum ? 0 : nil, key: key, sequenceNumber: sequence)
            .encode(into: &header, payload: payload)
        var outer: [UInt8] = []
        IPv4Header(source: IPv4Address(198, 51, 100, 1), destination: IPv4Address(198, 51, 100, 2),
                   protocolNumber: IPProtocol.gre, ttl: 64)
            .encode(into: &outer, payloadLength: header.count + payload.count)
        return outer + header + payload
    }

    /// BFD over GRE (key 42) over IPv4 over 802.1Q VLAN 100 over Ethernet.
    static var greOverVLAN: [UInt8] {
        ethernet(EtherType.vlan, vlan(100, inner: EtherType.ipv4, gre(EtherType.ipv4, key: 42, udp4())))
    }
}

func dissect(_ bytes: [UInt8], _ linkType: LinkType, snapped: Bool = false) throws(WireError) -> Dissection {
    let result: Result<Dissection, WireError> = bytes.withUnsafeBytes { view in
        do throws(WireError) { return .success(try Dissector.dissect(view, linkType: linkType, snapped: snapped)) }
        catch { return .failure(error) }
    }
    return try result.get()
}

func udpPayload(_ bytes: [UInt8], _ dissection: Dissection) -> [UInt8] {
    Array(bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
}

@Suite("dissector: link, tags, tunnels, IP, transport")
struct DissectorTests {
    @Test("Ethernet/IPv4/UDP with padding: the IP length, not the frame, ends the payload")
    func ethernetPadding() throws {
        let frame = TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4()) + Array(repeating: 0, count: 6)
        let d = try dissect(frame, .ethernet)
        #expect(d.network == NetworkSummary(source: .v4(TestFrame.a4), destination: .v4(TestFrame.b4), ttl: 255, version: 4))
        #expect(udpPayload(frame, d) == TestFrame.bfd)
        #expect(d.encapsulation.path == "eth/ip/udp")
        #expect(d.encapsulation.summary == "-")
    }

    @Test("BFD over GRE over VLAN: inner addresses and TTL, summary `vlan 100/gre key 42`")
    func greOverVLAN() throws {
        let frame = TestFrame.greOverVLAN
        let d = try dissect(frame, .ethernet)
        #expect(d.network?.source == .v4(TestFrame.a4))
        #expect(d.network?.ttl == 255)
        #expect(d.encapsulation.path == "eth/vlan 100/ip/gre key 42/ip/udp")
        #expect(d.encapsulation.summary == "vlan 100/gre key 42")
        #expect(udpPayload(frame, d) == TestFrame.bfd)
    }

    @Test("GRE with checksum, key and sequence, and GRE carrying Ethernet (0x6558)")
    func greOptions() throws {
        let full = TestFrame.ethernet(EtherType.ipv4, TestFrame.gre(EtherType.ipv4, key: 7, checksum: true, sequence: 9, TestFrame.udp4()))
        #expect(udpPayload(full, try dissect(full, .ethernet)) == TestFrame.bfd)
        let bridged = TestFrame.ethernet(EtherType.ipv4, TestFrame.gre(EtherType.transparentEthernet,
                                                                       TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4())))
        let d = try dissect(bridged, .ethernet)
        #expect(d.encapsulation.path == "eth/ip/gre/eth/ip/udp")
        #expect(udpPayload(bridged, d) == TestFrame.bfd)
    }

    @Test("stacked 802.1ad + 802.1Q tags")
    func qinq() throws {
        var outerTag: [UInt8] = []
        VLANTag(tpid: EtherType.qinq, vlanID: 200, etherType: EtherType.vlan).encode(into: &outerTag)
        let frame = TestFrame.ethernet(EtherType.qinq, outerTag + TestFrame.vlan(100, inner: EtherType.ipv4, TestFrame.udp4()))
        let d = try dissect(frame, .ethernet)
        #expect(d.encapsulation.summary == "qinq 200/vlan 100")
        #expect(udpPayload(frame, d) == TestFrame.bfd)
    }

    @Test("MPLS label stack, then IPv6 by version nibble")
    func mpls() throws {
        var labels: [UInt8] = []
        MPLSLabelStackEntry(label: 16, bottomOfStack: false).encode(into: &labels)
        MPLSLabelStackEntry(label: 299_776, bottomOfStack: true).encode(into: &labels)
        let frame = TestFrame.ethernet(EtherType.mplsUnicast, labels + TestFrame.udp6())
        let d = try dissect(frame, .ethernet)
        #expect(d.encapsulation.summary == "mpls 16/mpls 299776")
        #expect(d.network?.source == .v6(TestFrame.a6))
        #expect(udpPayload(frame, d) == TestFrame.bfd)
    }

    @Test("IPv4 options are skipped")
    func ipv4Options() throws {
        let frame = TestFrame.udp4(options: [0x94, 0x04, 0x00, 0x00])  // router alert
        let d = try dissect(frame, .raw)
        #expect(udpPayload(frame, d) == TestFrame.bfd)
    }

    @Test("IPv6 hop-by-hop, routing, destination options and a first fragment are walked")
    func ipv6Extensions() throws {
        let hopByHop: [UInt8] = [0, 0, 1, 4, 0, 0, 0, 0]
        let routing: [UInt8] = [0, 0, 4, 0, 0, 0, 0, 0]
        let destination: [UInt8] = [0, 1] + Array(repeating: 1, count: 14)
        let firstFragment: [UInt8] = [0, 0, 0x00, 0x00, 0, 0, 0, 1]
        let frame = TestFrame.udp6(extensions: [(0, hopByHop), (43, routing), (60, destination), (44, firstFragment)])
        let d = try dissect(frame, .raw)
        #expect(d.network?.ttl == 255)
        #expect(udpPayload(frame, d) == TestFrame.bfd)
    }

    @Test("a non-first fragment is undecodable, not guessed")
    func nonFirstFragment() {
        let fragment: [UInt8] = [0, 0, 0x00, 0x08, 0, 0, 0, 1]  // offset 1 (8 bytes)
        let frame = TestFrame.udp6(extensions: [(44, fragment)])
        #expect(throws: WireError(.ipv6, .nonFirstFragment, at: 40)) { try dissect(frame, .raw) }
        var v4 = TestFrame.udp4()
        v4[6] = 0x00
        v4[7] = 0x10
        #expect {
            try dissect(v4, .raw)
        } throws: { ($0 as? WireError)?.reason == .nonFirstFragment }
    }

    @Test("Linux SLL, SLL2, NULL in either byte order, LOOP and raw IPv6 link types")
    func linkTypes() throws {
        var sll: [UInt8] = []
        LinuxSLLHeader(packetType: 0, address: 0x0200_0000_0001_0000, protocolType: EtherType.ipv4).encode(into: &sll)
        var sll2: [UInt8] = []
        LinuxSLL2Header(protocolType: EtherType.ipv6, interfaceIndex: 3, packetType: 4, address: 0).encode(into: &sll2)
        let cases: [([UInt8], LinkType, String)] = [
            (sll + TestFrame.udp4(), .linuxSLL, "sll/ip/udp"),
            (sll2 + TestFrame.udp6(), .linuxSLL2, "sll2/ipv6/udp"),
            ([2, 0, 0, 0] + TestFrame.udp4(), .null, "null/ip/udp"),
            ([0, 0, 0, 2] + TestFrame.udp4(), .null, "null/ip/udp"),
            ([0, 0, 0, 30] + TestFrame.udp6(), .loop, "null/ipv6/udp"),
            (TestFrame.udp6(), .raw, "raw/ipv6/udp"),
            (TestFrame.udp6(), .ipv6, "raw/ipv6/udp"),
        ]
        for (frame, linkType, path) in cases {
            let d = try dissect(frame, linkType)
            #expect(d.encapsulation.path == path)
            #expect(udpPayload(frame, d) == TestFrame.bfd)
        }
    }

    @Test("ARP is not IP and ICMP is another IP protocol: neither is an error")
    func otherTraffic() throws {
        let arp = TestFrame.ethernet(0x0806, Array(repeating: 0, count: 28))
        #expect(try dissect(arp, .ethernet).transport == .notIP(etherType: 0x0806))
        var icmp: [UInt8] = []
        IPv4Header(source: TestFrame.a4, destination: TestFrame.b4, protocolNumber: 1, ttl: 64).encode(into: &icmp, payloadLength: 8)
        icmp += Array(repeating: 0, count: 8)
        #expect(try dissect(icmp, .raw).transport == .otherIP(protocolNumber: 1))
    }

    @Test("every proper prefix of a tunnelled frame is a typed error, never a trap")
    func everyPrefix() {
        let frame = TestFrame.greOverVLAN
        // The UDP payload itself is not the dissector's to judge, so stop at the UDP header.
        let udpEnd = frame.count - TestFrame.bfd.count
        for length in 0..<udpEnd {
            #expect(throws: WireError.self) { try dissect(Array(frame.prefix(length)), .ethernet) }
        }
    }

    @Test("a frame cut by snaplen keeps what was captured and says so")
    func snapped() throws {
        let frame = Array(TestFrame.greOverVLAN.dropLast(10))
        let d = try dissect(frame, .ethernet, snapped: true)
        #expect(d.payloadTruncated)
        #expect(d.payloadLength == TestFrame.bfd.count - 10)
    }

    @Test("lengths that lie are errors: UDP beyond IP, IPv4 total beyond frame")
    func lyingLengths() {
        var frame = TestFrame.udp4()
        frame[24] = 0x01  // UDP length 0x01xx
        #expect {
            try dissect(frame, .raw)
        } throws: { ($0 as? WireError)?.layer == .udp }
        var ip = TestFrame.udp4()
        ip[2] = 0x05  // total length 0x05xx
        #expect {
            try dissect(ip, .raw)
        } throws: { ($0 as? WireError)?.reason.code == "length_beyond_data" }
    }

    @Test("random bytes on every link type never trap")
    func randomBytes() {
        var random = LinearCongruential(state: 0xFEED)
        let seeds: [[UInt8]] = [TestFrame.greOverVLAN, TestFrame.udp6(), TestFrame.udp4()]
        for linkType in [LinkType.ethernet, .raw, .linuxSLL, .linuxSLL2, .null, .loop] {
            for index in 0..<4_000 {
                // Mutate real frames (deep paths) and pure noise (shallow ones).
                var bytes = seeds[index % seeds.count]
                if index % 2 == 0 {
                    let count = Int(random.byte() % 120)
                    bytes = []
                    for _ in 0..<count { bytes.append(random.byte()) }
                } else {
                    for _ in 0..<4 where !bytes.isEmpty { bytes[Int(random.byte()) % bytes.count] = random.byte() }
                }
                if let d = try? dissect(bytes, linkType) {
                    #expect(d.payloadOffset + d.payloadLength <= bytes.count)
                }
            }
        }
    }
}

@Suite("addresses")
struct AddressTests {
    @Test("RFC 5952 text for IPv6", arguments: [
        ("2001:db8:12:3::7ac2:d64a", "2001:db8:12:3::7ac2:d64a"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("fe80::", "fe80::"),
        ("::", "::"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
    ])
    func ipv6Text(input: String, expected: String) throws {
        #expect(try #require(IPv6Address(input)).description == expected)
    }

    @Test("malformed address text is refused")
    func malformed() {
        for text in ["1.2.3", "256.1.1.1", "1:2:3", "1::2::3", "12345::", "g::1"] {
            #expect(IPAddress(text) == nil)
        }
    }
}

/// A tiny deterministic byte source for mutation tests.
struct LinearCongruential {
    var state: UInt64
    mutating func byte() -> UInt8 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
