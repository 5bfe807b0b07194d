/// The one's-complement sum of RFC 1071, used by IPv4, UDP, TCP and GRE.
public struct InternetChecksum {
    private var sum: UInt64 = 0
    private var odd: UInt8?

    public init() {}

    public mutating func add(_ bytes: ArraySlice<UInt8>) {
        for byte in bytes {
            if let high = odd {
                sum += UInt64(high) << 8 | UInt64(byte)
                odd = nil
            } else {
                odd = byte
            }
        }
    }

    public mutating func add(_ value: UInt16) {
        precondition(odd == nil, "16-bit words are added on even boundaries")
        sum += UInt64(value)
    }

    public mutating func add(_ value: UInt32) {
        add(UInt16(truncatingIfNeeded: value >> 16))
        add(UInt16(truncatingIfNeeded: value))
    }

    public var value: UInt16 {
        var total = sum
        if let high = odd { total += UInt64(high) << 8 }
        while total >> 16 != 0 { total = (total & 0xFFFF) + (total >> 16) }
        return ~UInt16(total)
    }
}
