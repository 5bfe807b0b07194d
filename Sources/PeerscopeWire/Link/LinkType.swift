/// The link-layer header type of a capture, as libpcap reports it (DLT_* values).
public enum LinkType: Hashable, Sendable, CustomStringConvertible {
    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    case null
    case ethernet
    /// Bare IP; the version nibble tells IPv4 from IPv6.
    case raw
    /// OpenBSD loopback: like `null` but the family is in network byte order.
    case loop
    case linuxSLL
    case linuxSLL2
    case ipv4
    case ipv6
    case other(Int32)

    public init(dlt: Int32) {
        switch dlt {
        case 0: self = .null
        case 1: self = .ethernet
        case 12, 14, 101: self = .raw
        case 108: self = .loop
        case 113: self = .linuxSLL
        case 228: self = .ipv4
        case 229: self = .ipv6
        case 276: self = .linuxSLL2
        default: self = .other(dlt)
        }
    }

    /// The DLT value libpcap uses for this link type on Linux.
    public var dlt: Int32 {
        switch self {
        case .null: 0
        case .ethernet: 1
        case .raw: 12
        case .loop: 108
        case .linuxSLL: 113
        case .ipv4: 228
        case .ipv6: 229
        case .linuxSLL2: 276
        case .other(let value): value
        }
    }

    /// The LINKTYPE_* value written in pcap and pcapng files (differs from the DLT only for raw IP).
    public var fileValue: UInt32 {
        switch self {
        case .raw: 101
        default: UInt32(bitPattern: dlt)
        }
    }

    public var isSupported: Bool {
        if case .other = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "EN10MB"
        case .raw: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .linuxSLL2: "LINUX_SLL2"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .other(let value): "DLT \(value)"
        }
    }
}

/// EtherType values the decoders follow.
public enum EtherType {
    public static let ipv4: UInt16 = 0x0800
    public static let ipv6: UInt16 = 0x86DD
    public static let vlan: UInt16 = 0x8100
    public static let qinq: UInt16 = 0x88A8
    /// Pre-standard 802.1ad outer tag still seen on older switches.
    public static let qinqLegacy: UInt16 = 0x9100
    public static let mplsUnicast: UInt16 = 0x8847
    public static let mplsMulticast: UInt16 = 0x8848
    /// Transparent Ethernet bridging: Ethernet carried inside GRE.
    public static let transparentEthernet: UInt16 = 0x6558

    public static func isVLANTag(_ value: UInt16) -> Bool {
        value == vlan || value == qinq || value == qinqLegacy
    }
}
