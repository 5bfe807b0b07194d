import PeerscopeWire

/// Cuts a reassembled BMP byte stream into messages (RFC 7854 §4.1: version 3, a 32-bit length
/// that includes the 6-octet common header). After a hole, or on a connection picked up
/// mid-stream, it resynchronises on the next plausible header: version 3, a known type and a
/// length between the header and `maximumLength`.
public struct BMPFramer: Sendable {
    /// No BMP message needs more: a Route Monitoring message is at most a per-peer header plus an
    /// extended BGP message (RFC 8654), and Peer Up two OPENs plus TLVs.
    public static let maximumLength = 1 << 20
    private var buffer: [UInt8] = []
    private var start = 0
    private var synchronised: Bool
    public private(set) var skippedBytes = 0

    public init(startsAtMessageBoundary: Bool = true) { synchronised = startsAtMessageBoundary }

    /// Bytes not yet returned as a message (a partial message, or data not yet recognised).
    public var bufferedBytes: Int { buffer.count - start }

    public mutating func append(_ bytes: [UInt8]) {
        if start > 65_536, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer += bytes
    }

    public mutating func hole() {
        skippedBytes += buffer.count - start
        buffer.removeAll(keepingCapacity: true)
        start = 0
        synchronised = false
    }

    /// The next whole message, or nil until more bytes arrive.
    public mutating func next() -> [UInt8]? {
        while true {
            if !synchronised {
                while buffer.count - start >= BMPMessage.headerLength, !plausible(at: start) {
                    start += 1
                    skippedBytes += 1
                }
                guard buffer.count - start >= BMPMessage.headerLength else { return nil }
                synchronised = true
            }
            guard buffer.count - start >= BMPMessage.headerLength else { return nil }
            guard plausible(at: start) else {
                // A header that cannot be one: hunt for the next.
                synchronised = false
                continue
            }
            let length = declaredLength(at: start)
            guard buffer.count - start >= length else { return nil }
            let message = Array(buffer[start..<(start + length)])
            start += length
            return message
        }
    }

    private func declaredLength(at index: Int) -> Int {
        Int(buffer[index + 1]) << 24 | Int(buffer[index + 2]) << 16 | Int(buffer[index + 3]) << 8 | Int(buffer[index + 4])
    }

    private func plausible(at index: Int) -> Bool {
        let length = declaredLength(at: index)
        return buffer[index] == BMPMessage.version && buffer[index + 5] <= 6
            && length >= BMPMessage.headerLength && length <= Self.maximumLength
    }
}
