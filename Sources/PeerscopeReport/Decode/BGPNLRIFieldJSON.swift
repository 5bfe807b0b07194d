import PeerscopeWire

/// The per-NLRI fields of EVPN (RFC 7432, RFC 9136), RT-constraint (RFC 4684) and flowspec
/// (RFC 8955, RFC 8956) routes in `decode -Y bgp --json`, under tshark 4.0's field names
/// (tools/lab/TSHARK-BGP-FIELDS.md), each a list over the NLRI of the message's MP_REACH and
/// MP_UNREACH in order. The values are the RFC's, not tshark's where the two part; the
/// differential test names each such place.
enum BGPNLRIFieldJSON {
    static let keys: [(String, BGPFieldBag.Kind)] = [
        ("bgp.evpn.nlri.esi", .text), ("bgp.evpn.nlri.etag", .number), ("bgp.evpn.nlri.mac_addr", .text),
        ("bgp.evpn.nlri.iplen", .number), ("bgp.evpn.nlri.ip.addr", .text), ("bgp.evpn.nlri.ipv6.addr", .text),
        ("bgp.evpn.nlri.prefix_len", .number), ("bgp.evpn.nlri.ipv4.gtw_addr", .text), ("bgp.evpn.nlri.ipv6.gtw_addr", .text),
        ("bgp.evpn.nlri.mpls_ls1", .number), ("bgp.evpn.nlri.mpls_ls2", .number), ("bgp.evpn.nlri.vni", .number),
        ("bgp.update.path_attribute.mpls_label_value", .number),
        ("bgp.originating_as", .number), ("bgp.community_prefix", .text),
        ("bgp.flowspec_nlri.filter_type", .number), ("bgp.flowspec_nlri.dst_prefix_filter", .text),
        ("bgp.flowspec_nlri.src_prefix_filter", .text), ("bgp.flowspec_nlri.dst_ipv6_pref", .text),
        ("bgp.flowspec_nlri.src_ipv6_pref", .text), ("bgp.flowspec_nlri.ipv6_pref_offset", .number),
        ("bgp.flowspec_nlri.opflags", .number), ("bgp.flowspec_nlri.dec_val_8", .number),
        ("bgp.flowspec_nlri.dec_val_16", .number), ("bgp.flowspec_nlri.dec_val_32", .number),
        ("bgp.flowspec_nlri.dec_val_64", .number), ("bgp.flowspec_nlri.val_tcp.flags", .number),
        ("bgp.flowspec_nlri.val_frag", .number), ("bgp.flowspec_nlri.val_dsfield", .number),
        ("bgp.flowspec_route_distinguisher_type", .number),
    ]

    static func add(_ update: BGPUpdate?, to json: inout JSONLine) {
        var bag = BGPFieldBag(keys)
        let attributes = update?.attributes ?? []
        let vni = carriesVNI(attributes)
        for attribute in attributes {
            let routes: [BGPNLRI]
            switch attribute.value {
            case .mpReach(_, _, let nlri), .mpUnreach(_, let nlri): routes = nlri
            default: continue
            }
            for route in routes {
                switch route {
                case .evpn(let evpn): add(evpn.route, vni: vni, to: &bag)
                case .routeTarget(let membership): add(membership, to: &bag)
                case .flowSpec(let rule): add(rule, to: &bag)
                case .prefix, .labeled, .vpls, .mvpn, .mdt, .linkState, .undecoded: break
                }
            }
        }
        bag.write(to: &json, present: update != nil)
    }

    /// RFC 8365 §5.1.3: under a VXLAN or NVGRE encapsulation extended community (RFC 9012 §4.1)
    /// the EVPN label fields carry the 24-bit VNI, not an MPLS label.
    static func carriesVNI(_ attributes: [BGPPathAttribute]) -> Bool {
        attributes.contains { attribute in
            guard case .extendedCommunities(let list) = attribute.value else { return false }
            return list.contains { raw in
                if case .encapsulation(let type) = BGPExtendedCommunity(raw: raw).value { type == 8 || type == 9 } else { false }
            }
        }
    }

    static func hexColons(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }

