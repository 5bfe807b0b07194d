/// The AFI and SAFI code spaces (IANA "Address Family Numbers" and "Subsequent Address Family
/// Identifiers (SAFI) Parameters"): the one table the decoder, the renderers, the rules and the
/// speaker use. Names are tshark's (`bgp.mp_reach_nlri.afi` / `.safi` value strings); `shortName`
/// is the route-family spelling GoBGP and FRR users type (`l2vpn-evpn`, `ipv4-flowspec`).
extension BGPAddressFamily {
    public static let ipv4Multicast = BGPAddressFamily(afi: 1, safi: 2)
    public static let ipv6Multicast = BGPAddressFamily(afi: 2, safi: 2)
    public static let ipv4LabeledUnicast = BGPAddressFamily(afi: 1, safi: 4)
    public static let ipv6LabeledUnicast = BGPAddressFamily(afi: 2, safi: 4)
    public static let ipv4VPN = BGPAddressFamily(afi: 1, safi: 128)
    public static let ipv6VPN = BGPAddressFamily(afi: 2, safi: 128)
    public static let l2vpnEVPN = BGPAddressFamily(afi: 25, safi: 70)
    public static let l2vpnVPLS = BGPAddressFamily(afi: 25, safi: 65)
    public static let routeTargetConstraint = BGPAddressFamily(afi: 1, safi: 132)
    public static let ipv4FlowSpec = BGPAddressFamily(afi: 1, safi: 133)
    public static let ipv6FlowSpec = BGPAddressFamily(afi: 2, safi: 133)
    public static let linkState = BGPAddressFamily(afi: 16388, safi: 71)

    /// The AFI's registry name.
    public var afiName: String {
        switch afi {
        case 1: "IPv4"
        case 2: "IPv6"
        case 3: "NSAP"
        case 25: "Layer-2 VPN"
        case 26: "MPLS-TP Section Endpoint Identifier"
        case 27: "MPLS-TP LSP Endpoint Identifier"
        case 28: "MPLS-TP Pseudowire Endpoint Identifier"
        case 29: "MT IP: Multi-Topology IP version 4"
        case 30: "MT IPv6: Multi-Topology IP version 6"
        case 196: "Layer-2 VPN (old)"
        case 16388: "BGP-LS"
        case 16389: "48-bit MAC Address"
        default: "AFI \(afi)"
        }
    }

    /// The SAFI's registry name.
    public var safiName: String {
        switch safi {
        case 1: "Unicast"
        case 2: "Multicast"
        case 4: "Labeled Unicast"
        case 5: "MCAST-VPN"
        case 6: "Multi-Segment Pseudowires"
        case 8: "MCAST-VPLS"
        case 65: "VPLS"
        case 66: "Cisco MDT"
        case 67: "4over6"
        case 68: "6over4"
        case 69: "Layer-1 VPN"
        case 70: "EVPN"
        case 71: "BGP-LS"
        case 72: "BGP-LS-VPN"
        case 73: "SR Policy"
        case 74: "SD-WAN"
        case 75: "Routing Policy Distribution"
        case 76: "Classful Transport Planes"
        case 77: "Tunneled Traffic Flowspec"
        case 78: "MCAST-TREE"
        case 85: "BGP-MUP"
        case 128: "Labeled VPN Unicast"
        case 129: "Labeled VPN Multicast"
        case 132: "Route Target Filter"
        case 133: "Flow Spec Filter"
        case 134: "Flow Spec Filter VPN"
        case 140: "Layer-3 VPN (Deprecated)"
        default: "SAFI \(safi)"
        }
    }

    /// "IPv4 Labeled VPN Unicast", "Layer-2 VPN EVPN": the two registry names together.
    public var name: String { "\(afiName) \(safiName)" }

    /// How peerscope reads this family's NLRI; `.undecoded` families are kept raw (never an error).
    public enum Encoding: Hashable, Sendable {
        case prefix, labeled, vpn, evpn, vpls, mvpn, mdt, routeTarget, flowSpec, flowSpecVPN, linkState, linkStateVPN
        case undecoded
    }

    public var encoding: Encoding {
        switch (afi, safi) {
        case (1, 1), (1, 2), (2, 1), (2, 2): .prefix
        case (1, 4), (2, 4): .labeled
        case (1, 128), (2, 128), (1, 129), (2, 129): .vpn
        case (25, 70): .evpn
        case (25, 65): .vpls
        case (1, 5), (2, 5): .mvpn
        case (1, 66), (2, 66): .mdt
        case (1, 132): .routeTarget
        case (1, 133), (2, 133): .flowSpec
        case (1, 134), (2, 134): .flowSpecVPN
        case (16388, 71): .linkState
        case (16388, 72): .linkStateVPN
        default: .undecoded
        }
    }

    /// Short spelling for tables and logs; unicast and multicast keep the historic `ipv4-unicast`.
    var shortName: String {
        let family = afi == 1 ? "ipv4" : afi == 2 ? "ipv6" : "afi\(afi)"
        switch (afi, safi) {
        case (_, 1): return "\(family)-unicast"
        case (_, 2): return "\(family)-multicast"
        case (_, 4): return "\(family)-labeled-unicast"
        case (_, 5): return "\(family)-mvpn"
        case (25, 65): return "l2vpn-vpls"
        case (25, 70): return "l2vpn-evpn"
        case (_, 66): return "\(family)-mdt"
        case (16388, 71): return "ls"
        case (16388, 72): return "ls-vpn"
        case (_, 128): return "\(family)-vpn"
        case (_, 129): return "\(family)-vpn-multicast"
        case (1, 132): return "rtc"
        case (_, 133): return "\(family)-flowspec"
        case (_, 134): return "\(family)-flowspec-vpn"
        default: return "\(family)-safi\(safi)"
        }
    }
}
