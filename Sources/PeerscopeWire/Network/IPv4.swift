/// IPv4 header (RFC 791 §3.1), options kept as a length only:
///
///     | ver(4) IHL(4) | DSCP/ECN | total length (16) |
///     | identification (16)   | flags(3) fragment offset(13) |
///     | TTL | protocol | header checksum (16) |
///     | source address (32) | destination address (32) | options …
public struct IPv4Header: Hashable, Sendable {
    public static let minimumLength = 20

    public var headerLength: Int
    public var typeOfService: UInt8
    public var totalLength: Int
    public var identification: UInt16
    public var dontFragment: Bool
    public var moreFragments: Bool
    /// In 8-byte units, as on the wire.
    public var fragmentOffset: UInt16
    public var ttl: UInt8
    public var protocolNumber: UInt8
    public var checksum: UInt16
    public var source: IPv4Address
    public var destination: IPv4Address

    public init(source: IPv4Address, destination: IPv4Address, protocolNumber: UInt8, ttl: UInt8,
                totalLength: Int = 0, headerLength: Int = 20, typeOfService: UInt8 = 0xC0,
                identification: UInt16 = 0, dontFragment: Bool = true, moreFragments: Bool = false,
                fragmentOffset: UInt16 = 0, checksum: UInt16 = 0) {
        self.headerLength = headerLength
        self.typeOfService = typeOfService
        self.totalLength = totalLength
        self.identification = identification
        self.dontFragment = dontFragment
        self.moreFragments = moreFragments
        self.fragmentOffset = fragmentOffset
        self.ttl = ttl
        self.protocolNumber = protocolNumber
        self.checksum = checksum
        self.source = source
        self.destination = destination
    }

    public var isFragment: Bool { moreFragments || fragmentOffset != 0 }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> IPv4Header {
        let start = cursor.offset
        guard cursor.remaining >= minimumLength else {
            throw WireError(.ipv4, .truncated(needed: minimumLength, available: cursor.remaining), at: start)
        }
        let versionIHL = cursor.byte(at: 0)
        guard versionIHL >> 4 == 4 else { throw WireError(.ipv4, .badVersion(versionIHL >> 4), at: start) }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= minimumLength else {
            throw WireError(.ipv4, .badHeaderLength(headerLength), at: start)
        }
        let totalLength = Int(cursor.word16(at: 2))
        guard totalLength >= headerLength else {
            throw WireError(.ipv4, .lengthTooSmall(declared: totalLength, minimum: headerLength), at: start)
        }
        guard cursor.remaining >= headerLength else {
            throw WireError(.ipv4, .truncated(needed: headerLength, available: cursor.remaining), at: start)
        }
        let flagsOffset = cursor.word16(at: 6)
        let header = IPv4Header(
            source: IPv4Address(cursor.word32(at: 12)), destination: IPv4Address(cursor.word32(at: 16)),
            protocolNumber: cursor.byte(at: 9), ttl: cursor.byte(at: 8), totalLength: totalLength,
            headerLength: headerLength, typeOfService: cursor.byte(at: 1), identification: cursor.word16(at: 4),
            dontFragment: flagsOffset & 0x4000 != 0, moreFragments: flagsOffset & 0x2000 != 0,
            fragmentOffset: flagsOffset & 0x1FFF, checksum: cursor.word16(at: 10))
        cursor.offset += headerLength
        return header
    }

    /// Writes a header for `payloadLength` bytes with `options` (padded to 4 bytes), computing
    /// total length, IHL and checksum.
    public func encode(into bytes: inout [UInt8], payloadLength: Int, options: [UInt8] = []) {
        let start = bytes.count
        let paddedOptions = options + Array(repeating: 0, count: (4 - options.count % 4) % 4)
        let ihl = (Self.minimumLength + paddedOptions.count) / 4
        bytes.append(0x40 | UInt8(ihl))
        bytes.append(typeOfService)
        bytes.appendUInt16(UInt16(ihl * 4 + payloadLength))
        bytes.appendUInt16(identification)
        bytes.appendUInt16((dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset & 0x1FFF))
        bytes.append(ttl)
        bytes.append(protocolNumber)
        bytes.appendUInt16(0)
        bytes.appendUInt32(source.value)
        bytes.appendUInt32(destination.value)
        bytes.append(contentsOf: paddedOptions)
        var sum = InternetChecksum()
        sum.add(bytes[start...])
        bytes.setUInt16(sum.value, at: start + 10)
    }
}

/// IP protocol numbers the decoders follow.
public enum IPProtocol {
    public static let hopByHop: UInt8 = 0
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let ipv6Routing: UInt8 = 43
    public static let ipv6Fragment: UInt8 = 44
    public static let gre: UInt8 = 47
    public static let authentication: UInt8 = 51
    public static let ipv6NoNext: UInt8 = 59
    public static let ipv6DestinationOptions: UInt8 = 60
    public static let ipInIP: UInt8 = 4
    public static let ipv6InIP: UInt8 = 41
}
