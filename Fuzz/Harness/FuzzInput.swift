/// Reads a fuzzer's bytes as a sequence of choices. Never traps: past the end every read gives
/// zero or an empty slice, so any input — however short — is a valid program for a target.
public struct FuzzInput {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset >= bytes.count }
    public var remaining: Int { max(0, bytes.count - offset) }

    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    public mutating func uint32() -> UInt32 { UInt32(uint16()) << 16 | UInt32(uint16()) }

    /// Up to `count` bytes (fewer at the end), as a view into the input.
    public mutating func slice(_ count: Int) -> UnsafeRawBufferPointer {
        let taken = min(max(0, count), remaining)
        defer { offset += taken }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + taken)])
    }

    /// Everything not read yet.
    public mutating func rest() -> UnsafeRawBufferPointer { slice(remaining) }
}

/// A broken invariant is a crash on purpose: libFuzzer keeps the input, and the replay test fails.
@inline(never)
public func fuzzInvariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                          file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
}
