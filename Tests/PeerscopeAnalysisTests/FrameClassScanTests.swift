import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire
import Testing

/// `decode --count`'s in-place scan. The expected classes follow from how each frame is built
/// (ports 3784/179 of RFC 5881 §4 and RFC 4271 §8.2.1, protocol numbers of the IANA registry);
/// for damaged frames the truth is the full dissector, which the tshark differential tests cover:
/// the scan must either agree with it or leave the frame to it.
@Suite("decode --count scan: the common frame classified in place, the rest left to the dissector")
struct FrameClassScanTests {
    private static func scan(_ bytes: [UInt8], linkType: LinkType = .ethernet, original: Int? = nil) -> String? {
        bytes.withUnsafeBytes { view in
            let frame = Frame(number: 1, timestampNanoseconds: 0, capturedLength: view.count,
                              originalLength: original ?? view.count, linkType: linkType, bytes: view)
            return FrameClassScan.classify(frame).map { String(describing: $0) }
        }
    }

    private static func full(_ bytes: [UInt8], linkType: LinkType = .ethernet, original: Int? = nil) -> String {
        bytes.withUnsafeBytes { view in
            let frame = Frame(number: 1, timestampNanoseconds: 0, capturedLength: view.count,
                              originalLength: original ?? view.count, linkType: linkType, bytes: view)
            var dissection = Dissection()
            return String(describing: FrameDecoder.classify(frame, into: &dissection))
        }
    }

