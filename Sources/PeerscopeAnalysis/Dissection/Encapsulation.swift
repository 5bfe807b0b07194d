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
        case .udp: "udp"
        case .tcp: "tcp"
        }
    }

    /// Layers a network engineer thinks of as encapsulation (tags, labels, tunnels), as opposed to
    /// the link header and the innermost IP/transport.
    var isTunnelOrTag: Bool {
        switch self {
        case .vlan, .mpls, .gre: true
        default: false
        }
    }
}

/// The stack of layers of one frame, held inline (no allocation per frame).
public struct Encapsulation: Sendable {
    public static let capacity = 16
    private var layers: InlineArray<16, EncapsulationLayer>
    public private(set) var count: Int
    /// Number of IP headers seen; more than one means the BFD/BGP packet was tunnelled.
    public private(set) var ipDepth: Int

    public init() {
        layers = InlineArray(repeating: .raw)
        count = 0
        ipDepth = 0
    }

    mutating func push(_ layer: EncapsulationLayer, at offset: Int) throws(WireError) {
        guard count < Self.capacity else { throw WireError(.link, .tooDeep, at: offset) }
        layers[count] = layer
        count += 1
        if layer == .ipv4 || layer == .ipv6 { ipDepth += 1 }
    }

    public subscript(index: Int) -> EncapsulationLayer {
        precondition(index >= 0 && index < count, "layer index out of range")
        return layers[index]
    }

    public var all: [EncapsulationLayer] { (0..<count).map { layers[$0] } }

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
