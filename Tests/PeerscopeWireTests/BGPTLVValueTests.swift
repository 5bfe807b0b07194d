import PeerscopeWire
import Testing

/// Values read out of TLVs and flowspec prefixes, checked against bytes laid out by hand from the
/// RFCs' figures: RFC 8956 §3.1 (IPv6 flowspec prefix with offset), RFC 9552 §5.3 and RFC 9085
/// §2.1.2 (BGP-LS attribute TLVs), RFC 9012 §3 (tunnel encapsulation sub-TLVs).
@Suite("TLV and flowspec offset values from the RFC layouts")
struct BGPTLVValueTests {
    /// One IPv6 flowspec NLRI in an MP_UNREACH, decoded.
    func flowSpec(_ rule: [UInt8]) throws -> BGPFlowSpecRule {
        let value: [UInt8] = [0, 2, 133, UInt8(rule.count)] + rule
        let bytes = BGPMessage.update(BGPUpdate(attributes: [BGPPathAttribute(flags: 0x80, value: .unknown(type: 15, bytes: value))])).encoded()
        guard case .update(let update) = try decodeBGP(bytes), case .mpUnreach(_, let nlri) = update.attributes.first?.value,
              case .flowSpec(let decoded) = nlri.first else { throw WireError(.bgp, .unsupported(0), at: 0) }
        return decoded
    }

    @Test("RFC 8956 §3.1: the pattern is bits offset … length − 1 of the address, not its first bits")
    func ipv6Offset() throws {
        // type 1, length 128, offset 64, pattern of 64 bits: 0000 0000 0000 0001 → ::1.
        let rule = try flowSpec([1, 128, 64, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(rule.components == [.prefix(type: 1, address: IPAddress("::1")!, length: 128, offset: 64)])
        #expect(rule.filterTexts == ["Destination prefix filter (::1/128 offset 64)"])
        // type 2, length 48, offset 3, pattern of 45 bits in 6 octets: 0xedc0_0558_0668 holds
        // 1db8:00ab:00cd moved left by 3 (the low 3 bits are padding).
        let source = try flowSpec([2, 48, 3, 0xED, 0xC0, 0x05, 0x58, 0x06, 0x68])
        #expect(source.components == [.prefix(type: 2, address: IPAddress("1db8:ab:cd::")!, length: 48, offset: 3)])
        // Offset 0 is the plain prefix.
        let plain = try flowSpec([1, 32, 0, 0x20, 0x01, 0x0D, 0xB8])
        #expect(plain.filterTexts == ["Destination prefix filter (2001:db8::/32)"])
    }

    @Test("BGP-LS attribute TLVs (RFC 9552 §5.3, RFC 9085 §2.1.2) read by type; the rest stays raw")
    func linkState() {
        func value(_ type: UInt16, _ bytes: [UInt8]) -> BGPLinkStateAttributeValue { BGPLinkStateAttributeValue(type: type, value: bytes) }
        #expect(value(1026, Array("pe1".utf8)) == .nodeName("pe1"))
        #expect(value(1028, [192, 0, 2, 7]) == .routerID(IPAddress("192.0.2.7")!))
        #expect(value(1031, [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]) == .routerID(IPAddress("2001:db8::1")!))
        // 0x4e9502f9 is 1.25e9 as an IEEE single: 10 Gbit/s in bytes per second.
        #expect(value(1089, [0x4E, 0x95, 0x02, 0xF9]) == .bandwidth(1.25e9))
        #expect(value(1092, [0, 0, 0, 20]) == .metric(20))
        // §5.3.2.4: a one-octet IGP metric keeps its low 6 bits (IS-IS small metrics).
        #expect(value(1095, [0xC5]) == .metric(5))
        #expect(value(1095, [0, 1, 0]) == .metric(256))
        #expect(value(1096, [0, 0, 0, 7, 0, 0, 1, 0]) == .srlg([7, 256]))
        #expect(value(1088, [0, 0, 0, 0x21]) == .adminGroup(0x21))
        // flags I, reserved, range 8000, SID/Label sub-TLV 1161 with a 3-octet label 16000.
        #expect(value(1034, [0x80, 0, 0, 0x1F, 0x40, 0x04, 0x89, 0, 3, 0, 0x3E, 0x80])
                == .srCapabilities(flags: 0x80, ranges: [.init(size: 8000, label: 16000, index: nil)]))
        // A wrong length or a sub-TLV other than 1161 is not guessed at.
        #expect(value(1089, [1, 2, 3]) == .raw([1, 2, 3]))
        #expect(value(1034, [0x80, 0, 0, 0, 1, 0x04, 0x8A, 0, 3, 0, 0, 1]) == .raw([0x80, 0, 0, 0, 1, 0x04, 0x8A, 0, 3, 0, 0, 1]))
        #expect(value(1171, [0xAB]) == .raw([0xAB]))
        #expect(BGPLinkStateTLVType.name(1026) == "Node Name" && BGPLinkStateTLVType.name(263) == "Multi-Topology Identifier")
        #expect(BGPLinkStateTLV.name(1095) == BGPLinkStateTLVType.name(1095))
    }

    @Test("tunnel encapsulation sub-TLVs (RFC 9012 §3) read by type and tunnel type")
    func tunnelSubTLVs() {
        func value(_ type: UInt16, _ bytes: [UInt8], tunnel: UInt16 = 8) -> BGPTunnelSubTLVValue {
            BGPTunnelSubTLVValue(type: type, value: bytes, tunnelType: tunnel)
        }
        // §3.2.1 VXLAN: V and M flags, VN-ID 10001, MAC, two reserved octets.
        #expect(value(1, [0xC0, 0, 0x27, 0x11, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0])
                == .vxlan(vni: 10001, mac: BGPMACAddress(0x5254_0012_3456)))
        #expect(value(1, [0x00, 0, 0x27, 0x11, 0, 0, 0, 0, 0, 0, 0, 0]) == .vxlan(vni: nil, mac: nil))
        #expect(value(1, [0, 0, 0, 42], tunnel: 2) == .greKey(42))
        #expect(value(2, [0x86, 0xDD]) == .protocolType(0x86DD))
        // §3.4.2: the value is a Color extended community (0x03, 0x0b, flags, color).
        #expect(value(4, [0x03, 0x0B, 0, 0, 0, 0, 0, 100]) == .color(100))
        #expect(value(4, [0x00, 0x02, 0, 0, 0, 0, 0, 100]) == .raw([0x00, 0x02, 0, 0, 0, 0, 0, 100]))
        // §3.1: reserved (4), AFI, address; AFI 0 has no address.
        #expect(value(6, [0, 0, 0, 0, 0, 1, 192, 0, 2, 1]) == .egressEndpoint(IPAddress("192.0.2.1")!))
        #expect(value(6, [0, 0, 0, 0, 0, 0]) == .egressEndpoint(nil))
        #expect(value(6, [0, 0, 0, 0, 0, 2, 192, 0, 2, 1]) == .raw([0, 0, 0, 0, 0, 2, 192, 0, 2, 1]))
        #expect(value(8, [0x12, 0xB5]) == .udpDestinationPort(4789))
        #expect(value(7, [0xB8]) == .dsField(0xB8))
        #expect(BGPTunnelEncapsulationType.tunnelName(8) == "VXLAN Encapsulation")
        #expect(BGPTunnelEncapsulationType.subTLVName(6) == "Tunnel Egress Endpoint")
        #expect(BGPTunnelEncapsulationTLV.tunnelTypeName(13) == BGPTunnelEncapsulationType.tunnelName(13))
    }
}
