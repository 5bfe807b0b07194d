import PeerscopeWire

/// Cuts a reassembled TCP byte stream into BGP messages, the way an incremental parser does:
/// `append` bytes, then `next()` returns whole messages until it needs more. After a hole (or at a
/// connection picked up mid-stream) it resynchronises on the next plausible header: the 16-byte
/// all-ones marker, a length of 19–65535 and a known type.
public struct BGPFramer: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes dropped from the front of `buffer` so far: `buffer[i]` is stream byte `dropped + i`.
    private var dropped = 0
    /// Where each appended run of bytes ends (stream position, exclusive) and which frame carried
    /// it, from `originHead` on: a message is stamped with the frame that completed it.
    private var origins: [(end: Int, origin: TCPSegmentOrigin)] = []
    private var originHead = 0
    /// The frame that carried the last byte of the message `next()` returned last.
    public private(set) var lastMessageOrigin = TCPSegmentOrigin.unstamped
    private var synchronised: Bool
    public private(set) var resynchronisations = 0
    /// Bytes thrown away while looking for a marker.
    public private(set) var skippedBytes = 0

    public init(startsAtMessageBoundary: Bool = true) {
        synchronised = startsAtMessageBoundary
    }

    public mutating func append(_ bytes: [UInt8], from origin: TCPSegmentOrigin = .unstamped) {
        if start > 65_536, start * 2 > buffer.count {
            buffer.removeFirst(start)
            dropped += start
            start = 0
        }
        buffer += bytes
        origins.append((dropped + buffer.count, origin))
        // Runs wholly before the unread bytes (skipped while hunting for a marker) are not needed.
        _ = self.origin(ofByte: dropped + start)
    }

    /// Bytes of a message begun but not completed (what a capture that ends here lost), or of
    /// data not yet recognised as a message.
    public var bufferedBytes: Int { buffer.count - start }

    /// The stream lost bytes: drop the partial message and look for the next header.
    public mutating func hole() {
        skippedBytes += buffer.count - start
        dropped += buffer.count
        buffer.removeAll(keepingCapacity: true)
        start = 0
        origins.removeAll(keepingCapacity: true)
        originHead = 0
        synchronised = false
    }

    /// The frame that carried stream byte `position` (absolute); older runs are forgotten.
    private mutating func origin(ofByte position: Int) -> TCPSegmentOrigin {
        while originHead < origins.count, origins[originHead].end <= position { originHead += 1 }
        if originHead > 64, originHead * 2 > origins.count {
            origins.removeFirst(originHead)
            originHead = 0
        }
        return originHead < origins.count ? origins[originHead].origin : .unstamped
    }

    /// The next whole message (its bytes, header included), or nil until more bytes arrive.
    public mutating func next() -> [UInt8]? {
        nextMessage().map { Array(buffer[$0]) }
    }

    /// Where the next whole message lies in the buffer, or nil until more bytes arrive; read it
    /// with `withBytes(of:)` before the next `append`. Spares the stream tracker a copy of every
    /// message.
    mutating func nextMessage() -> Range<Int>? {
        while true {
            if !synchronised {
                guard resynchronise() else { return nil }
            }
            guard buffer.count - start >= BGPHeader.length else { return nil }
            let length = Int(buffer[start + 16]) << 8 | Int(buffer[start + 17])
            guard length >= BGPHeader.length else {
                // A corrupt length: skip this marker and hunt for the next one.
                start += 1
                skippedBytes += 1
                synchronised = false
                continue
            }
            guard buffer.count - start >= length else { return nil }
            let message = start..<(start + length)
            lastMessageOrigin = origin(ofByte: dropped + start + length - 1)
            start += length
            return message
        }
    }

    /// The bytes of a message `nextMessage()` returned.
    func withBytes<Result>(of message: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[message])) }
    }

    private mutating func resynchronise() -> Bool {
        while buffer.count - start >= BGPHeader.length {
            if isPlausibleHeader(at: start) {
                synchronised = true
                resynchronisations += 1
                return true
            }
            start += 1
            skippedBytes += 1
        }
        return false
    }

    private func isPlausibleHeader(at index: Int) -> Bool {
        for offset in 0..<16 where buffer[index + offset] != 0xFF { return false }
        let length = Int(buffer[index + 16]) << 8 | Int(buffer[index + 17])
        let type = buffer[index + 18]
        return length >= BGPHeader.length && (1...5).contains(type)
    }
}
