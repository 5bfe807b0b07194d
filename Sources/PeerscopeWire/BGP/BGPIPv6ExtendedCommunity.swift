/// One IPv6-address-specific extended community (RFC 5701 §2), twenty octets, carried in path
/// attribute 25:
///
///     | type (8) | subtype (8) | global administrator: IPv6 address (128) | local administrator (16) |
///
/// The subtypes are the IPv4-address-specific ones (RFC 5701 §3): 0x02 route target, 0x03 route
/// origin, 0x0B VRF route import.
public struct BGPIPv6ExtendedCommunity: Hashable, Sendable, CustomStringConvertible {
    public var type: UInt8
    public var subtype: UInt8
    public var globalAdministrator: IPv6Address
    public var localAdministrator: UInt16

    public static let length = 20

    public init(type: UInt8, subtype: UInt8, globalAdministrator: IPv6Address, localAdministrator: UInt16) {
        self.type = type
        self.subtype = subtype
        self.globalAdministrator = globalAdministrator
        self.localAdministrator = localAdministrator
    }

    /// The name of the subtype: IPv6-address-specific communities reuse the IPv4 registry's
    /// subtypes (RFC 5701 §3); type 0x00/0x40 is the (non-)transitive IPv6-address-specific type.
    public var subtypeName: String { BGPExtendedCommunityType.subtypeName(type: 0x01, subtype: subtype) }

    public var description: String { "\(subtypeName) [\(globalAdministrator)]:\(localAdministrator)" }

    /// Decodes the attribute's value; the length must be a multiple of 20 (RFC 7606 §7.15).
    static func decodeList(_ value: UnsafeRawBufferPointer, type: UInt8, offset: Int) throws(WireError) -> [Self] {
        guard value.count % length == 0 else {
            throw WireError(.bgp, .badAttributeLength(type: type, length: value.count), at: offset)
        }
        let cursor = ByteCursor(value)
        return (0..<value.count / length).map { index in
            let base = index * length
            return Self(type: cursor.byte(at: base), subtype: cursor.byte(at: base + 1),
                        globalAdministrator: IPv6Address(high: cursor.word64(at: base + 2), low: cursor.word64(at: base + 10)),
                        localAdministrator: cursor.word16(at: base + 18))
        }
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(type)
        bytes.append(subtype)
        bytes.appendUInt64(globalAdministrator.high)
        bytes.appendUInt64(globalAdministrator.low)
        bytes.appendUInt16(localAdministrator)
    }
}
