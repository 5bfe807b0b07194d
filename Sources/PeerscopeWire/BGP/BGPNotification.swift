/// BGP NOTIFICATION (RFC 4271 §4.5): error code, subcode and data; for Cease with subcode 2
/// (Administrative Shutdown) or 4 (Administrative Reset) the data may be an RFC 9003 shutdown
/// communication (a length byte, then UTF-8 text).
public struct BGPNotification: Hashable, Sendable, CustomStringConvertible {
    public var code: UInt8
    public var subcode: UInt8
    public var data: [UInt8]

    public init(code: UInt8, subcode: UInt8, data: [UInt8] = []) {
        self.code = code
        self.subcode = subcode
        self.data = data
    }

    public static func decode(_ body: UnsafeRawBufferPointer) throws(WireError) -> BGPNotification {
        guard body.count >= 2 else { throw WireError(.bgp, .truncated(needed: 2, available: body.count), at: 0) }
        return BGPNotification(code: body[0], subcode: body[1], data: Array(body.dropFirst(2)))
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.append(code)
        bytes.append(subcode)
        bytes += data
    }

    /// RFC 9003 text, when the data holds a well-formed shutdown communication.
    public var shutdownCommunication: String? {
        guard code == 6, subcode == 2 || subcode == 4, let length = data.first, Int(length) <= data.count - 1, length > 0
        else { return nil }
        return String(validating: data[1...Int(length)], as: UTF8.self)
    }

    public var codeName: String {
        switch code {
        case 1: "Message Header Error"
        case 2: "OPEN Message Error"
        case 3: "UPDATE Message Error"
        case 4: "Hold Timer Expired"
        case 5: "Finite State Machine Error"
        case 6: "Cease"
        case 7: "ROUTE-REFRESH Message Error"
        default: "Error \(code)"
        }
    }

    /// Subcode names of RFC 4271, RFC 4486, RFC 8203/9003 and RFC 9384 (BFD Down).
    public var subcodeName: String? {
        switch (code, subcode) {
        case (1, 1): "Connection Not Synchronized"
        case (1, 2): "Bad Message Length"
        case (1, 3): "Bad Message Type"
        case (2, 1): "Unsupported Version Number"
        case (2, 2): "Bad Peer AS"
        case (2, 3): "Bad BGP Identifier"
        case (2, 4): "Unsupported Optional Parameter"
        case (2, 6): "Unacceptable Hold Time"
        case (2, 7): "Unsupported Capability"
        case (3, 1): "Malformed Attribute List"
        case (3, 2): "Unrecognized Well-known Attribute"
        case (3, 3): "Missing Well-known Attribute"
        case (3, 4): "Attribute Flags Error"
        case (3, 5): "Attribute Length Error"
        case (3, 6): "Invalid ORIGIN Attribute"
        case (3, 8): "Invalid NEXT_HOP Attribute"
        case (3, 9): "Optional Attribute Error"
        case (3, 10): "Invalid Network Field"
        case (3, 11): "Malformed AS_PATH"
        case (6, 1): "Maximum Number of Prefixes Reached"
        case (6, 2): "Administrative Shutdown"
        case (6, 3): "Peer De-configured"
        case (6, 4): "Administrative Reset"
        case (6, 5): "Connection Rejected"
        case (6, 6): "Other Configuration Change"
        case (6, 7): "Connection Collision Resolution"
        case (6, 8): "Out of Resources"
        case (6, 9): "Hard Reset"
        case (6, 10): "BFD Down"
        default: nil
        }
    }

    public var description: String {
        var text = "\(codeName) (\(code))"
        text += subcodeName.map { ", \($0) (\(subcode))" } ?? ", subcode \(subcode)"
        if let message = shutdownCommunication { text += ": \"\(message)\"" }
        return text
    }
}
