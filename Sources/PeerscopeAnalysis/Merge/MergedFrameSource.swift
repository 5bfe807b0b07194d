import PeerscopeCapture
import PeerscopeWire

/// Several capture points of one event read as one capture (`--merge`): frames in time order
/// across the files, numbered 1… in that order (as `mergecap` would write them), and a packet that
/// two points both saw handed out once, from the point that saw it first.
///
/// What identifies one packet across capture points: the link layer differs (each point has its own
/// MACs, tags, tunnels) and so do the TTL/Hop Limit and the IPv4 header checksum (decremented by
/// every router between the points), so the identity is the innermost IP source and destination,
/// the whole transport header (ports, UDP checksum; TCP sequence, acknowledgment, flags, window,
/// checksum) and the transport payload, seen within `windowNanoseconds` of each other at two
/// different points. A BFD sender repeats identical packets, but at most once per transmit
/// interval (RFC 5880 §6.8.7): a window shorter than the interval never joins two of them, and a
/// point's own repeats are never joined (one point never sees the same packet twice). Frames that are
/// not IP are identified by all their bytes.
///
/// Which point saw which packet is kept only until the window has passed, then folded into
/// `CapturePositions`, so memory stays O(packets per window), not O(capture).
public final class MergedFrameSource: FrameSource {
    public struct Point: Sendable {
        public var path: String
        public var firstTimestampNanoseconds: Int64?
        public var lastTimestampNanoseconds: Int64?
        public var frames = 0
        /// Frames also seen, earlier, at another point and so not handed out again.
        public var duplicates = 0
    }

    private struct Pending {
        var key: Int
        var time: Int64
        var number: Int
        var point: Int
        var seenBy: UInt64
        var direction: CapturePositions.Direction?
    }

    public private(set) var points: [Point]
    public private(set) var positions: CapturePositions
    public let resolution: TimestampResolution
    public let windowNanoseconds: Int64
    /// Frames handed out (unique packets).
    public private(set) var framesHandedOut = 0

    private let readers: [CaptureReader]
    /// Records read from every capture point, whether or not a filter kept them.
    public var framesRead: Int { readers.reduce(0) { $0 + $1.framesRead } }
    private var heads: [Frame?]
    private var ended: [Bool]
    /// The reader whose head was handed out last: it moves on at the next call, not before,
    /// because the frame's bytes borrow that reader's buffer.
    private var advanceBeforeNext: Int?
    private var firstError: CaptureError?
    private var dissection = Dissection()
    private var pendingByKey: [Int: [Int]] = [:]
    /// Pending packets by ascending time; index `pendingStart` is the oldest not yet folded.
    private var pending: [Pending] = []
    private var pendingStart = 0

    /// At most 64 points: which of them saw a packet is a bit set.
    public static let maximumPoints = 64

    public init(paths: [String], filter: String? = nil, windowNanoseconds: Int64) throws(CaptureError) {
        precondition(paths.count <= Self.maximumPoints, "the CLI limits --merge to 64 files")
        var readers: [CaptureReader] = []
        for path in paths { readers.append(try CaptureReader(path: path, filter: filter)) }
        self.readers = readers
        self.windowNanoseconds = windowNanoseconds
        // The coarsest clock of the points bounds every timing tolerance of the merged capture.
        resolution = readers.map(\.resolution).max { $0.nanoseconds < $1.nanoseconds } ?? .unknown
        points = paths.map { Point(path: $0) }
        positions = CapturePositions(points: paths.count)
        heads = Array(repeating: nil, count: readers.count)
        ended = Array(repeating: false, count: readers.count)
        for index in readers.indices { advance(index) }
        for index in readers.indices { points[index].firstTimestampNanoseconds = heads[index]?.timestampNanoseconds }
    }

