/// Names of the IANA "BGP Tunnel Encapsulation Attribute Tunnel Types" and "… Sub-TLVs"
/// registries (RFC 9012 §14; RFC 9256 for SR Policy, RFC 8365 for VXLAN/NVGRE/VXLAN GPE). The
/// tunnel types also name the Encapsulation extended community (RFC 9012 §4.1) and the PMSI
/// tunnel attribute is a different space (RFC 6514 §5): it keeps its own table.
public enum BGPTunnelEncapsulationType {
    public static func tunnelName(_ type: UInt16) -> String {
        switch type {
        case 1: "L2TPv3 over IP"
        case 2: "GRE"
        case 3: "Transmit tunnel endpoint (deprecated)"
        case 4: "IPsec in Tunnel-mode (deprecated)"
        case 5: "IP in IP tunnel with IPsec Transport Mode (deprecated)"
        case 6: "MPLS-in-IP tunnel with IPsec Transport Mode (deprecated)"
        case 7: "IP in IP"
        case 8: "VXLAN Encapsulation"
        case 9: "NVGRE Encapsulation"
        case 10: "MPLS Encapsulation"
        case 11: "MPLS in GRE Encapsulation"
        case 12: "VXLAN GPE Encapsulation"
        case 13: "MPLS in UDP Encapsulation"
        case 14: "IPv6 Tunnel"
        case 15: "SR Policy"
        case 16: "Bare"
        case 17: "SR Tunnel (deprecated)"
        case 18: "Cloud Security"
        case 19: "Geneve Encapsulation"
        case 20: "Any-Encapsulation"
        case 21: "GTP Tunnel Type"
        default: "Unassigned tunnel type \(type)"
        }
    }

    public static func subTLVName(_ type: UInt16) -> String {
        switch type {
        case 1: "Encapsulation"
        case 2: "Protocol Type"
        case 3: "IPsec Tunnel Authenticator (deprecated)"
        case 4: "Color"
        case 5: "Load-Balancing Block"
        case 6: "Tunnel Egress Endpoint"
        case 7: "DS Field"
        case 8: "UDP Destination Port"
        case 9: "Embedded Labels Handling"
        case 10: "MPLS Label Stack"
        case 11: "Prefix-SID"
        case 12: "Preference"
        case 13: "Binding SID"
        case 14: "ENLP"
        case 15: "Priority"
        case 128: "Segment List"
        case 129: "Policy Candidate Path Name"
        case 130: "Policy Name"
        default: "Unassigned sub-TLV \(type)"
        }
    }
}
