import PeerscopeWire

/// The MP_REACH/MP_UNREACH keys of `decode -Y bgp --json`: tshark's field names where tshark has
/// one (`bgp.update.path_attribute.mp_reach_nlri.afi`, `bgp.rd`, `bgp.evpn.nlri.rt` …), ours under
/// `peerscope.` otherwise. Present on every line, null when the UPDATE has no such attribute.
extension BGPJSONRenderer {
    func addMultiprotocol(_ update: BGPUpdate?, to json: inout JSONLine) {
        var reach: (family: BGPAddressFamily, nextHop: BGPNextHop, nlri: [BGPNLRI])?
        var unreach: (family: BGPAddressFamily, nlri: [BGPNLRI])?
        for attribute in update?.attributes ?? [] {
            switch attribute.value {
            case .mpReach(let family, let nextHop, let nlri) where reach == nil: reach = (family, nextHop, nlri)
            case .mpUnreach(let family, let nlri) where unreach == nil: unreach = (family, nlri)
            default: break
            }
        }
        json.add("bgp.update.path_attribute.mp_reach_nlri.afi", reach?.family.afi)
        json.add("bgp.update.path_attribute.mp_reach_nlri.safi", reach?.family.safi)
        json.add("peerscope.mp_reach_nlri.family", reach?.family.name)
        json.add("bgp.update.path_attribute.mp_reach_nlri.next_hop.rd", reach?.nextHop.routeDistinguisher?.description)
        json.add("peerscope.mp_reach_nlri.next_hop", reach.map { $0.nextHop.addresses.map(\.description) })
        json.add("peerscope.mp_reach_nlri.routes", reach.map { $0.nlri.map(\.description) })
        json.add("bgp.update.path_attribute.mp_unreach_nlri.afi", unreach?.family.afi)
        json.add("bgp.update.path_attribute.mp_unreach_nlri.safi", unreach?.family.safi)
        json.add("peerscope.mp_unreach_nlri.family", unreach?.family.name)
        json.add("peerscope.mp_unreach_nlri.routes", unreach.map { $0.nlri.map(\.description) })
        let all = (reach?.nlri ?? []) + (unreach?.nlri ?? [])
        let labeled = all.compactMap { if case .labeled(let route) = $0 { route } else { nil } }
        let evpn = all.compactMap { if case .evpn(let route) = $0 { route } else { nil } }
        json.add("bgp.rd", labeled.isEmpty ? nil : labeled.compactMap { $0.routeDistinguisher?.description })
        json.add("bgp.update.path_attribute.mpls_label_value_20bits",
                 labeled.isEmpty ? nil : labeled.flatMap { $0.labels.map(\.label) })
        json.add("bgp.evpn.nlri.rt", evpn.isEmpty ? nil : evpn.map(\.routeType))
        BGPNLRIFieldJSON.add(update, to: &json)
    }
}
