/// IPv6 fixed header (RFC 8200 §3):
///
///     | ver(4) | traffic class (8) | flow label (20) |
///     | payload length (16) | next header (8) | hop limit (8) |
///     | source address (128) | destination address (128) |
public struct IPv6Header: Hashable, Sendable {
    public static let length = 40

    public var trafficClass: UInt8
    public var flowLabel: UInt32
    public var payloadLength: Int
    public var nextHeader: UInt8
    public var hopLimit: UInt8
    public var source: IPv6Address
    public var destination: IPv6Address

    public init(source: IPv6Address, destination: IPv6Address, nextHeader: UInt8, hopLimit: UInt8,
                payloadLength: Int = 0, trafficClass: UInt8 = 0xC0, flowLabel: UInt32 = 0) {
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel
        self.payloadLength = payloadLength
        self.nextHeader = nextHeader
        self.hopLimit = hopLimit
        self.source = source
        self.destination = destination
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> IPv6Header {
        let start = cursor.offset
        guard cursor.remaining >= length,
              let first = cursor.readUInt32(), let payloadLength = cursor.readUInt16(),
              let nextHeader = cursor.readUInt8(), let hopLimit = cursor.readUInt8(),
              let sHigh = cursor.readUInt64(), let sLow = cursor.readUInt64(),
              let dHigh = cursor.readUInt64(), let dLow = cursor.readUInt64()
        else {
            throw WireError(.ipv6, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        guard first >> 28 == 6 else { throw WireError(.ipv6, .badVersion(UInt8(first >> 28)), at: start) }
        return IPv6Header(source: IPv6Address(high: sHigh, low: sLow),
                          destination: IPv6Address(high: dHigh, low: dLow),
                          nextHeader: nextHeader, hopLimit: hopLimit, payloadLength: Int(payloadLength),
                          trafficClass: UInt8(truncatingIfNeeded: first >> 20), flowLabel: first & 0xFFFFF)
    }

    public func encode(into bytes: inout [UInt8], payloadLength: Int) {
        bytes.appendUInt32(6 << 28 | UInt32(trafficClass) << 20 | (flowLabel & 0xFFFFF))
        bytes.appendUInt16(UInt16(payloadLength))
        bytes.append(nextHeader)
        bytes.append(hopLimit)
        bytes.appendUInt64(source.high)
        bytes.appendUInt64(source.low)
        bytes.appendUInt64(destination.high)
        bytes.appendUInt64(destination.low)
    }
}

/// The walk over IPv6 extension headers (RFC 8200 §4) to the upper-layer protocol.
public struct IPv6ExtensionChain: Hashable, Sendable {
    /// The protocol after the last extension header (UDP, TCP, GRE, …).
    public var upperProtocol: UInt8
    /// Bytes of extension headers skipped.
    public var length: Int
    public var extensionCount: Int
    /// True when a Fragment header was present (a first fragment: offset 0).
    public var fragmented: Bool

    /// Walks from `nextHeader` over hop-by-hop, routing, destination-options, fragment and AH
    /// headers. A non-first fragment cannot be interpreted and is an error, not a guess.
    public static func walk(_ cursor: inout ByteCursor, nextHeader first: UInt8) throws(WireError) -> IPv6ExtensionChain {
        let start = cursor.offset
        var next = first
        var count = 0
        var fragmented = false
        while true {
            let headerStart = cursor.offset
            switch next {
            case IPProtocol.hopByHop, IPProtocol.ipv6Routing, IPProtocol.ipv6DestinationOptions:
                guard let following = cursor.peekUInt8(), let units = cursor.peekUInt8(at: 1) else {
                    throw WireError(.ipv6, .truncated(needed: 2, available: cursor.remaining), at: headerStart)
                }
                let length = (Int(units) + 1) * 8
                guard cursor.skip(length) else {
                    throw WireError(.ipv6, .truncated(needed: length, available: cursor.remaining), at: headerStart)
                }
                next = following
            case IPProtocol.ipv6Fragment:
                guard let following = cursor.peekUInt8(), let offsetFlags = cursor.peekUInt16(at: 2),
                      cursor.skip(8)
                else {
                    throw WireError(.ipv6, .truncated(needed: 8, available: cursor.remaining), at: headerStart)
                }
                guard offsetFlags >> 3 == 0 else { throw WireError(.ipv6, .nonFirstFragment, at: headerStart) }
                fragmented = true
                next = following
            case IPProtocol.authentication:
                // AH (RFC 4302) counts its length in 4-byte units, minus 2.
                guard let following = cursor.peekUInt8(), let units = cursor.peekUInt8(at: 1) else {
                    throw WireError(.ipv6, .truncated(needed: 2, available: cursor.remaining), at: headerStart)
                }
                let length = (Int(units) + 2) * 4
                guard cursor.skip(length) else {
                    throw WireError(.ipv6, .truncated(needed: length, available: cursor.remaining), at: headerStart)
                }
                next = following
            default:
                return IPv6ExtensionChain(upperProtocol: next, length: cursor.offset - start,
                                          extensionCount: count, fragmented: fragmented)
            }
            count += 1
            guard count <= 16 else { throw WireError(.ipv6, .tooDeep, at: headerStart) }
        }
    }
}
