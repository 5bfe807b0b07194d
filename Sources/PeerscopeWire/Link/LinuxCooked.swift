/// Linux "cooked" capture header v1 (DLT_LINUX_SLL, 16 bytes), what `tcpdump -i any` wrote before 4.99:
///
///     | packet type (2) | ARPHRD type (2) | addr len (2) | address (8) | protocol (2) |
public struct LinuxSLLHeader: Hashable, Sendable {
    public static let length = 16

    public var packetType: UInt16
    public var hardwareType: UInt16
    public var addressLength: UInt16
    public var address: UInt64
    /// The EtherType of the payload for Ethernet-like devices.
    public var protocolType: UInt16

    public init(packetType: UInt16, hardwareType: UInt16 = 1, addressLength: UInt16 = 6,
                address: UInt64, protocolType: UInt16) {
        self.packetType = packetType
        self.hardwareType = hardwareType
        self.addressLength = addressLength
        self.address = address
        self.protocolType = protocolType
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> LinuxSLLHeader {
        let start = cursor.offset
        guard let packetType = cursor.readUInt16(), let hardwareType = cursor.readUInt16(),
              let addressLength = cursor.readUInt16(), let address = cursor.readUInt64(),
              let protocolType = cursor.readUInt16()
        else {
            throw WireError(.sll, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        return LinuxSLLHeader(packetType: packetType, hardwareType: hardwareType,
                              addressLength: addressLength, address: address, protocolType: protocolType)
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt16(packetType)
        bytes.appendUInt16(hardwareType)
        bytes.appendUInt16(addressLength)
        bytes.appendUInt64(address)
        bytes.appendUInt16(protocolType)
    }
}

/// Linux cooked capture header v2 (DLT_LINUX_SLL2, 20 bytes), written by `tcpdump -i any` since 4.99:
///
///     | protocol (2) | reserved (2) | interface index (4) | ARPHRD (2) | pkt type (1) | addr len (1) | address (8) |
public struct LinuxSLL2Header: Hashable, Sendable {
    public static let length = 20

    public var protocolType: UInt16
    public var interfaceIndex: UInt32
    public var hardwareType: UInt16
    public var packetType: UInt8
    public var addressLength: UInt8
    public var address: UInt64

    public init(protocolType: UInt16, interfaceIndex: UInt32, hardwareType: UInt16 = 1,
                packetType: UInt8, addressLength: UInt8 = 6, address: UInt64) {
        self.protocolType = protocolType
        self.interfaceIndex = interfaceIndex
        self.hardwareType = hardwareType
        self.packetType = packetType
        self.addressLength = addressLength
        self.address = address
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> LinuxSLL2Header {
        let start = cursor.offset
        guard let protocolType = cursor.readUInt16(), cursor.skip(2),
              let interfaceIndex = cursor.readUInt32(), let hardwareType = cursor.readUInt16(),
              let packetType = cursor.readUInt8(), let addressLength = cursor.readUInt8(),
              let address = cursor.readUInt64()
        else {
            throw WireError(.sll2, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        return LinuxSLL2Header(protocolType: protocolType, interfaceIndex: interfaceIndex,
                               hardwareType: hardwareType, packetType: packetType,
                               addressLength: addressLength, address: address)
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt16(protocolType)
        bytes.appendUInt16(0)
        bytes.appendUInt32(interfaceIndex)
        bytes.appendUInt16(hardwareType)
        bytes.append(packetType)
        bytes.append(addressLength)
        bytes.appendUInt64(address)
    }
}

/// The 4-byte address-family header of DLT_NULL (host byte order of the capturing machine) and
/// DLT_LOOP (network byte order).
public struct LoopbackHeader: Hashable, Sendable {
    public static let length = 4

    public var family: UInt32

    public init(family: UInt32) { self.family = family }

    /// Reads the family; for DLT_NULL a value that only makes sense byte-swapped is swapped, since
    /// the file does not say which byte order its writer used.
    public static func decode(_ cursor: inout ByteCursor, networkOrder: Bool) throws(WireError) -> LoopbackHeader {
        let start = cursor.offset
        guard let raw = cursor.readUInt32() else {
            throw WireError(.null, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        if networkOrder || raw <= 0xFFFF { return LoopbackHeader(family: raw) }
        return LoopbackHeader(family: raw.byteSwapped)
    }

    /// The address families BSD, macOS and Linux use for IPv4 and IPv6.
    public var isIPv4: Bool { family == 2 }
    public var isIPv6: Bool { family == 10 || family == 24 || family == 28 || family == 30 }
}
