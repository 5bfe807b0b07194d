import PeerscopeWire

/// Where each capture point sat relative to a loss, from which points saw which packet.
///
/// A packet in a capture was sent; it was not necessarily received (CONFORMANCE.md, "Where the
/// capture was taken matters"). With two points on one path, a packet of A→B seen at P and, while Q
/// was capturing, never at Q was lost between them: P sat upstream of the loss, Q downstream. When
/// no packet of that direction reaches Q after the first one missing, the path broke there (a cut);
/// when some still do, the loss is intermittent. A direction Q never saw at all tells nothing about
/// a loss (Q may capture one direction only, as `tcpdump -Q in` does) and is not reported.
public struct CapturePositions: Sendable {
    public struct Direction: Hashable, Sendable {
        public var source: IPAddress
        public var destination: IPAddress

        public init(source: IPAddress, destination: IPAddress) {
            self.source = source
            self.destination = destination
        }
    }

    /// Packets of one direction seen at `upstream` and not at `downstream` (indices of the points).
    public struct Loss: Sendable {
        public var direction: Direction
        public var upstream: Int
        public var downstream: Int
        /// Packets of the direction both points saw, over the whole overlap of their captures.
        public var seenAtBoth = 0
        /// Packets `upstream` saw while `downstream` was capturing, and `downstream` did not.
        public var missing = 0
        public var firstMissingFrame = 0
        public var firstMissingNanoseconds: Int64 = 0
        public var lastMissingFrame = 0
        /// The last packet both saw before the first missing one (nil: none).
        public var lastCommonFrame: Int?
        public var lastCommonNanoseconds: Int64?
        /// Packets both saw after the first missing one: 0 means the path stayed broken.
        public var seenAtBothAfterFirstMissing = 0

        /// True when the loss is a cut: nothing of the direction reached `downstream` after it.
        public var isCut: Bool { seenAtBothAfterFirstMissing == 0 }
    }

    private struct Key: Hashable {
        var direction: Direction
        var upstream: Int
        var downstream: Int
    }

    public let points: Int
    private var pairs: [Key: Loss] = [:]

    public init(points: Int) { self.points = points }

    /// One unique packet: `seenBy` the points that captured it, `observable` the points that were
    /// capturing at that time (bit sets, bit i = point i).
    public mutating func record(direction: Direction, time: Int64, frame: Int, seenBy: UInt64, observable: UInt64) {
        for upstream in 0..<points where seenBy & (1 << UInt64(upstream)) != 0 {
            for downstream in 0..<points where downstream != upstream && observable & (1 << UInt64(downstream)) != 0 {
                let key = Key(direction: direction, upstream: upstream, downstream: downstream)
                var loss = pairs[key] ?? Loss(direction: direction, upstream: upstream, downstream: downstream)
                if seenBy & (1 << UInt64(downstream)) != 0 {
                    loss.seenAtBoth += 1
                    if loss.missing > 0 {
                        loss.seenAtBothAfterFirstMissing += 1
                    } else {
                        loss.lastCommonFrame = frame
                        loss.lastCommonNanoseconds = time
                    }
                } else {
                    if loss.missing == 0 {
                        loss.firstMissingFrame = frame
                        loss.firstMissingNanoseconds = time
                    }
                    loss.missing += 1
                    loss.lastMissingFrame = frame
                }
                pairs[key] = loss
            }
        }
    }

    /// Every direction and pair of points with packets lost between them, earliest first. A
    /// direction the downstream point never saw at all is left out (it proves no loss).
    public var losses: [Loss] {
        pairs.values.filter { $0.missing > 0 && $0.seenAtBoth > 0 }.sorted {
            ($0.firstMissingNanoseconds, $0.firstMissingFrame, $0.upstream, $0.downstream)
                < ($1.firstMissingNanoseconds, $1.firstMissingFrame, $1.upstream, $1.downstream)
        }
    }
}