    private static func add(_ route: BGPEVPNRoute.Route, vni: Bool, to bag: inout BGPFieldBag) {
        func put(_ address: IPAddress, v4: String, v6: String) {
            bag.add(address.version == 4 ? v4 : v6, address.description)
        }
        func ip(_ address: IPAddress) { put(address, v4: "bgp.evpn.nlri.ip.addr", v6: "bgp.evpn.nlri.ipv6.addr") }
        // RFC 7432 §7: the label is the high-order 20 bits of the 3-octet field; a VNI is all 24.
        func label(_ label: BGPLabel, _ key: String) {
            if vni { bag.add("bgp.evpn.nlri.vni", label.rawValue) } else { bag.add(key, label.label) }
        }
        switch route {
        case .ethernetAD(_, let esi, let tag, let value):
            bag.add("bgp.evpn.nlri.esi", hexColons(esi.bytes)); bag.add("bgp.evpn.nlri.etag", tag)
            label(value, "bgp.evpn.nlri.mpls_ls1")
        case .macIP(_, let esi, let tag, let mac, let address, let label1, let label2):
            bag.add("bgp.evpn.nlri.esi", hexColons(esi.bytes)); bag.add("bgp.evpn.nlri.etag", tag)
            bag.add("bgp.evpn.nlri.mac_addr", BGPEVPNRoute.mac(mac))
            bag.add("bgp.evpn.nlri.iplen", (address?.bytes.count ?? 0) * 8)
            if let address { ip(address) }
            label(label1, "bgp.evpn.nlri.mpls_ls1")
            if let label2 { label(label2, "bgp.evpn.nlri.mpls_ls2") }
        case .inclusiveMulticast(_, let tag, let originator):
            bag.add("bgp.evpn.nlri.etag", tag); bag.add("bgp.evpn.nlri.iplen", originator.bytes.count * 8); ip(originator)
        case .ethernetSegment(_, let esi, let originator):
            bag.add("bgp.evpn.nlri.esi", hexColons(esi.bytes)); bag.add("bgp.evpn.nlri.iplen", originator.bytes.count * 8)
            ip(originator)
        case .ipPrefix(_, let esi, let tag, let prefix, let length, let gateway, let value):
            bag.add("bgp.evpn.nlri.esi", hexColons(esi.bytes)); bag.add("bgp.evpn.nlri.etag", tag)
            bag.add("bgp.evpn.nlri.prefix_len", length); ip(prefix)
            put(gateway, v4: "bgp.evpn.nlri.ipv4.gtw_addr", v6: "bgp.evpn.nlri.ipv6.gtw_addr")
            label(value, "bgp.update.path_attribute.mpls_label_value")
        case .unknown: break
        }
    }

    private static func add(_ membership: BGPRouteTargetMembership, to bag: inout BGPFieldBag) {
        guard let originAS = membership.originAS else { return }
        bag.add("bgp.originating_as", originAS)
        bag.add("bgp.community_prefix", communityPrefix(membership))
    }

    /// RFC 4684 §4: the route target as its extended community reads (RFC 4360 §3.1, §3.2, RFC
    /// 5668 §2: "ASN:number", "IPv4:number"), or the significant prefix bits when partial.
    static func communityPrefix(_ membership: BGPRouteTargetMembership) -> String {
        let bits = Int(membership.length) - 32
        guard bits == 64 else {
            return "0x" + String(membership.routeTarget >> UInt64(64 - bits), radix: 16) + "/\(bits)"
        }
        switch BGPExtendedCommunity(raw: membership.routeTarget).value {
        case .routeTarget(let administrator): return administrator.description
        default: return "0x" + String(membership.routeTarget, radix: 16)
        }
    }

    private static func add(_ rule: BGPFlowSpecRule, to bag: inout BGPFieldBag) {
        if let rd = rule.routeDistinguisher { bag.add("bgp.flowspec_route_distinguisher_type", rd.type) }
        for component in rule.components {
            bag.add("bgp.flowspec_nlri.filter_type", component.type)
            switch component {
            case .prefix(let type, let address, _, let offset):
                let source = type == 2
                if address.version == 4 {
                    bag.add(source ? "bgp.flowspec_nlri.src_prefix_filter" : "bgp.flowspec_nlri.dst_prefix_filter", address.description)
                } else {
                    bag.add(source ? "bgp.flowspec_nlri.src_ipv6_pref" : "bgp.flowspec_nlri.dst_ipv6_pref", address.description)
                    bag.add("bgp.flowspec_nlri.ipv6_pref_offset", offset ?? 0)
                }
            case .operators(let type, let list):
                for op in list {
                    bag.add("bgp.flowspec_nlri.opflags", op.flags)
                    bag.add(valueKey(type: type, width: op.valueLength), op.value)
                }
            case .unknown: break
            }
        }
    }

    /// tshark's value field: TCP flags, fragment and DSCP by their own names, other components by width.
    static func valueKey(type: UInt8, width: Int) -> String {
        switch type {
        case 9: "bgp.flowspec_nlri.val_tcp.flags"
        case 12: "bgp.flowspec_nlri.val_frag"
        case 11: "bgp.flowspec_nlri.val_dsfield"
        default: "bgp.flowspec_nlri.dec_val_\(width * 8)"
        }
    }
}
