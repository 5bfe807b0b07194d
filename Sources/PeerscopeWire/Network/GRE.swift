/// GRE header (RFC 2784, with the Key and Sequence Number extensions of RFC 2890):
///
///     | C | R | K | S | reserved0 (9) | ver (3) | protocol type (16) |
///     | checksum (16) + reserved1 (16)           — if C                |
///     | key (32)                                 — if K                |
///     | sequence number (32)                     — if S                |
public struct GREHeader: Hashable, Sendable {
    public var checksum: UInt16?
    public var key: UInt32?
    public var sequenceNumber: UInt32?
    public var version: UInt8
    public var protocolType: UInt16

    public init(protocolType: UInt16, checksum: UInt16? = nil, key: UInt32? = nil,
                sequenceNumber: UInt32? = nil, version: UInt8 = 0) {
        self.protocolType = protocolType
        self.checksum = checksum
        self.key = key
        self.sequenceNumber = sequenceNumber
        self.version = version
    }

    public var headerLength: Int {
        4 + (checksum == nil ? 0 : 4) + (key == nil ? 0 : 4) + (sequenceNumber == nil ? 0 : 4)
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> GREHeader {
        let start = cursor.offset
        guard let flags = cursor.readUInt16(), let protocolType = cursor.readUInt16() else {
            throw WireError(.gre, .truncated(needed: 4, available: cursor.remaining), at: start)
        }
        let version = UInt8(flags & 0x7)
        // Version 1 is PPTP's enhanced GRE (RFC 2637), a different header.
        guard version == 0 else { throw WireError(.gre, .badVersion(version), at: start) }
        guard flags & 0x4000 == 0 else { throw WireError(.gre, .greRoutingPresent, at: start) }
        var header = GREHeader(protocolType: protocolType, version: version)
        let needed = 4 + (flags & 0x8000 != 0 ? 4 : 0) + (flags & 0x2000 != 0 ? 4 : 0) + (flags & 0x1000 != 0 ? 4 : 0)
        let truncated = WireError(.gre, .truncated(needed: needed, available: cursor.remaining + 4), at: start)
        if flags & 0x8000 != 0 {
            guard let checksum = cursor.readUInt16(), cursor.skip(2) else { throw truncated }
            header.checksum = checksum
        }
        if flags & 0x2000 != 0 {
            guard let key = cursor.readUInt32() else { throw truncated }
            header.key = key
        }
        if flags & 0x1000 != 0 {
            guard let sequence = cursor.readUInt32() else { throw truncated }
            header.sequenceNumber = sequence
        }
        return header
    }

    /// Writes the header; with a checksum present, pass the payload so the RFC 1624 sum covers
    /// header and payload (the stored `checksum` value is ignored and recomputed).
    public func encode(into bytes: inout [UInt8], payload: [UInt8] = []) {
        let start = bytes.count
        var flags = UInt16(version & 0x7)
        if checksum != nil { flags |= 0x8000 }
        if key != nil { flags |= 0x2000 }
        if sequenceNumber != nil { flags |= 0x1000 }
        bytes.appendUInt16(flags)
        bytes.appendUInt16(protocolType)
        if checksum != nil { bytes.appendUInt32(0) }
        if let key { bytes.appendUInt32(key) }
        if let sequenceNumber { bytes.appendUInt32(sequenceNumber) }
        if checksum != nil {
            var sum = InternetChecksum()
            sum.add(bytes[start...])
            sum.add(payload[...])
            bytes.setUInt16(sum.value, at: start + 4)
        }
    }
}
