import PeerscopeWire

/// The value fields of extended communities (attribute 16, RFC 4360) in `decode -Y bgp --json`,
/// under tshark 4.0's names: the global and local administrator of the AS/IPv4-specific forms
/// (`bgp.ext_com.value_as2` + `value_an4` …), the flowspec actions of RFC 8955 §7, the EVPN ones of
/// RFC 7432 §7.5–§7.7 and RFC 9135 §8.1, the encapsulation's tunnel type (RFC 9012 §4.1), and the
/// six value octets of the rest (`bgp.ext_com.value_raw`). Each key is a list over the message's
/// communities in order.
enum BGPExtendedCommunityJSON {
    static let keys: [(String, BGPFieldBag.Kind)] = [
        ("bgp.ext_com.value_as2", .number), ("bgp.ext_com.value_as4", .number), ("bgp.ext_com.value_IP4", .text),
        ("bgp.ext_com.value_an2", .number), ("bgp.ext_com.value_an4", .number), ("bgp.ext_com.value_link_bw", .text),
        ("bgp.ext_com.tunnel_type", .number), ("bgp.ext_com_flow.rate_limit", .text), ("bgp.ext_com_flow.sample", .number),
        ("bgp.ext_com_flow.traff_act", .number), ("bgp.ext_com.value_fs_dscp", .number),
        ("bgp.ext_com.value_ospf_rid", .text), ("bgp.ext_com.value_ospf_rtype.area", .text),
        ("bgp.ext_com.value_ospf_rtype.type", .number), ("bgp.ext_com.value_ospf_rtype.options", .number),
        ("bgp.ext_com_evpn.mmac.flags.sticky", .number), ("bgp.ext_com_evpn.mmac.seq", .number),
        // tshark 4.0 has no field for the ESI label community (RFC 7432 §7.5) nor the color (RFC 9012 §4.3).
        ("peerscope.bgp.ext_com_evpn.esi_label.single_active", .number), ("peerscope.bgp.ext_com_evpn.esi_label.label", .number),
        ("peerscope.bgp.ext_com.color", .number),
        ("bgp.ext_com_evpn.esi.rt", .text), ("bgp.ext_com_evpn.esi.router_mac", .text), ("bgp.ext_com.value_raw", .number),
    ]

    static func add(_ communities: [BGPExtendedCommunity]?, to json: inout JSONLine) {
        var bag = BGPFieldBag(keys)
        for community in communities ?? [] { add(community, to: &bag) }
        bag.write(to: &json, present: communities != nil)
    }

    private static func add(_ community: BGPExtendedCommunity, to bag: inout BGPFieldBag) {
        func administrator(_ administrator: BGPExtendedCommunity.Administrator) {
            switch administrator {
            case .as2(let asn, let local): bag.add("bgp.ext_com.value_as2", asn); bag.add("bgp.ext_com.value_an4", local)
            case .ipv4(let address, let local): bag.add("bgp.ext_com.value_IP4", address.description); bag.add("bgp.ext_com.value_an2", local)
            case .as4(let asn, let local): bag.add("bgp.ext_com.value_as4", asn); bag.add("bgp.ext_com.value_an2", local)
            }
        }
        switch community.value {
        case .routeTarget(let value), .routeOrigin(let value), .ospfDomainID(let value), .redirect(let value):
            administrator(value)
        case .linkBandwidth(let asn, let rate):
            bag.add("bgp.ext_com.value_as2", asn); bag.add("bgp.ext_com.value_link_bw", floatText(rate))
        case .trafficRate(let asn, let rate):
            bag.add("bgp.ext_com.value_as2", asn); bag.add("bgp.ext_com_flow.rate_limit", floatText(rate))
        case .encapsulation(let tunnelType): bag.add("bgp.ext_com.tunnel_type", tunnelType)
        case .trafficAction(let sample, let terminal):
            bag.add("bgp.ext_com_flow.sample", sample ? 1 : 0); bag.add("bgp.ext_com_flow.traff_act", terminal ? 1 : 0)
        case .trafficMarking(let dscp): bag.add("bgp.ext_com.value_fs_dscp", dscp)
        case .macMobility(let sticky, let sequence):
            bag.add("bgp.ext_com_evpn.mmac.flags.sticky", sticky ? 1 : 0); bag.add("bgp.ext_com_evpn.mmac.seq", sequence)
        case .esiLabel(let singleActive, let label):
            bag.add("peerscope.bgp.ext_com_evpn.esi_label.single_active", singleActive ? 1 : 0)
            bag.add("peerscope.bgp.ext_com_evpn.esi_label.label", BGPLabel(rawValue: label).label)
        case .esImport(let mac): bag.add("bgp.ext_com_evpn.esi.rt", mac.description)
        case .routerMAC(let mac): bag.add("bgp.ext_com_evpn.esi.router_mac", mac.description)
        case .ospfRouterID(let address): bag.add("bgp.ext_com.value_ospf_rid", address.description)
        case .ospfRouteType(let area, let routeType, let options):
            bag.add("bgp.ext_com.value_ospf_rtype.area", area.description)
            bag.add("bgp.ext_com.value_ospf_rtype.type", routeType); bag.add("bgp.ext_com.value_ospf_rtype.options", options)
        case .color(_, let color):
            // tshark 4.0 gives the six value octets (flags, color) as value_raw.
            bag.add("peerscope.bgp.ext_com.color", color); bag.add("bgp.ext_com.value_raw", community.raw & 0xFFFF_FFFF_FFFF)
        case .unknown(_, _, let value): bag.add("bgp.ext_com.value_raw", value)
        }
    }

    /// An IEEE float as the shortest decimal that reads back to it, integral values without ".0"
    /// ("1000", "1.25e+08" stays as Swift writes it when not integral).
    static func floatText(_ value: Float) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
