import PeerscopeWire

/// `-V` lines of the TLV-list attributes whose values PeerscopeWire reads by type: the BGP-LS
/// attribute (29, RFC 9552 §5.3) and the tunnel encapsulation attribute (23, RFC 9012). Names come
/// from the registry tables (`BGPLinkStateTLVType`, `BGPTunnelEncapsulationType`); a TLV not read
/// by type is its name and hex.
enum BGPAttributeTLVText {
    static func linkState(_ tlvs: [BGPAttributeTLV]) -> [String] {
        tlvs.map { tlv in
            let head = "\(BGPLinkStateTLVType.name(tlv.type)) (\(tlv.type)): "
            switch tlv.linkStateValue {
            case .nodeName(let name): return head + name
            case .routerID(let address): return head + address.description
            case .adminGroup(let mask): return head + "0x" + BGPAttributeText.hex(UInt64(mask), 8)
            case .bandwidth(let rate): return head + bandwidth(rate)
            case .unreservedBandwidth(let rates):
                return head + rates.enumerated().map { "priority \($0.offset) \(bandwidth($0.element))" }.joined(separator: ", ")
            case .metric(let metric): return head + "\(metric)"
            case .srlg(let values): return head + values.map(String.init).joined(separator: " ")
            case .srCapabilities(let flags, let ranges):
                return head + "flags 0x\(BGPAttributeText.hex(UInt64(flags), 2))" + ranges.map { range in
                    ", range \(range.size) from " + (range.label.map { "label \($0)" } ?? range.index.map { "index \($0)" } ?? "?")
                }.joined()
            case .raw(let bytes): return head + BGPAttributeText.bytes(bytes)
            }
        }
    }

    /// "1250000000 bytes/s (10000 Mbps)": RFC 9552 carries bytes per second.
    static func bandwidth(_ rate: Float) -> String {
        "\(BGPExtendedCommunityJSON.floatText(rate)) bytes/s (\(BGPAttributeText.megabits(rate)) Mbps)"
    }

    static func tunnels(_ tunnels: [BGPTunnelEncapsulationTLV]) -> [String] {
        tunnels.flatMap { tunnel in
            ["Tunnel Type: \(BGPTunnelEncapsulationType.tunnelName(tunnel.tunnelType)) (\(tunnel.tunnelType))"]
                + tunnel.subTLVValues.map { subTLV in
                    "    \(subTLV.name) (\(subTLV.type)): " + value(subTLV.value)
                }
        }
    }

    static func value(_ value: BGPTunnelSubTLVValue) -> String {
        switch value {
        case .vxlan(let vni, let mac):
            return ["VN-ID " + (vni.map(String.init) ?? "not valid"), "MAC " + (mac.map(\.description) ?? "not valid")]
                .joined(separator: ", ")
        case .greKey(let key): return "key \(key)"
        case .protocolType(let type): return "0x" + BGPAttributeText.hex(UInt64(type), 4)
        case .color(let color): return "\(color)"
        case .egressEndpoint(let address): return address?.description ?? "none (AFI 0)"
        case .dsField(let value): return "0x" + BGPAttributeText.hex(UInt64(value), 2)
        case .udpDestinationPort(let port): return "\(port)"
        case .raw(let bytes): return BGPAttributeText.bytes(bytes)
        }
    }
}
