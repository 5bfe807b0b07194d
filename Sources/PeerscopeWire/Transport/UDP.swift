/// UDP header (RFC 768): | source port | destination port | length | checksum |
public struct UDPHeader: Hashable, Sendable {
    public static let length = 8

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Header plus payload, as declared.
    public var length: Int
    public var checksum: UInt16

    public init(sourcePort: UInt16, destinationPort: UInt16, length: Int = 0, checksum: UInt16 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = length
        self.checksum = checksum
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> UDPHeader {
        let start = cursor.offset
        guard cursor.remaining >= Self.length else {
            throw WireError(.udp, .truncated(needed: Self.length, available: cursor.remaining), at: start)
        }
        let sourcePort = cursor.word16(at: 0), destinationPort = cursor.word16(at: 2)
        let length = cursor.word16(at: 4), checksum = cursor.word16(at: 6)
        cursor.offset += Self.length
        guard Int(length) >= Self.length else {
            throw WireError(.udp, .lengthTooSmall(declared: Int(length), minimum: Self.length), at: start)
        }
        return UDPHeader(sourcePort: sourcePort, destinationPort: destinationPort,
                         length: Int(length), checksum: checksum)
    }

    /// Writes the header with length and checksum over the given pseudo-header and payload.
    public func encode(into bytes: inout [UInt8], payload: [UInt8], pseudoHeader: PseudoHeader) {
        let start = bytes.count
        let total = Self.length + payload.count
        bytes.appendUInt16(sourcePort)
        bytes.appendUInt16(destinationPort)
        bytes.appendUInt16(UInt16(total))
        bytes.appendUInt16(0)
        var sum = pseudoHeader.checksum(protocolNumber: IPProtocol.udp, length: total)
        sum.add(bytes[start...])
        sum.add(payload[...])
        let value = sum.value
        // RFC 768: a computed zero is sent as all ones, zero meaning "no checksum".
        bytes.setUInt16(value == 0 ? 0xFFFF : value, at: start + 6)
    }
}

/// The addresses the UDP and TCP checksums cover (RFC 768, RFC 8200 §8.1).
public enum PseudoHeader: Sendable {
    case v4(source: IPv4Address, destination: IPv4Address)
    case v6(source: IPv6Address, destination: IPv6Address)

    func checksum(protocolNumber: UInt8, length: Int) -> InternetChecksum {
        var sum = InternetChecksum()
        switch self {
        case .v4(let source, let destination):
            sum.add(source.value)
            sum.add(destination.value)
            sum.add(UInt16(protocolNumber))
            sum.add(UInt16(length))
        case .v6(let source, let destination):
            for half in [source.high, source.low, destination.high, destination.low] {
                sum.add(UInt32(truncatingIfNeeded: half >> 32))
                sum.add(UInt32(truncatingIfNeeded: half))
            }
            sum.add(UInt32(length))
            sum.add(UInt32(protocolNumber))
        }
        return sum
    }
}
