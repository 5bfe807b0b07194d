/// A throwing reader for NLRI codecs: every short read becomes `bgp.truncated` at the absolute
/// offset, so each family's decoder reads like its RFC diagram without a guard per field.
struct NLRIReader {
    var cursor: ByteCursor
    /// Offset of `cursor.bytes` inside the message body, for the error's byte offset.
    let base: Int

    init(_ bytes: UnsafeRawBufferPointer, base: Int) {
        cursor = ByteCursor(bytes)
        self.base = base
    }

    var remaining: Int { cursor.remaining }
    var offset: Int { base + cursor.offset }

    func truncated(_ needed: Int) -> WireError {
        WireError(.bgp, .truncated(needed: needed, available: cursor.remaining), at: offset)
    }

    mutating func u8() throws(WireError) -> UInt8 {
        guard let value = cursor.readUInt8() else { throw truncated(1) }
        return value
    }

    mutating func u16() throws(WireError) -> UInt16 {
        guard let value = cursor.readUInt16() else { throw truncated(2) }
        return value
    }

    mutating func u24() throws(WireError) -> UInt32 {
        guard cursor.remaining >= 3 else { throw truncated(3) }
        let value = UInt32(cursor.byte(at: 0)) << 16 | UInt32(cursor.byte(at: 1)) << 8 | UInt32(cursor.byte(at: 2))
        _ = cursor.skip(3)
        return value
    }

    mutating func u32() throws(WireError) -> UInt32 {
        guard let value = cursor.readUInt32() else { throw truncated(4) }
        return value
    }

    mutating func u64() throws(WireError) -> UInt64 {
        guard let value = cursor.readUInt64() else { throw truncated(8) }
        return value
    }

    mutating func slice(_ count: Int) throws(WireError) -> UnsafeRawBufferPointer {
        guard let value = cursor.readSlice(count) else { throw truncated(count) }
        return value
    }

    mutating func bytes(_ count: Int) throws(WireError) -> [UInt8] { Array(try slice(count)) }

    /// A sub-reader over the next `count` bytes (a route's own length), consumed here.
    mutating func sub(_ count: Int) throws(WireError) -> NLRIReader {
        let start = offset
        return NLRIReader(try slice(count), base: start)
    }

    /// An address of exactly 4 or 16 bytes (or nil for 0), the form EVPN, MVPN and next hops use.
    mutating func address(byteCount: Int) throws(WireError) -> IPAddress? {
        switch byteCount {
        case 0: return nil
        case 4: return .v4(IPv4Address(try u32()))
        case 16: return .v6(IPv6Address(high: try u64(), low: try u64()))
        default: throw WireError(.bgp, .badPrefixLength(byteCount * 8), at: offset)
        }
    }

    /// A prefix of `bits` bits, its ceil(bits/8) bytes left-aligned into an address.
    mutating func prefix(bits: Int, v6: Bool) throws(WireError) -> IPAddress {
        guard bits >= 0, bits <= (v6 ? 128 : 32) else { throw WireError(.bgp, .badPrefixLength(bits), at: offset) }
        let raw = try slice((bits + 7) / 8)
        return IPAddress(prefixBytes: raw, v6: v6)
    }
}

extension IPAddress {
    /// Left-aligned prefix bytes (at most 4 or 16) into an address, the rest zero. Inlined: it runs
    /// once per prefix, and as a call it cost a third of decoding a unicast prefix list.
    @inline(__always)
    init(prefixBytes raw: UnsafeRawBufferPointer, v6: Bool) {
        if v6 {
            var high: UInt64 = 0, low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(index < raw.count ? raw[index] : 0) }
            for index in 8..<16 { low = low << 8 | UInt64(index < raw.count ? raw[index] : 0) }
            self = .v6(IPv6Address(high: high, low: low))
        } else {
            var value: UInt32 = 0
            for index in 0..<4 { value = value << 8 | UInt32(index < raw.count ? raw[index] : 0) }
            self = .v4(IPv4Address(value))
        }
    }

    /// All 4 or 16 bytes of the address, in network order.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .v4(let v4): out.appendUInt32(v4.value)
        case .v6(let v6):
            out.appendUInt64(v6.high)
            out.appendUInt64(v6.low)
        }
        return out
    }

    /// The first ceil(bits/8) bytes: how NLRI carry a prefix.
    func prefixBytes(bits: Int) -> ArraySlice<UInt8> { bytes.prefix((bits + 7) / 8) }
}
