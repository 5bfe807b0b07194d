import PeerscopeWire

/// One layer a frame passed through on its way to the transport header.
public enum EncapsulationLayer: Hashable, Sendable {
    case ethernet
    case linuxSLL
    case linuxSLL2
    case loopback
    case raw
    case vlan(id: UInt16, tpid: UInt16)
    case mpls(label: UInt32)
    case ipv4
    case ipv6
    case gre(key: UInt32?)
    /// RFC 4385/5586 Associated Channel Header after the label stack (VCCV, MPLS-TP G-ACh).
    case associatedChannel(channelType: UInt16)
    case udp
    case tcp

    /// The word used in summaries: `eth`, `vlan 100`, `gre`, `ip` …
    public var name: String {
        switch self {
        case .ethernet: "eth"
        case .linuxSLL: "sll"
        case .linuxSLL2: "sll2"
        case .loopback: "null"
        case .raw: "raw"
        case .vlan(let id, let tpid): tpid == EtherType.vlan ? "vlan \(id)" : "qinq \(id)"
        case .mpls(let label): "mpls \(label)"
        case .ipv4: "ip"
        case .ipv6: "ipv6"
        case .gre(let key): key.map { "gre key \($0)" } ?? "gre"
        case .associatedChannel(let type):
            // Four hex digits, as IANA's registry writes channel types (`ach 0x0022`).
            "ach 0x" + String(repeating: "0", count: 4 - String(type, radix: 16).count) + String(type, radix: 16)
        case .udp: "udp"
        case .tcp: "tcp"
        }
    }

    /// Layers a network engineer thinks of as encapsulation (tags, labels, tunnels), as opposed to
    /// the link header and the innermost IP/transport.
    var isTunnelOrTag: Bool {
        switch self {
        case .vlan, .mpls, .gre, .associatedChannel: true
        default: false
        }
    }
}

/// The stack of layers of one frame, packed into a few words: a 4-bit kind per layer, and the
/// values that some layers carry (VLAN ID, MPLS label, GRE key) in a small inline table. Building
/// it costs a few register operations per layer, and it allocates nothing.
public struct Encapsulation: Sendable {
    public static let capacity = 16
    public static let valueCapacity = 8

    private var kinds: UInt64 = 0
    private var values: InlineArray<8, UInt32> = InlineArray(repeating: 0)
    public private(set) var count = 0
    private var valueCount = 0
    /// Number of IP headers seen; more than one means the BFD/BGP packet was tunnelled.
    public private(set) var ipDepth = 0

    public init() {}

    enum Kind: UInt64 {
        case ethernet, linuxSLL, linuxSLL2, loopback, raw, vlan, qinq, mpls, ipv4, ipv6, gre, greKeyed, udp, tcp
        case associatedChannel
    }

    /// Clears the stack for the next frame without touching the value table's storage.
    @inline(__always)
    mutating func reset() {
        kinds = 0
        count = 0
        valueCount = 0
        ipDepth = 0
    }

    @inline(__always)
    mutating func push(_ layer: EncapsulationLayer, at offset: Int) throws(WireError) {
        switch layer {
        case .ethernet: try pushKind(Kind.ethernet, at: offset)
        case .linuxSLL: try pushKind(Kind.linuxSLL, at: offset)
        case .linuxSLL2: try pushKind(Kind.linuxSLL2, at: offset)
        case .loopback: try pushKind(Kind.loopback, at: offset)
        case .raw: try pushKind(Kind.raw, at: offset)
        case .vlan(let id, let tpid):
            try pushKind(tpid == EtherType.vlan ? Kind.vlan : Kind.qinq, value: UInt32(tpid) << 16 | UInt32(id), at: offset)
        case .mpls(let label): try pushKind(Kind.mpls, value: label, at: offset)
        case .ipv4: try pushKind(Kind.ipv4, at: offset)
        case .ipv6: try pushKind(Kind.ipv6, at: offset)
        case .gre(let key):
            if let key { try pushKind(Kind.greKeyed, value: key, at: offset) } else { try pushKind(Kind.gre, at: offset) }
        case .associatedChannel(let type): try pushKind(Kind.associatedChannel, value: UInt32(type), at: offset)
        case .udp: try pushKind(Kind.udp, at: offset)
        case .tcp: try pushKind(Kind.tcp, at: offset)
        }
    }

    @inline(__always)
    mutating func pushKind(_ kind: Kind, at offset: Int) throws(WireError) {
        guard count < Self.capacity else { throw WireError(.link, .tooDeep, at: offset) }
        if kind == .ipv4 || kind == .ipv6 { ipDepth += 1 }
        kinds |= kind.rawValue << (4 * UInt64(count))
        count += 1
    }

    @inline(__always)
    mutating func pushKind(_ kind: Kind, value: UInt32, at offset: Int) throws(WireError) {
        guard valueCount < Self.valueCapacity else { throw WireError(.link, .tooDeep, at: offset) }
        values[valueCount] = value
        valueCount += 1
        try pushKind(kind, at: offset)
    }

    public subscript(index: Int) -> EncapsulationLayer {
        precondition(index >= 0 && index < count, "layer index out of range")
        return all[index]
    }

    public var all: [EncapsulationLayer] {
        var layers: [EncapsulationLayer] = []
        var valueIndex = 0
        func nextValue() -> UInt32 {
            defer { valueIndex += 1 }
            return values[valueIndex]
        }
        for index in 0..<count {
            switch Kind(rawValue: kinds >> (4 * UInt64(index)) & 0xF)! {
            case .ethernet: layers.append(.ethernet)
            case .linuxSLL: layers.append(.linuxSLL)
            case .linuxSLL2: layers.append(.linuxSLL2)
            case .loopback: layers.append(.loopback)
            case .raw: layers.append(.raw)
            case .vlan, .qinq:
                let value = nextValue()
                layers.append(.vlan(id: UInt16(value & 0xFFFF), tpid: UInt16(value >> 16)))
            case .mpls: layers.append(.mpls(label: nextValue()))
            case .ipv4: layers.append(.ipv4)
            case .ipv6: layers.append(.ipv6)
            case .gre: layers.append(.gre(key: nil))
            case .greKeyed: layers.append(.gre(key: nextValue()))
            case .associatedChannel: layers.append(.associatedChannel(channelType: UInt16(truncatingIfNeeded: nextValue())))
            case .udp: layers.append(.udp)
            case .tcp: layers.append(.tcp)
            }
        }
        return layers
    }

    /// Every layer: `eth/vlan 100/ip/gre/ip/udp`.
    public var path: String { all.map(\.name).joined(separator: "/") }

    /// Only tags and tunnels, as in `vlan 100/gre`; `-` for a plain frame. An IP-in-IP tunnel shows
    /// as `ipip`.
    public var summary: String {
        var words: [String] = []
        var ipSeen = 0
        for layer in all {
            if layer.isTunnelOrTag {
                words.append(layer.name)
            } else if layer == .ipv4 || layer == .ipv6 {
                ipSeen += 1
                if ipSeen > 1, words.last.map({ !$0.hasPrefix("gre") }) ?? true { words.append("ipip") }
            } else if layer == .ethernet, ipSeen > 0 {
                words.append("eth")
            }
        }
        return words.isEmpty ? "-" : words.joined(separator: "/")
    }
}
