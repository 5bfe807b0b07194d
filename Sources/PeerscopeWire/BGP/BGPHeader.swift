/// The BGP message header (RFC 4271 §4.1):
///
///     | marker (16 × 0xFF) | length (16) | type (8) |
///
/// Length covers the header; 19–4096, or up to 65535 once both ends negotiated Extended Message
/// (RFC 8654).
public struct BGPHeader: Hashable, Sendable {
    public static let length = 19
    public static let maximumLength = 4096
    public static let extendedMaximumLength = 65535

    /// False when any marker byte is not 0xFF (BGP.MSG.MARKER); kept so the rule can report it.
    public var markerValid: Bool
    public var length: Int
    public var type: BGPMessageType

    public init(length: Int, type: BGPMessageType, markerValid: Bool = true) {
        self.length = length
        self.type = type
        self.markerValid = markerValid
    }

    /// Reads a header at the cursor; a short buffer is `.truncated`, a length below 19 an error.
    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> BGPHeader {
        let start = cursor.offset
        guard cursor.remaining >= length else {
            throw WireError(.bgp, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        let marker = cursor.word64(at: 0) & cursor.word64(at: 8)
        let declared = Int(cursor.word16(at: 16))
        let type = BGPMessageType(rawValue: cursor.byte(at: 18))
        cursor.offset += length
        guard declared >= length else {
            throw WireError(.bgp, .lengthTooSmall(declared: declared, minimum: length), at: start + 16)
        }
        return BGPHeader(length: declared, type: type, markerValid: marker == .max)
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.append(contentsOf: repeatElement(markerValid ? 0xFF : 0x00, count: 16))
        bytes.appendUInt16(UInt16(truncatingIfNeeded: length))
        bytes.append(type.rawValue)
    }
}

/// The message types (RFC 4271 §4.1; ROUTE-REFRESH RFC 2918). Unknown values are kept.
public enum BGPMessageType: Hashable, Sendable, CustomStringConvertible {
    case open, update, notification, keepalive, routeRefresh
    case unknown(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .open
        case 2: self = .update
        case 3: self = .notification
        case 4: self = .keepalive
        case 5: self = .routeRefresh
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .open: 1
        case .update: 2
        case .notification: 3
        case .keepalive: 4
        case .routeRefresh: 5
        case .unknown(let value): value
        }
    }

    public var description: String {
        switch self {
        case .open: "OPEN"
        case .update: "UPDATE"
        case .notification: "NOTIFICATION"
        case .keepalive: "KEEPALIVE"
        case .routeRefresh: "ROUTE-REFRESH"
        case .unknown(let value): "type \(value)"
        }
    }
}
