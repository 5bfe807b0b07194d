/// A forward-only reader over borrowed bytes, in network byte order.
///
/// Every read returns `nil` instead of trapping when the bytes run out; decoders turn that `nil`
/// into a typed `WireError` that carries the offset, so a short or lying packet never crashes.
/// The cursor never copies: it is a view that lives only as long as the buffer it reads.
public struct ByteCursor {
    public let bytes: UnsafeRawBufferPointer
    public var offset: Int

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    @inlinable @inline(__always)
    public var remaining: Int { bytes.count - offset }

    @inlinable @inline(__always)
    public func peekUInt8(at relative: Int = 0) -> UInt8? {
        let index = offset + relative
        guard relative >= 0, index < bytes.count else { return nil }
        return bytes[index]
    }

    @inlinable @inline(__always)
    public func peekUInt16(at relative: Int = 0) -> UInt16? {
        let index = offset + relative
        guard relative >= 0, index + 2 <= bytes.count else { return nil }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    @inlinable @inline(__always)
    public func peekUInt32(at relative: Int = 0) -> UInt32? {
        let index = offset + relative
        guard relative >= 0, index + 4 <= bytes.count else { return nil }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
    }

    @inlinable @inline(__always)
    public mutating func readUInt8() -> UInt8? {
        guard let value = peekUInt8() else { return nil }
        offset += 1
        return value
    }

    @inlinable @inline(__always)
    public mutating func readUInt16() -> UInt16? {
        guard let value = peekUInt16() else { return nil }
        offset += 2
        return value
    }

    @inlinable @inline(__always)
    public mutating func readUInt32() -> UInt32? {
        guard let value = peekUInt32() else { return nil }
        offset += 4
        return value
    }

    @inlinable @inline(__always)
    public mutating func readUInt64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        let value = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
        return value
    }

    // Unchecked reads: for decoders that checked `remaining` once for a whole fixed header. The
    // caller guarantees `offset + relative + size <= bytes.count`; release builds read directly.

    @inlinable @inline(__always)
    public func byte(at relative: Int) -> UInt8 {
        bytes.load(fromByteOffset: offset + relative, as: UInt8.self)
    }

    @inlinable @inline(__always)
    public func word16(at relative: Int) -> UInt16 {
        UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + relative, as: UInt16.self))
    }

    @inlinable @inline(__always)
    public func word32(at relative: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + relative, as: UInt32.self))
    }

    @inlinable @inline(__always)
    public func word64(at relative: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + relative, as: UInt64.self))
    }

    /// Advances past `count` bytes; `false` (and no move) when fewer remain.
    @inlinable @inline(__always)
    public mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        offset += count
        return true
    }

    /// A view of the next `count` bytes, consumed; `nil` when fewer remain.
    @inlinable @inline(__always)
    public mutating func readSlice(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Everything not yet read, without consuming it.
    @inlinable
    public var rest: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[offset...])
    }
}

/// Appends big-endian integers to a byte array: the encoding half of `ByteCursor`.
extension Array where Element == UInt8 {
    @inlinable
    public mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    public mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(truncatingIfNeeded: value >> 16))
        appendUInt16(UInt16(truncatingIfNeeded: value))
    }

    @inlinable
    public mutating func appendUInt64(_ value: UInt64) {
        appendUInt32(UInt32(truncatingIfNeeded: value >> 32))
        appendUInt32(UInt32(truncatingIfNeeded: value))
    }

    /// Overwrites two bytes at `index` with `value`, big-endian (lengths and checksums filled in late).
    @inlinable
    public mutating func setUInt16(_ value: UInt16, at index: Int) {
        self[index] = UInt8(truncatingIfNeeded: value >> 8)
        self[index + 1] = UInt8(truncatingIfNeeded: value)
    }
}
