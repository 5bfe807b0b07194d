/// Extended community type and subtype names (IANA "BGP Extended Communities"; RFC 4360 §3,
/// RFC 7153). The high-order type octet's bit 0x40 marks a non-transitive community (RFC 4360 §2).
public enum BGPExtendedCommunityType {
    public static func typeName(_ type: UInt8) -> String {
        switch type {
        case 0x00: "Transitive 2-Octet AS-Specific"
        case 0x01: "Transitive IPv4-Address-Specific"
        case 0x02: "Transitive 4-Octet AS-Specific"
        case 0x03: "Transitive Opaque"
        case 0x06: "EVPN"
        case 0x08: "Flow spec redirect/mirror to IP next-hop"
        case 0x40: "Non-Transitive 2-Octet AS-Specific"
        case 0x41: "Non-Transitive IPv4-Address-Specific"
        case 0x42: "Non-Transitive 4-Octet AS-Specific"
        case 0x43: "Non-Transitive Opaque"
        case 0x80: "Generic Transitive Experimental Use"
        case 0x81: "Generic Transitive Experimental Use Part 2"
        case 0x82: "Generic Transitive Experimental Use Part 3"
        default: "type 0x" + String(type, radix: 16)
        }
    }

    public static func subtypeName(type: UInt8, subtype: UInt8) -> String {
        switch (type, subtype) {
        case (0x00, 0x02), (0x01, 0x02), (0x02, 0x02): "Route Target"
        case (0x00, 0x03), (0x01, 0x03), (0x02, 0x03): "Route Origin"
        case (0x00, 0x05), (0x01, 0x05), (0x02, 0x05): "OSPF Domain Identifier"
        case (0x00, 0x08), (0x02, 0x08): "BGP Data Collection"
        case (0x00, 0x09), (0x02, 0x09): "Source AS"
        case (0x00, 0x0A), (0x01, 0x0A): "L2VPN Identifier"
        case (0x01, 0x07): "OSPF Router ID"
        case (0x01, 0x0B): "VRF Route Import"
        case (0x40, 0x04): "Link Bandwidth"
        case (0x03, 0x06): "OSPF Route Type"
        case (0x03, 0x0B): "Color"
        case (0x03, 0x0C): "Encapsulation"
        case (0x03, 0x0D): "Default Gateway"
        case (0x06, 0x00): "MAC Mobility"
        case (0x06, 0x01): "ESI Label"
        case (0x06, 0x02): "ES-Import Route Target"
        case (0x06, 0x03): "EVPN Router's MAC"
        case (0x06, 0x04): "Layer 2 Attributes"
        case (0x06, 0x05): "E-Tree"
        case (0x06, 0x06): "DF Election"
        case (0x80, 0x06): "Flow spec traffic-rate"
        case (0x80, 0x07): "Flow spec traffic-action"
        case (0x80, 0x08), (0x81, 0x08), (0x82, 0x08): "Flow spec redirect"
        case (0x80, 0x09): "Flow spec traffic-marking"
        case (0x80, 0x0C): "Flow spec traffic-rate-packets"
        default: "subtype 0x" + String(subtype, radix: 16)
        }
    }
}
