/// One MPLS label stack entry (RFC 3032 §2.1):
///
///     | label (20) | TC (3) | S (1) | TTL (8) |
public struct MPLSLabelStackEntry: Hashable, Sendable {
    public static let length = 4

    public var label: UInt32
    public var trafficClass: UInt8
    public var bottomOfStack: Bool
    public var ttl: UInt8

    public init(label: UInt32, trafficClass: UInt8 = 0, bottomOfStack: Bool, ttl: UInt8 = 64) {
        self.label = label
        self.trafficClass = trafficClass
        self.bottomOfStack = bottomOfStack
        self.ttl = ttl
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> MPLSLabelStackEntry {
        let start = cursor.offset
        guard let word = cursor.readUInt32() else {
            throw WireError(.mpls, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        return MPLSLabelStackEntry(label: word >> 12, trafficClass: UInt8(word >> 9 & 0x7),
                                   bottomOfStack: word & 0x100 != 0, ttl: UInt8(word & 0xFF))
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt32((label & 0xFFFFF) << 12 | UInt32(trafficClass & 0x7) << 9
                           | (bottomOfStack ? 0x100 : 0) | UInt32(ttl))
    }
}
