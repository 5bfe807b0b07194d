/// One tunnel of the TUNNEL_ENCAPSULATION attribute (type 23, RFC 9012 §2):
///
///     | tunnel type (16) | length (16) | sub-TLVs (length octets) |
///
/// Each sub-TLV has a 1-octet type and a 1-octet length (types 0–127) or a 2-octet length (types
/// 128–255). Tunnel types (IANA "BGP Tunnel Encapsulation Attribute Tunnel Types"): 1 L2TPv3,
/// 2 GRE, 7 IP in IP, 8 VXLAN, 9 NVGRE, 10 MPLS, 11 MPLS in GRE, 12 VXLAN GPE, 13 MPLS in UDP,
/// 15 SR Policy, 19 Geneve.
public struct BGPTunnelEncapsulationTLV: Hashable, Sendable {
    public var tunnelType: UInt16
    public var subTLVs: [BGPAttributeTLV]

    public init(tunnelType: UInt16, subTLVs: [BGPAttributeTLV]) {
        self.tunnelType = tunnelType
        self.subTLVs = subTLVs
    }

    public var tunnelTypeName: String { Self.tunnelTypeName(tunnelType) }

    /// The IANA name (`BGPTunnelEncapsulationType`).
    public static func tunnelTypeName(_ type: UInt16) -> String { BGPTunnelEncapsulationType.tunnelName(type) }

    /// RFC 9012 §13: a tunnel or sub-TLV whose length overruns is a malformed attribute.
    static func decodeList(_ value: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> [Self] {
        var cursor = ByteCursor(value)
        var list: [Self] = []
        while cursor.remaining > 0 {
            let start = cursor.offset
            guard let type = cursor.readUInt16(), let length = cursor.readUInt16(),
                  let body = cursor.readSlice(Int(length))
            else { throw WireError(.bgp, .badAttributeLength(type: 23, length: value.count), at: offset + start) }
            let subTLVs = try BGPAttributeTLV.decodeList(body, layout: .tunnelSubTLV, attributeType: 23,
                                                         offset: offset + start + 4)
            list.append(Self(tunnelType: type, subTLVs: subTLVs))
        }
        return list
    }

    func encode(into bytes: inout [UInt8]) {
        var body: [UInt8] = []
        for subTLV in subTLVs { subTLV.encode(into: &body, layout: .tunnelSubTLV) }
        bytes.appendUInt16(tunnelType)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: body.count))
        bytes += body
    }
}
