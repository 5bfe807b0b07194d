/// The value of one tunnel encapsulation sub-TLV (attribute 23, RFC 9012 §3) read by its type,
/// for the common ones; the rest, and a known type with a length its RFC does not allow, stay
/// `.raw` (never an error: the attribute's TLV framing was already checked).
///
///     1 Encapsulation (§3.2), by tunnel type:
///         VXLAN (8), NVGRE (9) (§3.2.1, §3.2.3): flags V M (1) | VN-ID (3) | MAC (6) | reserved (2)
///         GRE (2), MPLS in GRE (11) (§3.2.6): key (4)
///     2 Protocol Type (§3.4.1): an Ethertype (2)
///     4 Color (§3.4.2): a Color extended community (8): type 0x03, subtype 0x0b, flags (2), color (4)
///     6 Tunnel Egress Endpoint (§3.1): reserved (4) | AFI (2) | address (0, 4 or 16 octets by AFI)
///     7 DS Field (§3.3.1): one octet
///     8 UDP Destination Port (§3.3.2): two octets
public enum BGPTunnelSubTLVValue: Hashable, Sendable {
    case vxlan(vni: UInt32?, mac: BGPMACAddress?)
    case greKey(UInt32)
    case protocolType(UInt16)
    case color(UInt32)
    /// nil address: AFI 0, "no endpoint" (RFC 9012 §3.1).
    case egressEndpoint(IPAddress?)
    case dsField(UInt8)
    case udpDestinationPort(UInt16)
    case raw([UInt8])

    public init(type: UInt16, value: [UInt8], tunnelType: UInt16) {
        func number(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }
        switch (type, value.count) {
        case (1, 12) where tunnelType == 8 || tunnelType == 9:
            let flags = value[0]
            self = .vxlan(vni: flags & 0x80 != 0 ? UInt32(number(value[1..<4])) : nil,
                          mac: flags & 0x40 != 0 ? BGPMACAddress(number(value[4..<10])) : nil)
        case (1, 4) where tunnelType == 2 || tunnelType == 11: self = .greKey(UInt32(number(value[...])))
        case (2, 2): self = .protocolType(UInt16(number(value[...])))
        case (4, 8) where value[0] == 0x03 && value[1] == 0x0B: self = .color(UInt32(number(value[4..<8])))
        case (6, 6) where value[4] == 0 && value[5] == 0: self = .egressEndpoint(nil)
        case (6, 10) where number(value[4..<6]) == 1: self = .egressEndpoint(.v4(IPv4Address(UInt32(number(value[6..<10])))))
        case (6, 22) where number(value[4..<6]) == 2:
            self = .egressEndpoint(.v6(IPv6Address(high: number(value[6..<14]), low: number(value[14..<22]))))
        case (7, 1): self = .dsField(value[0])
        case (8, 2): self = .udpDestinationPort(UInt16(number(value[...])))
        default: self = .raw(value)
        }
    }
}

extension BGPTunnelEncapsulationTLV {
    /// The sub-TLVs read by type, each with its IANA name.
    public var subTLVValues: [(type: UInt16, name: String, value: BGPTunnelSubTLVValue)] {
        subTLVs.map { ($0.type, BGPTunnelEncapsulationType.subTLVName($0.type),
                       BGPTunnelSubTLVValue(type: $0.type, value: $0.value, tunnelType: tunnelType)) }
    }
}
