/// Ethernet II header (IEEE 802.3 clause 3.1.1):
///
///     0                   6                   12      14
///     | destination MAC   | source MAC        | type  |
public struct EthernetHeader: Hashable, Sendable {
    public static let length = 14

    /// The 48-bit MAC addresses in the low bits of a `UInt64`.
    public var destination: UInt64
    public var source: UInt64
    public var etherType: UInt16

    public init(destination: UInt64, source: UInt64, etherType: UInt16) {
        self.destination = destination
        self.source = source
        self.etherType = etherType
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> EthernetHeader {
        guard cursor.remaining >= length else {
            throw WireError(.ethernet, .truncated(needed: length, available: cursor.remaining), at: cursor.offset)
        }
        let header = EthernetHeader(
            destination: UInt64(cursor.word16(at: 0)) << 32 | UInt64(cursor.word32(at: 2)),
            source: UInt64(cursor.word16(at: 6)) << 32 | UInt64(cursor.word32(at: 8)),
            etherType: cursor.word16(at: 12))
        cursor.offset += length
        return header
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt16(UInt16(truncatingIfNeeded: destination >> 32))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: destination))
        bytes.appendUInt16(UInt16(truncatingIfNeeded: source >> 32))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: source))
        bytes.appendUInt16(etherType)
    }
}

/// One IEEE 802.1Q / 802.1ad tag: the TPID was the previous EtherType; the tag itself is
///
///     | PCP(3) DEI(1) VID(12) | next EtherType (16) |
public struct VLANTag: Hashable, Sendable {
    public static let length = 4

    public var tpid: UInt16
    public var priority: UInt8
    public var dropEligible: Bool
    public var vlanID: UInt16
    public var etherType: UInt16

    public init(tpid: UInt16 = EtherType.vlan, priority: UInt8 = 0, dropEligible: Bool = false,
                vlanID: UInt16, etherType: UInt16) {
        self.tpid = tpid
        self.priority = priority
        self.dropEligible = dropEligible
        self.vlanID = vlanID
        self.etherType = etherType
    }

    public static func decode(_ cursor: inout ByteCursor, tpid: UInt16) throws(WireError) -> VLANTag {
        guard cursor.remaining >= length else {
            throw WireError(.vlan, .truncated(needed: length, available: cursor.remaining), at: cursor.offset)
        }
        let tci = cursor.word16(at: 0)
        let type = cursor.word16(at: 2)
        cursor.offset += length
        return VLANTag(tpid: tpid, priority: UInt8(tci >> 13), dropEligible: tci & 0x1000 != 0,
                       vlanID: tci & 0x0FFF, etherType: type)
    }

    /// Writes TCI and the inner EtherType; the TPID is the EtherType field written before it.
    public func encode(into bytes: inout [UInt8]) {
        let tci = UInt16(priority & 0x7) << 13 | (dropEligible ? 0x1000 : 0) | (vlanID & 0x0FFF)
        bytes.appendUInt16(tci)
        bytes.appendUInt16(etherType)
    }
}