    public func next() throws(CaptureError) -> Frame? {
        if let index = advanceBeforeNext {
            advanceBeforeNext = nil
            advance(index)
        }
        while true {
            var chosen: Int?
            for index in heads.indices {
                guard let head = heads[index] else { continue }
                if let best = chosen, heads[best]!.timestampNanoseconds <= head.timestampNanoseconds { continue }
                chosen = index
            }
            guard let index = chosen, var frame = heads[index] else {
                fold(before: .max)
                if let firstError { self.firstError = nil; throw firstError }
                return nil
            }
            fold(before: frame.timestampNanoseconds &- windowNanoseconds)
            let (key, direction) = identity(of: frame)
            if let earlier = match(key: key, point: index, time: frame.timestampNanoseconds) {
                pending[earlier].seenBy |= 1 << UInt64(index)
                points[index].duplicates += 1
                advance(index)
                continue
            }
            framesHandedOut += 1
            frame.number = framesHandedOut
            pendingByKey[key, default: []].append(pending.count)
            pending.append(Pending(key: key, time: frame.timestampNanoseconds, number: frame.number, point: index,
                                   seenBy: 1 << UInt64(index), direction: direction))
            advanceBeforeNext = index
            return frame
        }
    }

    private func advance(_ index: Int) {
        guard !ended[index] else { return }
        do {
            heads[index] = try readers[index].next()
        } catch {
            heads[index] = nil
            if firstError == nil { firstError = error }
        }
        if let head = heads[index] {
            points[index].frames += 1
            points[index].lastTimestampNanoseconds = head.timestampNanoseconds
        } else {
            ended[index] = true
        }
    }

    /// The earliest pending packet with this identity, within the window, that `point` has not seen.
    private func match(key: Int, point: Int, time: Int64) -> Int? {
        guard let candidates = pendingByKey[key] else { return nil }
        // Either way round: a file's clock may step back (the gap is then negative).
        for slot in candidates where pending[slot].seenBy & (1 << UInt64(point)) == 0 {
            let gap = time &- pending[slot].time
            if gap <= windowNanoseconds, gap >= -windowNanoseconds { return slot }
        }
        return nil
    }

    /// Folds every pending packet older than `limit` into the position counts: no other point can
    /// still report it.
    private func fold(before limit: Int64) {
        while pendingStart < pending.count, pending[pendingStart].time < limit {
            let packet = pending[pendingStart]
            if let direction = packet.direction {
                positions.record(direction: direction, time: packet.time, frame: packet.number, seenBy: packet.seenBy,
                                 observable: observable(at: packet.time))
            }
            if var slots = pendingByKey[packet.key] {
                slots.removeAll { $0 == pendingStart }
                pendingByKey[packet.key] = slots.isEmpty ? nil : slots
            }
            pendingStart += 1
        }
        // Drop the folded prefix once it dominates, keeping indices in `pendingByKey` valid.
        if pendingStart > 4_096, pendingStart * 2 > pending.count {
            pending.removeFirst(pendingStart)
            let shift = pendingStart
            pendingStart = 0
            for (key, slots) in pendingByKey { pendingByKey[key] = slots.map { $0 - shift } }
        }
    }

    /// The points that were capturing at `time` (between their first and last frame): only they
    /// can be said to have missed a packet. A point's copy may come up to the window later, so
    /// one that started within the window after `time` was capturing too.
    private func observable(at time: Int64) -> UInt64 {
        var mask: UInt64 = 0
        for (index, point) in points.enumerated() {
            guard let first = point.firstTimestampNanoseconds, first <= time &+ windowNanoseconds else { continue }
            if ended[index], let last = point.lastTimestampNanoseconds, last < time { continue }
            mask |= 1 << UInt64(index)
        }
        return mask
    }

    private func identity(of frame: Frame) -> (Int, CapturePositions.Direction?) {
        var hasher = Hasher()
        dissection.reset()
        let dissected = (try? Dissector.dissect(frame.bytes, linkType: frame.linkType, snapped: frame.isTruncated,
                                                into: &dissection)) != nil
        guard dissected, let network = dissection.network else {
            hasher.combine(bytes: frame.bytes)
            return (hasher.finalize(), nil)
        }
        switch dissection.transport {
        case .udp, .tcp:
            hasher.combine(network.source)
            hasher.combine(network.destination)
            hasher.combine(dissection.transport)
            let start = min(max(dissection.payloadOffset, 0), frame.bytes.count)
            let end = min(start + max(dissection.payloadLength, 0), frame.bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: frame.bytes[start..<end]))
        case .otherIP, .notIP, .associatedChannel:
            // Without a payload the dissector located, only all the bytes tell two packets apart
            // (link layers differ, so such frames are never joined: counted twice, never lost).
            hasher.combine(bytes: frame.bytes)
        }
        return (hasher.finalize(), CapturePositions.Direction(source: network.source, destination: network.destination))
    }
}
