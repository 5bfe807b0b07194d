/// Session state as carried in the Sta field (RFC 5880 §4.1). Two bits, so every value is defined.
public enum BFDState: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case adminDown = 0
    case down = 1
    case `init` = 2
    case up = 3

    public var description: String {
        switch self {
        case .adminDown: "AdminDown"
        case .down: "Down"
        case .`init`: "Init"
        case .up: "Up"
        }
    }
}

/// The Diag field (RFC 5880 §4.1; 9 from RFC 6428). Five bits; undefined values are kept, not hidden.
public enum BFDDiagnostic: Hashable, Sendable, CustomStringConvertible {
    case none
    case controlDetectionTimeExpired
    case echoFunctionFailed
    case neighborSignaledSessionDown
    case forwardingPlaneReset
    case pathDown
    case concatenatedPathDown
    case administrativelyDown
    case reverseConcatenatedPathDown
    case misConnectivityDefect
    case unknown(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0: self = .none
        case 1: self = .controlDetectionTimeExpired
        case 2: self = .echoFunctionFailed
        case 3: self = .neighborSignaledSessionDown
        case 4: self = .forwardingPlaneReset
        case 5: self = .pathDown
        case 6: self = .concatenatedPathDown
        case 7: self = .administrativelyDown
        case 8: self = .reverseConcatenatedPathDown
        case 9: self = .misConnectivityDefect
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .none: 0
        case .controlDetectionTimeExpired: 1
        case .echoFunctionFailed: 2
        case .neighborSignaledSessionDown: 3
        case .forwardingPlaneReset: 4
        case .pathDown: 5
        case .concatenatedPathDown: 6
        case .administrativelyDown: 7
        case .reverseConcatenatedPathDown: 8
        case .misConnectivityDefect: 9
        case .unknown(let value): value
        }
    }

    /// True for the codes RFC 5880 (0–8) and RFC 6428 (9) define.
    public var isDefined: Bool {
        if case .unknown = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .none: "No Diagnostic"
        case .controlDetectionTimeExpired: "Control Detection Time Expired"
        case .echoFunctionFailed: "Echo Function Failed"
        case .neighborSignaledSessionDown: "Neighbor Signaled Session Down"
        case .forwardingPlaneReset: "Forwarding Plane Reset"
        case .pathDown: "Path Down"
        case .concatenatedPathDown: "Concatenated Path Down"
        case .administrativelyDown: "Administratively Down"
        case .reverseConcatenatedPathDown: "Reverse Concatenated Path Down"
        case .misConnectivityDefect: "Mis-Connectivity Defect"
        case .unknown(let value): "Reserved (\(value))"
        }
    }
}

/// The six flag bits after Sta (RFC 5880 §4.1): Poll, Final, Control Plane Independent,
/// Authentication Present, Demand, Multipoint.
public struct BFDFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x3F }

    public static let poll = BFDFlags(rawValue: 0x20)
    public static let final = BFDFlags(rawValue: 0x10)
    public static let controlPlaneIndependent = BFDFlags(rawValue: 0x08)
    public static let authenticationPresent = BFDFlags(rawValue: 0x04)
    public static let demand = BFDFlags(rawValue: 0x02)
    public static let multipoint = BFDFlags(rawValue: 0x01)

    private static let letters: [(flag: BFDFlags, letter: Character, name: String)] = [
        (.poll, "P", "Poll"), (.final, "F", "Final"), (.controlPlaneIndependent, "C", "Control Plane Independent"),
        (.authenticationPresent, "A", "Authentication Present"), (.demand, "D", "Demand"), (.multipoint, "M", "Multipoint"),
    ]

    /// Router-style six-character mask, a letter where the bit is set: `P-C---`.
    public var description: String {
        String(Self.letters.map { contains($0.flag) ? $0.letter : "-" })
    }

    /// What the mask's letters mean, in order: the legend of a flags column.
    public static var legend: String {
        "[" + String(letters.map(\.letter)) + "]: " + letters.map { "\($0.letter) \($0.name)" }.joined(separator: ", ") + "; - clear"
    }
}

/// BFD intervals are microseconds on the wire (RFC 5880 §4.1).
public typealias Microseconds = UInt32
