/// TCP header (RFC 9293 §3.1), options kept as a length only:
///
///     | source port | destination port | sequence number | acknowledgment number |
///     | data offset(4) reserved(4) flags(8) | window | checksum | urgent pointer | options …
public struct TCPHeader: Hashable, Sendable {
    public static let minimumLength = 20

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    public var headerLength: Int
    public var flags: TCPFlags
    public var window: UInt16
    public var checksum: UInt16
    public var urgentPointer: UInt16

    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32,
                acknowledgmentNumber: UInt32, flags: TCPFlags, window: UInt16 = 65535,
                headerLength: Int = 20, checksum: UInt16 = 0, urgentPointer: UInt16 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.headerLength = headerLength
        self.flags = flags
        self.window = window
        self.checksum = checksum
        self.urgentPointer = urgentPointer
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> TCPHeader {
        let start = cursor.offset
        guard cursor.remaining >= minimumLength else {
            throw WireError(.tcp, .truncated(needed: minimumLength, available: cursor.remaining), at: start)
        }
        let sourcePort = cursor.word16(at: 0), destinationPort = cursor.word16(at: 2)
        let sequence = cursor.word32(at: 4), acknowledgment = cursor.word32(at: 8)
        let offsetByte = cursor.byte(at: 12), flags = cursor.byte(at: 13)
        let window = cursor.word16(at: 14), checksum = cursor.word16(at: 16), urgent = cursor.word16(at: 18)
        cursor.offset += minimumLength
        let headerLength = Int(offsetByte >> 4) * 4
        guard headerLength >= minimumLength else {
            throw WireError(.tcp, .badHeaderLength(headerLength), at: start)
        }
        guard cursor.skip(headerLength - minimumLength) else {
            throw WireError(.tcp, .truncated(needed: headerLength, available: cursor.remaining + minimumLength),
                            at: start)
        }
        return TCPHeader(sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequence,
                         acknowledgmentNumber: acknowledgment, flags: TCPFlags(rawValue: flags),
                         window: window, headerLength: headerLength, checksum: checksum, urgentPointer: urgent)
    }

    /// Writes the header (no options) with checksum over the pseudo-header and payload.
    public func encode(into bytes: inout [UInt8], payload: [UInt8], pseudoHeader: PseudoHeader) {
        let start = bytes.count
        bytes.appendUInt16(sourcePort)
        bytes.appendUInt16(destinationPort)
        bytes.appendUInt32(sequenceNumber)
        bytes.appendUInt32(acknowledgmentNumber)
        bytes.append(UInt8(Self.minimumLength / 4) << 4)
        bytes.append(flags.rawValue)
        bytes.appendUInt16(window)
        bytes.appendUInt16(0)
        bytes.appendUInt16(urgentPointer)
        var sum = pseudoHeader.checksum(protocolNumber: IPProtocol.tcp, length: Self.minimumLength + payload.count)
        sum.add(bytes[start...])
        sum.add(payload[...])
        bytes.setUInt16(sum.value, at: start + 16)
    }
}

public struct TCPFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)
}
