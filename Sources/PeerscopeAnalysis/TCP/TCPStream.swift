import PeerscopeWire

/// What one direction of a TCP connection delivers to the protocol above it, in order.
public enum TCPStreamEvent: Sendable, Equatable {
    /// Bytes in sequence order (each byte delivered once: the first copy seen wins).
    case data([UInt8])
    /// `missing` bytes the capture never showed: the reader above must resynchronise.
    case hole(missing: Int)
    case fin
    case reset
    /// A retransmission carried `bytes` that differ from the copy already delivered (the first
    /// copy was kept, as a receiver's stack keeps it).
    case conflict(bytes: Int)
}

/// Reassembles one direction of a TCP connection (RFC 9293 sequence arithmetic): in-order data is
/// passed through; out-of-order segments wait in a bounded buffer; retransmissions and overlaps
/// deliver only their new bytes; a gap that never fills becomes a `.hole` so the BGP framer can
/// resynchronise on the next marker. A connection already open when the capture starts begins at
/// its first data segment.
public struct TCPStream: Sendable {
    /// Most bytes held out of order before the oldest gap is declared a hole.
    public let bufferLimit: Int
    public private(set) var nextSequence: UInt32?
    public private(set) var retransmittedBytes = 0
    public private(set) var holes = 0
    public private(set) var bufferOverflows = 0
    public private(set) var conflictingBytes = 0
    private var pending: [UInt32: [UInt8]] = [:]
    /// The latest delivered bytes (up to `recentLimit`), to compare retransmissions against.
    private var recent: [UInt8] = []
    private static let recentLimit = 8_192
    private var pendingBytes = 0
    private var finished = false

    public init(bufferLimit: Int = 1 << 20) {
        self.bufferLimit = bufferLimit
    }

    /// Signed distance from `b` to `a` in sequence space.
    @inline(__always)
    static func distance(_ a: UInt32, _ b: UInt32) -> Int { Int(Int32(bitPattern: a &- b)) }

    /// Feeds one segment; returns what became deliverable.
    public mutating func segment(sequence: UInt32, flags: TCPFlags, payload: UnsafeRawBufferPointer) -> [TCPStreamEvent] {
        var events: [TCPStreamEvent] = []
        if flags.contains(.rst) {
            // Only the first RST or FIN ends the stream; retransmissions of them are not news.
            if !finished { events.append(.reset) }
            finished = true
            return events
        }
        var sequence = sequence
        if flags.contains(.syn) {
            nextSequence = sequence &+ 1
            sequence &+= 1
        }
        if nextSequence == nil, !payload.isEmpty { nextSequence = sequence }
        if var next = nextSequence, !payload.isEmpty {
            var bytes = payload
            let offset = Self.distance(sequence, next)
            if offset < 0 {
                // Retransmission or overlap: only bytes beyond what was delivered are new.
                let overlap = min(-offset, bytes.count)
                retransmittedBytes += overlap
                let differing = compareWithRecent(bytes, behind: -offset, count: overlap)
                if differing > 0 {
                    conflictingBytes += differing
                    events.append(.conflict(bytes: differing))
                }
                bytes = UnsafeRawBufferPointer(rebasing: bytes[overlap...])
                sequence = next
            }
            if !bytes.isEmpty {
                if sequence == next {
                    remember(bytes)
                    events.append(.data(Array(bytes)))
                    next &+= UInt32(bytes.count)
                    events += drain(&next)
                } else if pending[sequence] == nil || pending[sequence]!.count < bytes.count {
                    pendingBytes += bytes.count - (pending[sequence]?.count ?? 0)
                    pending[sequence] = Array(bytes)
                    while pendingBytes > bufferLimit {
                        bufferOverflows += 1
                        events += skipToEarliest(&next)
                    }
                }
            }
            nextSequence = next
        }
        if flags.contains(.fin) {
            if var next = nextSequence, !pending.isEmpty {
                // The connection ends with a gap: what is buffered follows a hole.
                while !pending.isEmpty { events += skipToEarliest(&next) }
                nextSequence = next
            }
            if !finished { events.append(.fin) }
            finished = true
        }
        return events
    }

