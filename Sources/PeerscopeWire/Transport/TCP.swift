/// TCP header (RFC 9293 §3.1), options kept as a length plus the one fact BGP needs from them,
/// which segment authentication option is present (TCP MD5, RFC 2385, kind 19; TCP-AO, RFC 5925, kind 29):
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
    /// The option kind 19 (TCP MD5 signature, RFC 2385) or 29 (TCP-AO, RFC 5925) when present.
    public var authenticationOption: UInt8?

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
        let optionsLength = headerLength - minimumLength
        guard cursor.remaining >= optionsLength else {
            throw WireError(.tcp, .truncated(needed: headerLength, available: cursor.remaining + minimumLength),
                            at: start)
        }
        let authentication = authenticationOption(in: cursor, length: optionsLength)
        _ = cursor.skip(optionsLength)
        var header = TCPHeader(sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequence,
                               acknowledgmentNumber: acknowledgment, flags: TCPFlags(rawValue: flags),
                               window: window, headerLength: headerLength, checksum: checksum, urgentPointer: urgent)
        header.authenticationOption = authentication
        return header
    }

    /// Walks the options (RFC 9293 §3.1: kind 0 ends the list, kind 1 is one byte of padding,
    /// others are kind, length ≥ 2, data) looking for kind 19 or 29; a malformed list ends the walk.
    private static func authenticationOption(in cursor: ByteCursor, length: Int) -> UInt8? {
        var index = 0
        while index < length {
            let kind = cursor.byte(at: index)
            if kind == 0 { return nil }
            if kind == 1 {
                index += 1
                continue
            }
            guard index + 1 < length else { return nil }
            let size = Int(cursor.byte(at: index + 1))
            guard size >= 2, index + size <= length else { return nil }
            if kind == 19 || kind == 29 { return kind }
            index += size
        }
        return nil
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