    private static func tcp4(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8] = [1, 2, 3]) -> [UInt8] {
        var tcp: [UInt8] = []
        TCPHeader(sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: 1, acknowledgmentNumber: 0,
                  flags: TCPFlags(rawValue: 0x18))
            .encode(into: &tcp, payload: payload, pseudoHeader: .v4(source: TestFrame.a4, destination: TestFrame.b4))
        var ip: [UInt8] = []
        IPv4Header(source: TestFrame.a4, destination: TestFrame.b4, protocolNumber: IPProtocol.tcp, ttl: 1)
            .encode(into: &ip, payloadLength: tcp.count + payload.count)
        return ip + tcp + payload
    }

    private static var icmp4: [UInt8] {
        var ip: [UInt8] = []
        IPv4Header(source: TestFrame.a4, destination: TestFrame.b4, protocolNumber: 1, ttl: 64)
            .encode(into: &ip, payloadLength: 8)
        return ip + [8, 0, 0, 0, 0, 0, 0, 0]
    }

    private static func name(_ frameClass: FrameClass) -> String { String(describing: frameClass) }

    /// The frames the scan takes, with the class their construction gives them.
    private static let common: [(String, [UInt8], String)] = [
        ("IPv4 BFD single-hop", TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4()), name(.bfdControl(.singleHop))),
        ("IPv4 BFD multihop", TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4(port: 4784)), name(.bfdControl(.multihop))),
        ("IPv4 BFD echo", TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4(port: 3785)), name(.bfdEcho)),
        ("IPv4 UDP other", TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4(port: 53)), name(.otherUDP)),
        ("VLAN IPv4 BFD", TestFrame.ethernet(EtherType.vlan, TestFrame.vlan(7, inner: EtherType.ipv4, TestFrame.udp4())),
         name(.bfdControl(.singleHop))),
        ("IPv4 options", TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4(options: [1, 1, 1, 1])),
         name(.bfdControl(.singleHop))),
        ("IPv6 BFD", TestFrame.ethernet(EtherType.ipv6, TestFrame.udp6()), name(.bfdControl(.singleHop))),
        ("TCP to 179", TestFrame.ethernet(EtherType.ipv4, tcp4(sourcePort: 50000, destinationPort: 179)), name(.bgpSegment)),
        ("TCP from 179", TestFrame.ethernet(EtherType.ipv4, tcp4(sourcePort: 179, destinationPort: 50000)), name(.bgpSegment)),
        ("TCP other", TestFrame.ethernet(EtherType.ipv4, tcp4(sourcePort: 22, destinationPort: 50000)), name(.otherTCP)),
        ("ICMP", TestFrame.ethernet(EtherType.ipv4, icmp4), name(.otherIP)),
        ("ARP", TestFrame.ethernet(0x0806, [UInt8](repeating: 0, count: 28)), name(.notIP)),
        ("VLAN LLDP", TestFrame.ethernet(EtherType.vlan, TestFrame.vlan(7, inner: 0x88CC, [UInt8](repeating: 0, count: 20))), name(.notIP)),
    ]

    @Test("common frames: the class their construction gives, the same as the dissector's")
    func commonFrames() {
        for (name, bytes, expected) in Self.common {
            #expect(Self.scan(bytes) == expected, "\(name)")
            #expect(Self.full(bytes) == expected, "\(name)")
        }
    }

    @Test("a BFD packet whose own bytes are bad is counted malformed by its error, as the dissector's path does")
    func malformedBFD() {
        var payload = TestFrame.bfd
        payload[0] = 0x00  // version 0 (RFC 5880 §6.8.6: discard)
        let bytes = TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4(payload: payload))
        let scanned = Self.scan(bytes)
        #expect(scanned?.hasPrefix("bfdMalformed(") == true)
        #expect(scanned == Self.full(bytes))
    }

    @Test("tunnels, label stacks, extension headers, Q-in-Q, other link types and cut frames are left to the dissector")
    func leftToTheDissector() {
        var hopByHop = [UInt8](repeating: 0, count: 8)
        hopByHop[0] = IPProtocol.udp
        let frames: [(String, [UInt8], LinkType, Int?)] = [
            ("GRE", TestFrame.greOverVLAN, .ethernet, nil),
            ("IPv6 hop-by-hop", TestFrame.ethernet(EtherType.ipv6, TestFrame.udp6(extensions: [(0, hopByHop)])), .ethernet, nil),
            ("Q-in-Q", TestFrame.ethernet(0x88A8, TestFrame.vlan(1, inner: EtherType.vlan,
                                                                TestFrame.vlan(2, inner: EtherType.ipv4, TestFrame.udp4()))), .ethernet, nil),
            ("raw IPv4", TestFrame.udp4(), .raw, nil),
            ("MPLS", TestFrame.ethernet(EtherType.mplsUnicast, [0, 0, 0x11, 64] + TestFrame.udp4()), .ethernet, nil),
            ("cut by snaplen", Array(TestFrame.ethernet(EtherType.ipv4, TestFrame.udp4()).dropLast(4)), .ethernet, 80),
        ]
        for (name, bytes, linkType, original) in frames {
            #expect(Self.scan(bytes, linkType: linkType, original: original) == nil, "\(name)")
        }
    }

    @Test("every prefix and every header byte set to 0x00, 0x01, 0x45, 0x80, 0xFF: the scan agrees with the dissector or steps aside, never traps")
    func damagedFrames() {
        var answered = 0, checked = 0
        for (name, frame, _) in Self.common {
            var variants: [[UInt8]] = (0..<frame.count).map { Array(frame.prefix($0)) }
            // Link, IP and transport headers: the first 14 + 60 + 20 bytes cover every field read.
            for index in 0..<min(frame.count, 94) {
                for value: UInt8 in [0x00, 0x01, 0x45, 0x80, 0xFF] where frame[index] != value {
                    var damaged = frame
                    damaged[index] = value
                    variants.append(damaged)
                }
            }
            for bytes in variants {
                checked += 1
                guard let scanned = Self.scan(bytes) else { continue }
                answered += 1
                #expect(scanned == Self.full(bytes), "\(name): \(bytes)")
            }
        }
        // Most damage to addresses, checksums and ports leaves a frame the scan still takes.
        #expect(answered > checked / 4)
    }
}
