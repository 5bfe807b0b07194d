/// The PMSI_TUNNEL attribute (type 22, RFC 6514 §5):
///
///     | flags (8) | tunnel type (8) | MPLS label (24) | tunnel identifier (variable) |
///
/// Tunnel types (RFC 6514 §5, RFC 7385): 0 none, 1 RSVP-TE P2MP, 2 mLDP P2MP, 3 PIM-SSM, 4 PIM-SM,
/// 5 BIDIR-PIM, 6 ingress replication, 7 mLDP MP2MP. The label field is kept whole: for MPLS its high
/// 20 bits are the label, for VXLAN EVPN all 24 bits are the VNI (RFC 8365 §5.1.3).
public struct BGPPMSITunnel: Hashable, Sendable {
    public var flags: UInt8
    public var tunnelType: UInt8
    public var labelField: UInt32
    public var tunnelIdentifier: [UInt8]

    public init(flags: UInt8, tunnelType: UInt8, labelField: UInt32, tunnelIdentifier: [UInt8]) {
        self.flags = flags
        self.tunnelType = tunnelType
        self.labelField = labelField & 0xFF_FFFF
        self.tunnelIdentifier = tunnelIdentifier
    }

    /// RFC 6514 §5 bit 0 of the flags: Leaf Information Required.
    public var leafInformationRequired: Bool { flags & 0x01 != 0 }

    public var tunnelTypeName: String {
        switch tunnelType {
        case 0: "No tunnel information present"
        case 1: "RSVP-TE P2MP LSP"
        case 2: "mLDP P2MP LSP"
        case 3: "PIM-SSM Tree"
        case 4: "PIM-SM Tree"
        case 5: "BIDIR-PIM Tree"
        case 6: "Ingress Replication"
        case 7: "mLDP MP2MP LSP"
        default: "tunnel type \(tunnelType)"
        }
    }

    /// For ingress replication the identifier is the endpoint's address (RFC 6514 §5).
    public var endpoint: IPAddress? {
        guard tunnelType == 6 else { return nil }
        return tunnelIdentifier.withUnsafeBytes { bytes in
            let cursor = ByteCursor(bytes)
            switch bytes.count {
            case 4: return .v4(IPv4Address(cursor.word32(at: 0)))
            case 16: return .v6(IPv6Address(high: cursor.word64(at: 0), low: cursor.word64(at: 8)))
            default: return nil
            }
        }
    }

    static func decode(_ value: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> Self {
        guard value.count >= 5 else { throw WireError(.bgp, .badAttributeLength(type: 22, length: value.count), at: offset) }
        let cursor = ByteCursor(value)
        return Self(flags: cursor.byte(at: 0), tunnelType: cursor.byte(at: 1),
                    labelField: UInt32(cursor.byte(at: 2)) << 16 | UInt32(cursor.word16(at: 3)),
                    tunnelIdentifier: Array(value[5...]))
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(flags)
        bytes.append(tunnelType)
        bytes.append(UInt8(truncatingIfNeeded: labelField >> 16))
        bytes.appendUInt16(UInt16(truncatingIfNeeded: labelField))
        bytes += tunnelIdentifier
    }
}
