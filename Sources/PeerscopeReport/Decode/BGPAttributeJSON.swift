import PeerscopeWire

/// The path attribute keys of `decode -Y bgp --json`: tshark's field names where tshark 4.0 has
/// one (`bgp.ext_com.type`, `bgp.update.attribute.aigp.accu_igp_metric` …), ours under
/// `peerscope.bgp.` where it has none (tshark splits subtypes over one field per type; it does not
/// decode OTC or attribute 25).
/// Every key is on every line: lists are empty in an UPDATE without the attribute, null elsewhere.
enum BGPAttributeJSON {
    static func add(_ attributes: [BGPPathAttribute], present: Bool, to json: inout JSONLine) {
        func values<T>(_ pick: (BGPPathAttribute.Value) -> [T]?) -> [T]? {
            present ? attributes.flatMap { pick($0.value) ?? [] } : nil
        }
        func first<T>(_ pick: (BGPPathAttribute) -> T?) -> T? { attributes.lazy.compactMap(pick).first }
        let extended = values { value -> [BGPExtendedCommunity]? in
            if case .extendedCommunities(let list) = value { list.map(BGPExtendedCommunity.init(raw:)) } else { nil }
        }
        let communities = values { value -> [UInt32]? in if case .communities(let list) = value { list } else { nil } }
        json.add("bgp.update.path_attribute.flags", present ? attributes.map(\.flags) : nil)
        json.add("bgp.update.path_attribute.community_wellknown",
                 communities?.filter { BGPWellKnownCommunity.name($0) != nil })
        json.add("peerscope.bgp.communities", communities?.map(BGPWellKnownCommunity.text))
        json.add("bgp.ext_com.type", extended?.map(\.type))
        json.add("peerscope.bgp.ext_com.subtype", extended?.map(\.subtype))
        json.add("peerscope.bgp.ext_com", extended?.map(BGPAttributeText.extendedCommunity))
        BGPExtendedCommunityJSON.add(extended, to: &json)
        json.add("peerscope.bgp.ipv6_ext_com", values { value -> [String]? in
            if case .ipv6ExtendedCommunities(let list) = value { list.map(\.description) } else { nil }
        })
        json.add("bgp.update.path_attribute.pmsi.tunnel.type", first { attribute -> UInt8? in
            if case .pmsiTunnel(let tunnel) = attribute.value { tunnel.tunnelType } else { nil }
        })
        json.add("bgp.update.encaps_tunnel_tlv_type", values { value -> [UInt16]? in
            if case .tunnelEncapsulation(let tunnels) = value { tunnels.map(\.tunnelType) } else { nil }
        })
        json.add("bgp.update.attribute.aigp.accu_igp_metric", first(\.accumulatedIGPMetric))
        json.add("peerscope.bgp.otc", first { attribute -> UInt32? in
            if case .onlyToCustomer(let asn) = attribute.value { asn } else { nil }
        })
        json.add("bgp.prefix_sid.type", values { value -> [UInt16]? in
            if case .prefixSID(let tlvs) = value { tlvs.map(\.type) } else { nil }
        })
        json.add("peerscope.bgp.ls_attribute.type", values { value -> [UInt16]? in
            if case .linkState(let tlvs) = value { tlvs.map(\.type) } else { nil }
        })
        BGPAttributeTLVJSON.add(attributes, present: present, to: &json)
        json.add("bgp.update.path_attribute.attr_set.origin_as", first { attribute -> UInt32? in
            if case .attributeSet(let originAS, _) = attribute.value { originAS } else { nil }
        })
    }
}
