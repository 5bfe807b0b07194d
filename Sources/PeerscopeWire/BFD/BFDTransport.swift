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

    /// Classifies by destination port, and S-BFD reflector replies by source port.
    @inlinable
    public static func classify(sourcePort: UInt16, destinationPort: UInt16) -> BFDTransport? {
        switch destinationPort {
        case singleHopPort: return .singleHop
        case echoPort: return .echo
        case multihopPort: return .multihop
        case microBFDPort: return .microBFD
        case seamlessPort: return .seamless
        default: return sourcePort == seamlessPort ? .seamless : nil
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
