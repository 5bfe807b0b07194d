/// Which BFD service a UDP packet belongs to, by its well-known port.
public enum BFDTransport: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// RFC 5881: single-hop control, UDP 3784.
    case singleHop
    /// RFC 5881 §4: echo, UDP 3785; the payload is private to the sender.
    case echo
    /// RFC 5883: multihop control, UDP 4784.
    case multihop
    /// RFC 7130: micro-BFD on LAG members, UDP 6784.
    case microBFD
    /// RFC 7881: Seamless BFD control, UDP 7784 (reflector replies come back from 7784).
    case seamless

    public static let singleHopPort: UInt16 = 3784
    public static let echoPort: UInt16 = 3785
    public static let multihopPort: UInt16 = 4784
    public static let microBFDPort: UInt16 = 6784
    public static let seamlessPort: UInt16 = 7784

    /// Classifies by destination port, then by source port (S-BFD reflector replies come from 7784,
    /// and a sender that swapped its ports is still BFD, just non-conformant), as Wireshark does.
    @inlinable
    public static func classify(sourcePort: UInt16, destinationPort: UInt16) -> BFDTransport? {
        byPort(destinationPort) ?? byPort(sourcePort)
    }

    @inlinable
    static func byPort(_ port: UInt16) -> BFDTransport? {
        switch port {
        case singleHopPort: .singleHop
        case echoPort: .echo
        case multihopPort: .multihop
        case microBFDPort: .microBFD
        case seamlessPort: .seamless
        default: nil
        }
    }

    public var isControl: Bool { self != .echo }

    public var wellKnownPort: UInt16 {
        switch self {
        case .singleHop: Self.singleHopPort
        case .echo: Self.echoPort
        case .multihop: Self.multihopPort
        case .microBFD: Self.microBFDPort
        case .seamless: Self.seamlessPort
        }
    }

    public var description: String {
        switch self {
        case .singleHop: "single-hop"
        case .echo: "echo"
        case .multihop: "multihop"
        case .microBFD: "micro-bfd"
        case .seamless: "s-bfd"
        }
    }
}
