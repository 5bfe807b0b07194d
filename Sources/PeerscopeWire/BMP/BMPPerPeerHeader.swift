/// The per-peer header that starts every BMP message about one peer (RFC 7854 §4.2), 42 octets:
///
///     | peer type (8) | peer flags (8) | peer distinguisher (64) | peer address (128) |
///     | peer AS (32) | peer BGP ID (32) | timestamp seconds (32) | timestamp microseconds (32) |
///
/// Flags: V (0x80) the address is IPv6, else IPv4 in the last four octets; L (0x40) post-policy
/// Adj-RIB-In; A (0x20) the BGP PDUs use 2-octet AS_PATH; O (0x10) Adj-RIB-Out (RFC 8671).
public struct BMPPerPeerHeader: Hashable, Sendable {
    public static let length = 42

    /// 0 global instance, 1 RD instance, 2 local instance (RFC 7854 §4.2), 3 Loc-RIB (RFC 9069).
    public var peerType: UInt8
    public var flags: UInt8
    public var distinguisher: UInt64
    public var address: IPAddress
    public var asn: UInt32
    public var bgpID: IPv4Address
    public var timestampSeconds: UInt32
    public var timestampMicroseconds: UInt32

    public init(peerType: UInt8 = 0, flags: UInt8 = 0, distinguisher: UInt64 = 0, address: IPAddress, asn: UInt32,
                bgpID: IPv4Address, timestampSeconds: UInt32 = 0, timestampMicroseconds: UInt32 = 0) {
        self.peerType = peerType
        self.flags = flags
        self.distinguisher = distinguisher
        self.address = address
        self.asn = asn
        self.bgpID = bgpID
        self.timestampSeconds = timestampSeconds
        self.timestampMicroseconds = timestampMicroseconds
    }

    public var isIPv6: Bool { flags & 0x80 != 0 }
    public var isPostPolicy: Bool { flags & 0x40 != 0 }
    /// RFC 7854 §4.2: the A flag says the peer's PDUs carry 2-octet AS numbers.
    public var usesTwoOctetAS: Bool { flags & 0x20 != 0 }

    public var peerTypeName: String {
        switch peerType {
        case 0: "Global Instance Peer"
        case 1: "RD Instance Peer"
        case 2: "Local Instance Peer"
        case 3: "Loc-RIB Instance Peer"
        default: "peer type \(peerType)"
        }
    }

    static func decode(_ cursor: ByteCursor, at offset: Int) throws(WireError) -> BMPPerPeerHeader {
        guard cursor.remaining >= length else {
            throw WireError(.bmp, .truncated(needed: length, available: cursor.remaining), at: offset)
        }
        let flags = cursor.byte(at: 1)
        let address: IPAddress = flags & 0x80 != 0
            ? .v6(IPv6Address(high: cursor.word64(at: 10), low: cursor.word64(at: 18)))
            : .v4(IPv4Address(cursor.word32(at: 22)))
        return BMPPerPeerHeader(peerType: cursor.byte(at: 0), flags: flags, distinguisher: cursor.word64(at: 2),
                                address: address, asn: cursor.word32(at: 26), bgpID: IPv4Address(cursor.word32(at: 30)),
                                timestampSeconds: cursor.word32(at: 34), timestampMicroseconds: cursor.word32(at: 38))
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(peerType)
        // The V flag follows the address, so that what is written decodes to the same address.
        if case .v6 = address { bytes.append(flags | 0x80) } else { bytes.append(flags & ~0x80) }
        bytes.appendUInt64(distinguisher)
        BMPPerPeerHeader.encode(address, into: &bytes)
        bytes.appendUInt32(asn)
        bytes.appendUInt32(bgpID.value)
        bytes.appendUInt32(timestampSeconds)
        bytes.appendUInt32(timestampMicroseconds)
    }

    /// A 16-octet address field: IPv6, or IPv4 in the last four octets after twelve zeros (§4.2, §4.10).
    static func encode(_ address: IPAddress, into bytes: inout [UInt8]) {
        switch address {
        case .v6(let v6):
            bytes.appendUInt64(v6.high)
            bytes.appendUInt64(v6.low)
        case .v4(let v4):
            bytes += [UInt8](repeating: 0, count: 12)
            bytes.appendUInt32(v4.value)
        }
    }
}
