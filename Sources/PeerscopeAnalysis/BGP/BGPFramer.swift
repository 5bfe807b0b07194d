import PeerscopeWire

/// Cuts a reassembled TCP byte stream into BGP messages, the way an incremental parser does:
/// `append` bytes, then `next()` returns whole messages until it needs more. After a hole (or at a
/// connection picked up mid-stream) it resynchronises on the next plausible header: the 16-byte
/// all-ones marker, a length of 19–`maximumLength` and a known type.
///
/// A header whose length exceeds `maximumLength` (4,096 unless both OPENs carried Extended Message)
/// is what RFC 4271 §6.1 and RFC 8654 §4 call a Bad Message Length: the receiver sends a
/// NOTIFICATION and closes, so the length is not used to frame. The framer returns that header
/// alone (its 19 bytes: the decoder reports Bad Message Length with the length field, as the
/// NOTIFICATION's data would) and hunts for the next header after it.
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
    /// Stream positions where a hole fell after bytes not yet framed: messages completed before
    /// one are still read; the message that spans it is dropped and framing resynchronises there.
    private var cuts: [Int] = []
    public private(set) var resynchronisations = 0
    /// Bytes thrown away while looking for a marker.
    public private(set) var skippedBytes = 0
    /// The longest message the receiver accepts: 4,096 (RFC 4271 §4.1) until both ends agreed on
    /// Extended Message (RFC 8654 §4), then 65,535. On a connection picked up mid-stream the OPENs
    /// are unknown, so 65,535 until the stream tracker learns otherwise.
    public var maximumLength: Int
    /// Headers longer than `maximumLength` (Bad Message Length), each returned as its header alone.
    public private(set) var badLengths = 0

    public init(startsAtMessageBoundary: Bool = true) {
        synchronised = startsAtMessageBoundary
        maximumLength = startsAtMessageBoundary ? BGPHeader.maximumLength : BGPHeader.extendedMaximumLength
    }

    public mutating func append(_ bytes: [UInt8], from origin: TCPSegmentOrigin = .unstamped) {
        compact()
        buffer += bytes
        origins.append((dropped + buffer.count, origin))
        // Runs wholly before the unread bytes (skipped while hunting for a marker) are not needed.
        _ = self.origin(ofByte: dropped + start)
    }

    /// Forgets bytes already read once they are most of the buffer. A fresh array, not
    /// `removeFirst`: that keeps the capacity, and a drain of a whole reassembly window (1 MiB)
    /// would stay allocated per connection (issue 12 item 5); so what a framer holds between
    /// segments is at most one message (≤ 65,535 bytes) plus 64 KiB already read.
    private mutating func compact() {
        guard start > 65_536, start * 2 > buffer.count else { return }
        buffer = Array(buffer[start...])
        dropped += start
        start = 0
    }

    /// Bytes of a message begun but not completed (what a capture that ends here lost), or of
    /// data not yet recognised as a message.
    public var bufferedBytes: Int { buffer.count - start }

    /// The stream lost bytes: drop the partial message and look for the next header. Whole
    /// messages appended before the hole and not yet read are still returned by `next()`.
    public mutating func hole() {
        if buffer.count > start {
            cuts.append(dropped + buffer.count)
            return
        }
        cuts.removeAll()
        skippedBytes += buffer.count - start
        dropped += buffer.count
        buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
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
        guard let message = nextMessage() else { return nil }
        return Array(buffer[message])
    }

    /// Where the next whole message lies in the buffer, or nil until more bytes arrive; read it
    /// with `withBytes(of:)` before the next `append`. Spares the stream tracker a copy of every
    /// message. Compacts the buffer only when it returns nil, so a returned range stays valid.
    mutating func nextMessage() -> Range<Int>? {
        while true {
            if !synchronised {
                guard resynchronise() else {
                    compact()
                    return nil
                }
            }
            if skipToCut(ifBefore: BGPHeader.length) { continue }
            guard buffer.count - start >= BGPHeader.length else {
                compact()
                return nil
            }
            let length = Int(buffer[start + 16]) << 8 | Int(buffer[start + 17])
            guard length >= BGPHeader.length else {
                // A corrupt length: skip this marker and hunt for the next one.
                start += 1
                skippedBytes += 1
                synchronised = false
                continue
            }
            if length > maximumLength {
                // RFC 8654 §4 / RFC 4271 §6.1: Bad Message Length. The header alone is the message
                // the receiver rejects; what follows is hunted for a header, not framed by it.
                badLengths += 1
                let header = start..<(start + BGPHeader.length)
                lastMessageOrigin = origin(ofByte: dropped + start + BGPHeader.length - 1)
                start += BGPHeader.length
                synchronised = false
                return header
            }
            if skipToCut(ifBefore: length) { continue }
            guard buffer.count - start >= length else {
                compact()
                return nil
            }
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

    /// When the next `count` bytes would cross a hole, they are not a message: skip to the hole
    /// and hunt for a header after it.
    private mutating func skipToCut(ifBefore count: Int) -> Bool {
        guard let cut = cuts.first, dropped + start + count > cut else { return false }
        cuts.removeFirst()
        let skip = max(0, cut - dropped - start)
        skippedBytes += skip
        start += skip
        synchronised = false
        return true
    }

    private mutating func resynchronise() -> Bool {
        while buffer.count - start >= BGPHeader.length {
            if skipToCut(ifBefore: BGPHeader.length) { continue }
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
        return length >= BGPHeader.length && length <= maximumLength && (1...5).contains(type)
    }
}
