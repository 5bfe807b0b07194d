/// A type-length-value element inside a path attribute. Several attributes are lists of them, each
/// with its own widths; `Layout` names them so that one reader serves all:
///
/// - AIGP (RFC 7311 §3): type 1 octet, length 2 octets counting the 3-octet header too;
/// - BGP Prefix-SID (RFC 8669 §3): type 1 octet, length 2 octets;
/// - BGP-LS attribute (RFC 9552 §5.1): type 2 octets, length 2 octets;
/// - tunnel encapsulation sub-TLVs (RFC 9012 §2): type 1 octet, length 1 octet for types 0–127 and
///   2 octets for types 128–255.
public struct BGPAttributeTLV: Hashable, Sendable {
    public var type: UInt16
    public var value: [UInt8]

    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    public enum Layout: Sendable {
        case aigp, prefixSID, linkState, tunnelSubTLV

        var typeWidth: Int { self == .linkState ? 2 : 1 }

        func lengthWidth(type: UInt16) -> Int { self == .tunnelSubTLV && type < 128 ? 1 : 2 }

        /// AIGP's length counts its own header (RFC 7311 §3); the others count the value only.
        func headerCounted(type: UInt16) -> Int { self == .aigp ? 1 + lengthWidth(type: type) : 0 }
    }

    /// Reads TLVs until the bytes end; a header or value that runs past them is a length error of
    /// the enclosing attribute `attributeType`, reported at `offset` plus the TLV's position.
    static func decodeList(_ bytes: UnsafeRawBufferPointer, layout: Layout, attributeType: UInt8, offset: Int)
        throws(WireError) -> [BGPAttributeTLV]
    {
        var cursor = ByteCursor(bytes)
        var list: [BGPAttributeTLV] = []
        while cursor.remaining > 0 {
            let start = cursor.offset
            func bad() -> WireError {
                WireError(.bgp, .badAttributeLength(type: attributeType, length: bytes.count), at: offset + start)
            }
            guard let type = layout.typeWidth == 2 ? cursor.readUInt16() : cursor.readUInt8().map(UInt16.init) else { throw bad() }
            let width = layout.lengthWidth(type: type)
            guard let declared = width == 2 ? cursor.readUInt16().map(Int.init) : cursor.readUInt8().map(Int.init) else {
                throw bad()
            }
            let header = layout.headerCounted(type: type)
            guard declared >= header, let value = cursor.readSlice(declared - header) else { throw bad() }
            list.append(BGPAttributeTLV(type: type, value: Array(value)))
        }
        return list
    }

    func encode(into bytes: inout [UInt8], layout: Layout) {
        if layout.typeWidth == 2 { bytes.appendUInt16(type) } else { bytes.append(UInt8(truncatingIfNeeded: type)) }
        let length = value.count + layout.headerCounted(type: type)
        if layout.lengthWidth(type: type) == 2 {
            bytes.appendUInt16(UInt16(truncatingIfNeeded: length))
        } else {
            bytes.append(UInt8(truncatingIfNeeded: length))
        }
        bytes += value
    }
}
