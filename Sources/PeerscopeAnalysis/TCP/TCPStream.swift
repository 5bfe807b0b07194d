import PeerscopeWire

/// What one direction of a TCP connection delivers to the protocol above it, in order.
public enum TCPStreamEvent: Sendable, Equatable {
    /// Bytes in sequence order (each byte delivered once: the first copy seen wins), with the
    /// frame that carried them: data released after a gap keeps its own frame and time.
    case data([UInt8], from: TCPSegmentOrigin)
    /// `missing` bytes the capture never showed: the reader above must resynchronise.
    case hole(missing: Int)
    case fin
    case reset
    /// A retransmission carried `bytes` that differ from the copy already delivered (the first
    /// copy was kept, as a receiver's stack keeps it).
    case conflict(bytes: Int)
}

/// The frame and time a segment was captured at.
public struct TCPSegmentOrigin: Sendable, Hashable {
    public var frameNumber: Int
    public var timeNanoseconds: Int64

    public init(frameNumber: Int, timeNanoseconds: Int64) {
        self.frameNumber = frameNumber
        self.timeNanoseconds = timeNanoseconds
    }

    /// For callers (tests) that do not track frames.
    public static let unstamped = TCPSegmentOrigin(frameNumber: 0, timeNanoseconds: 0)
}

/// Reassembles one direction of a TCP connection (RFC 9293 sequence arithmetic): in-order data is
/// passed through; out-of-order segments wait in a bounded buffer; retransmissions and overlaps
/// deliver only their new bytes; a gap that never fills becomes a `.hole` so the BGP framer can
/// resynchronise on the next marker. A connection already open when the capture starts begins at
/// its first data segment.
public struct TCPStream: Sendable {
    /// A segment waiting for the gap before it to fill.
    private struct Pending: Sendable {
        var start: UInt32
        var bytes: [UInt8]
        var origin: TCPSegmentOrigin
    }

    /// Most bytes held out of order before the oldest gap is declared a hole.
    public let bufferLimit: Int
    public private(set) var nextSequence: UInt32?
    public private(set) var retransmittedBytes = 0
    public private(set) var holes = 0
    public private(set) var bufferOverflows = 0
    public private(set) var conflictingBytes = 0
    /// Waiting segments by start (one per start), with their starts in a min-heap ordered in
    /// sequence space: the earliest is found in O(1) and each segment is stored and released in
    /// O(log n), whatever order the segments arrive in (issue 12: rescanning every buffered
    /// segment per in-order segment made 40,000 one-byte segments quadratic).
    private var pending: [UInt32: Pending] = [:]
    private var starts = SequenceHeap()
    /// The latest delivered bytes (up to `recentLimit`), to compare retransmissions against.
    private var recent: [UInt8] = []
    private static let recentLimit = 8_192
    /// Bytes waiting behind a gap.
    public private(set) var pendingBytes = 0
    private var finished = false

    public init(bufferLimit: Int = 1 << 20) {
        self.bufferLimit = bufferLimit
    }

    /// Signed distance from `b` to `a` in sequence space.
    @inline(__always)
    static func distance(_ a: UInt32, _ b: UInt32) -> Int { Int(Int32(bitPattern: a &- b)) }

    /// Segments waiting behind a gap.
    public var pendingSegments: Int { pending.count }

    /// Feeds one segment; returns what became deliverable.
    public mutating func segment(sequence: UInt32, flags: TCPFlags, payload: UnsafeRawBufferPointer,
                                 origin: TCPSegmentOrigin = .unstamped) -> [TCPStreamEvent] {
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
                    events.append(.data(Array(bytes), from: origin))
                    next &+= UInt32(truncatingIfNeeded: bytes.count)
                    events += drain(&next)
                } else {
                    store(Pending(start: sequence, bytes: Array(bytes), origin: origin))
                    while pendingBytes > bufferLimit {
                        bufferOverflows += 1
                        events += skipToEarliest(&next)
                    }
                }
            }
            nextSequence = next
        }
        if flags.contains(.fin) {
            if var next = nextSequence, pendingSegments > 0 {
                // The connection ends with a gap: what is buffered follows a hole.
                while pendingSegments > 0 { events += skipToEarliest(&next) }
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
            // The earliest buffered segment if it starts below `ack`, else `ack` itself.
            let earliest = starts.minimum.flatMap { Self.distance($0, ack) < 0 ? $0 : nil }
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

    /// At the end of the capture: whatever is still buffered follows holes, and is delivered with
    /// the frames that carried it.
    public mutating func flush() -> [TCPStreamEvent] {
        guard var next = nextSequence else { return [] }
        var events: [TCPStreamEvent] = []
        while pendingSegments > 0 { events += skipToEarliest(&next) }
        nextSequence = next
        return events
    }

    /// Keeps a waiting segment; a second copy of a start is kept only if it is longer.
    private mutating func store(_ segment: Pending) {
        if let existing = pending[segment.start] {
            guard existing.bytes.count < segment.bytes.count else { return }
            pendingBytes += segment.bytes.count - existing.bytes.count
        } else {
            pendingBytes += segment.bytes.count
            starts.insert(segment.start)
        }
        pending[segment.start] = segment
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

    /// Delivers the waiting segments that now continue the stream, earliest first.
    private mutating func drain(_ next: inout UInt32) -> [TCPStreamEvent] {
        var events: [TCPStreamEvent] = []
        // If the earliest waiting segment starts beyond `next`, so does every other one.
        while let start = starts.minimum, Self.distance(start, next) <= 0 {
            starts.removeMinimum()
            guard let waiting = pending.removeValue(forKey: start) else { continue }
            pendingBytes -= waiting.bytes.count
            let skip = -Self.distance(start, next)
            if skip >= waiting.bytes.count {
                // Entirely behind `next`: a retransmission of bytes already delivered.
                retransmittedBytes += waiting.bytes.count
                continue
            }
            retransmittedBytes += skip
            let fresh = Array(waiting.bytes[skip...])
            fresh.withUnsafeBytes { remember($0) }
            events.append(.data(fresh, from: waiting.origin))
            next &+= UInt32(truncatingIfNeeded: fresh.count)
        }
        return events
    }

    private mutating func skipToEarliest(_ next: inout UInt32) -> [TCPStreamEvent] {
        guard let earliest = starts.minimum else { return [] }
        let missing = max(0, Self.distance(earliest, next))
        holes += 1
        next = earliest
        return [.hole(missing: missing)] + drain(&next)
    }
}

/// A binary min-heap of sequence numbers compared in sequence space (RFC 9293 §3.4: valid while
/// they all lie within 2^31 of each other, as a reassembly window does).
struct SequenceHeap: Sendable {
    private var items: [UInt32] = []

    var minimum: UInt32? { items.first }

    @inline(__always)
    private static func before(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) < 0 }

    mutating func insert(_ value: UInt32) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeMinimum() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, Self.before(items[left], items[smallest]) { smallest = left }
            if right < items.count, Self.before(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
