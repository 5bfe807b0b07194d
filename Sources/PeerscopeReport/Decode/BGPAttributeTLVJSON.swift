import PeerscopeWire

/// The values of BGP-LS attribute TLVs (29, RFC 9552 §5.3) and tunnel encapsulation sub-TLVs (23,
/// RFC 9012 §3) in `decode -Y bgp --json`, under tshark 4.0's field names, each a list over the
/// message's TLVs in order. Where tshark has no field (UDP port, egress endpoint, DS field, the
/// protocol type it files as a GRE key, the color it misreads) the key is ours.
enum BGPAttributeTLVJSON {
    static let keys: [(String, BGPFieldBag.Kind)] = [
        ("bgp.ls.tlv.node_name_value", .text), ("bgp.ls.tlv.ipv4_router_id_value", .text),
        ("peerscope.bgp.ls.ipv6_router_id", .text), ("bgp.ls.tlv.administrative_group_color_value", .number),
        ("bgp.ls.bandwidth_value", .text), ("bgp.ls.tlv.te_default_metric_value", .number),
        ("bgp.ls.tlv.metric_value", .number), ("bgp.ls.tlv.prefix_metric_value", .number),
        ("bgp.ls.tlv.shared_risk_link_group_value", .number), ("bgp.ls.sr.tlv.capabilities.flags", .number),
        ("bgp.ls.sr.tlv.capabilities.range_size", .number), ("bgp.ls.sr.tlv.capabilities.sid.label", .number),
        ("peerscope.bgp.ls.sr.sid_index", .number),
        ("bgp.update.encaps_tunnel_subtlv_type", .number), ("bgp.update.encaps_tunnel_tlv_subtlv.vxlan.vnid", .number),
        ("bgp.update.encaps_tunnel_tlv_subtlv.vxlan.mac", .text), ("bgp.update.encaps_tunnel_tlv_subtlv_gre_key", .number),
        ("peerscope.bgp.tunnel.protocol_type", .number), ("peerscope.bgp.tunnel.color", .number),
        ("peerscope.bgp.tunnel.egress_endpoint", .text), ("peerscope.bgp.tunnel.ds_field", .number),
        ("peerscope.bgp.tunnel.udp_port", .number),
    ]

    static func add(_ attributes: [BGPPathAttribute], present: Bool, to json: inout JSONLine) {
        var bag = BGPFieldBag(keys)
        for attribute in attributes {
            switch attribute.value {
            case .linkState(let tlvs): for tlv in tlvs { add(tlv.linkStateValue, type: tlv.type, to: &bag) }
            case .tunnelEncapsulation(let tunnels):
                for tunnel in tunnels {
                    for subTLV in tunnel.subTLVValues {
                        bag.add("bgp.update.encaps_tunnel_subtlv_type", subTLV.type)
                        add(subTLV.value, to: &bag)
                    }
                }
            default: continue
            }
        }
        bag.write(to: &json, present: present)
    }

    private static func add(_ value: BGPLinkStateAttributeValue, type: UInt16, to bag: inout BGPFieldBag) {
        switch value {
        case .nodeName(let name): bag.add("bgp.ls.tlv.node_name_value", name)
        case .routerID(let address):
            bag.add(address.version == 4 ? "bgp.ls.tlv.ipv4_router_id_value" : "peerscope.bgp.ls.ipv6_router_id", address.description)
        case .adminGroup(let mask): bag.add("bgp.ls.tlv.administrative_group_color_value", mask)
        // tshark's value is megabits per second; RFC 9552 carries bytes per second.
        case .bandwidth(let rate): bag.add("bgp.ls.bandwidth_value", BGPExtendedCommunityJSON.floatText(rate * 8 / 1_000_000))
        case .unreservedBandwidth(let rates):
            for rate in rates { bag.add("bgp.ls.bandwidth_value", BGPExtendedCommunityJSON.floatText(rate * 8 / 1_000_000)) }
        case .metric(let metric):
            let key = switch type {
            case 1092: "bgp.ls.tlv.te_default_metric_value"
            case 1155: "bgp.ls.tlv.prefix_metric_value"
            default: "bgp.ls.tlv.metric_value"
            }
            bag.add(key, metric)
        case .srlg(let values): for value in values { bag.add("bgp.ls.tlv.shared_risk_link_group_value", value) }
        case .srCapabilities(let flags, let ranges):
            bag.add("bgp.ls.sr.tlv.capabilities.flags", flags)
            for range in ranges {
                bag.add("bgp.ls.sr.tlv.capabilities.range_size", range.size)
                if let label = range.label { bag.add("bgp.ls.sr.tlv.capabilities.sid.label", label) }
                if let index = range.index { bag.add("peerscope.bgp.ls.sr.sid_index", index) }
            }
        case .raw: break
        }
    }

    private static func add(_ value: BGPTunnelSubTLVValue, to bag: inout BGPFieldBag) {
        switch value {
        case .vxlan(let vni, let mac):
            if let vni { bag.add("bgp.update.encaps_tunnel_tlv_subtlv.vxlan.vnid", vni) }
            if let mac { bag.add("bgp.update.encaps_tunnel_tlv_subtlv.vxlan.mac", mac.description) }
        case .greKey(let key): bag.add("bgp.update.encaps_tunnel_tlv_subtlv_gre_key", key)
        case .protocolType(let type): bag.add("peerscope.bgp.tunnel.protocol_type", type)
        case .color(let color): bag.add("peerscope.bgp.tunnel.color", color)
        case .egressEndpoint(let address): bag.add("peerscope.bgp.tunnel.egress_endpoint", address?.description ?? "")
        case .dsField(let value): bag.add("peerscope.bgp.tunnel.ds_field", value)
        case .udpDestinationPort(let port): bag.add("peerscope.bgp.tunnel.udp_port", port)
        case .raw: break
        }
    }
}
