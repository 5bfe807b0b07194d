/// One MPLS label as NLRI carry it (RFC 3032 §2.1 without TTL, RFC 8277 §2):
///
///     | label (20) | TC/EXP (3) | S, bottom of stack (1) |
///
/// EVPN reuses the 24 bits for a VXLAN VNI (RFC 8365 §5.1.3), so the raw value is what is kept.
public struct BGPLabel: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue & 0xFF_FFFF }

    public init(label: UInt32, trafficClass: UInt8 = 0, bottomOfStack: Bool = true) {
        rawValue = (label & 0xF_FFFF) << 4 | UInt32(trafficClass & 7) << 1 | (bottomOfStack ? 1 : 0)
    }

    public var label: UInt32 { rawValue >> 4 }
    public var trafficClass: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 1) & 7 }
    public var bottomOfStack: Bool { rawValue & 1 != 0 }

    /// RFC 8277 §2.4: a withdrawal carries 0x800000 (RFC 3107's compatibility value) or, from some
    /// implementations, 0x000000, in place of the label stack.
    public var isWithdrawalValue: Bool { rawValue == 0x80_0000 || rawValue == 0 }

    public var description: String { "\(label)" + (bottomOfStack ? " (bottom)" : "") }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: rawValue >> 16))
        bytes.append(UInt8(truncatingIfNeeded: rawValue >> 8))
        bytes.append(UInt8(truncatingIfNeeded: rawValue))
    }
}

extension BGPLabel {
    /// Reads a label stack (RFC 8277 §2.2, §2.3): one label unless the Multiple Labels capability
    /// was negotiated, then labels until the bottom-of-stack bit, at most `bitsAvailable`/24. The
    /// withdrawal values end the stack whatever their S bit (RFC 8277 §2.4).
    static func readStack(_ reader: inout NLRIReader, multiple: Bool, bitsAvailable: Int) throws(WireError) -> [BGPLabel] {
        var stack: [BGPLabel] = []
        var bits = bitsAvailable
        repeat {
            guard bits >= 24 else { throw WireError(.bgp, .badPrefixLength(bitsAvailable), at: reader.offset) }
            let label = BGPLabel(rawValue: try reader.u24())
            stack.append(label)
            bits -= 24
            if !multiple || label.bottomOfStack || label.isWithdrawalValue { break }
        } while true
        return stack
    }
}

/// A route distinguisher (RFC 4364 §4.2): type (2) and value (6), printed as tshark prints it:
/// type 0 `ASN:number`, type 1 `IPv4:number`, type 2 `ASN4:number`; other types as hex.
public struct BGPRouteDistinguisher: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(asn: UInt16, number: UInt32) { rawValue = UInt64(asn) << 32 | UInt64(number) }
    public init(ipv4: IPv4Address, number: UInt16) { rawValue = 1 << 48 | UInt64(ipv4.value) << 16 | UInt64(number) }
    public init(asn4: UInt32, number: UInt16) { rawValue = 2 << 48 | UInt64(asn4) << 16 | UInt64(number) }

    public var type: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 48) }

    public var description: String {
        switch type {
        case 0: "\(UInt16(truncatingIfNeeded: rawValue >> 32)):\(UInt32(truncatingIfNeeded: rawValue))"
        case 1: "\(IPv4Address(UInt32(truncatingIfNeeded: rawValue >> 16))):\(UInt16(truncatingIfNeeded: rawValue))"
        case 2: "\(UInt32(truncatingIfNeeded: rawValue >> 16)):\(UInt16(truncatingIfNeeded: rawValue))"
        default: "type \(type) 0x" + String(rawValue & 0xFFFF_FFFF_FFFF, radix: 16)
        }
    }
}