    /// The other direction acknowledged up to `ack`: the peer received every byte below it, so any
    /// of them the capture lacks are lost to the capture for good — a hole now, not at the FIN.
    /// (Wireshark calls this "ACKed segment that wasn't captured".)
    public mutating func acknowledged(_ ack: UInt32) -> [TCPStreamEvent] {
        guard !finished, var next = nextSequence, Self.distance(ack, next) > 0 else { return [] }
        var events: [TCPStreamEvent] = []
        while Self.distance(ack, next) > 0 {
            // The earliest buffered segment that starts below `ack`, else `ack` itself.
            let earliest = pending.keys.filter { Self.distance($0, ack) < 0 }
                .min { Self.distance($0, next) < Self.distance($1, next) }
            let target = earliest ?? ack
            let missing = Self.distance(target, next)
            if missing > 0 {
                holes += 1
                events.append(.hole(missing: missing))
                next = target
            }
            events += drain(&next)
            if earliest == nil { break }
        }
        nextSequence = next
        return events
    }

    /// At the end of the capture: whatever is still buffered follows holes.
    public mutating func flush() -> [TCPStreamEvent] {
        guard var next = nextSequence else { return [] }
        var events: [TCPStreamEvent] = []
        while !pending.isEmpty { events += skipToEarliest(&next) }
        nextSequence = next
        return events
    }

    private mutating func remember(_ bytes: UnsafeRawBufferPointer) {
        recent.append(contentsOf: bytes.suffix(Self.recentLimit))
        if recent.count > Self.recentLimit * 2 { recent.removeFirst(recent.count - Self.recentLimit) }
    }

    /// Compares the first `count` bytes of a retransmission that starts `behind` bytes before the
    /// next expected byte with what was delivered; bytes older than the window are not judged.
    private func compareWithRecent(_ bytes: UnsafeRawBufferPointer, behind: Int, count: Int) -> Int {
        guard behind <= recent.count else { return 0 }
        let start = recent.count - behind
        var differing = 0
        for index in 0..<count where recent[start + index] != bytes[index] { differing += 1 }
        return differing
    }

    private mutating func drain(_ next: inout UInt32) -> [TCPStreamEvent] {
        var events: [TCPStreamEvent] = []
        while true {
            // A buffered segment may start at or before `next` (overlapping what was delivered).
            guard let start = pending.keys.first(where: { Self.distance($0, next) <= 0
                      && Self.distance($0 &+ UInt32(pending[$0]!.count), next) > 0 })
                ?? pending.keys.first(where: { $0 == next })
            else {
                // Drop buffered segments entirely behind `next`.
                for key in pending.keys where Self.distance(key &+ UInt32(pending[key]!.count), next) <= 0 {
                    pendingBytes -= pending[key]!.count
                    retransmittedBytes += pending[key]!.count
                    pending[key] = nil
                }
                return events
            }
            let bytes = pending.removeValue(forKey: start)!
            pendingBytes -= bytes.count
            let skip = -Self.distance(start, next)
            retransmittedBytes += skip
            let fresh = Array(bytes[skip...])
            fresh.withUnsafeBytes { remember($0) }
            events.append(.data(fresh))
            next &+= UInt32(fresh.count)
        }
    }

    private mutating func skipToEarliest(_ next: inout UInt32) -> [TCPStreamEvent] {
        guard let earliest = pending.keys.min(by: { Self.distance($0, next) < Self.distance($1, next) }) else { return [] }
        let missing = max(0, Self.distance(earliest, next))
        holes += 1
        next = earliest
        return [.hole(missing: missing)] + drain(&next)
    }
}
