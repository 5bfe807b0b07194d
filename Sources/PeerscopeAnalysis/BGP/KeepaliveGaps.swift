/// Gaps between one side's consecutive KEEPALIVEs (RFC 4271 §4.4), kept at the precision the
/// capture measured them: the shortest gap exactly, with the two frames that show it, and a
/// histogram of 10 ms buckets whose median bucket reports the mean of its own gaps, so a 7.26 ms
/// keepalive reads `7.26 ms` (not `10 ms`) and a 3 µs one `3 µs` (not `0 ns`). Memory follows the
/// number of distinct intervals, not the length of the capture.
public struct KeepaliveGaps: Sendable {
    static let bucketNanoseconds: Int64 = 10_000_000

    private struct Bucket: Sendable {
        var count = 0
        /// Int128: any number of Int64 gaps adds up without overflow.
        var sum: Int128 = 0
    }

    private var buckets: [Int64: Bucket] = [:]
    /// The latest KEEPALIVE: frame and time.
    public private(set) var last: (frame: Int, time: Int64)?
    /// The shortest gap and the two KEEPALIVEs around it.
    public private(set) var shortest: (nanoseconds: Int64, fromFrame: Int, toFrame: Int)?

    public init() {}

    /// One more KEEPALIVE. A timestamp earlier than the previous one (a damaged or merged file) is
    /// not a gap: it only restarts the measurement.
    public mutating func add(frame: Int, time: Int64) {
        defer { last = (frame, time) }
        guard let last, time >= last.time else { return }
        // Both non-negative once ordered: the difference cannot overflow.
        let (gap, overflow) = time.subtractingReportingOverflow(last.time)
        guard !overflow else { return }
        buckets[gap / Self.bucketNanoseconds, default: Bucket()].count += 1
        buckets[gap / Self.bucketNanoseconds]!.sum += Int128(gap)
        if gap < shortest?.nanoseconds ?? .max { shortest = (gap, last.frame, frame) }
    }

    public var count: Int { buckets.values.reduce(0) { $0 + $1.count } }

    /// The typical interval: the mean of the gaps in the median 10 ms bucket; nil before two KEEPALIVEs.
    public var typical: Int64? {
        let total = count
        guard total > 0 else { return nil }
        var seen = 0
        for (_, bucket) in buckets.sorted(by: { $0.key < $1.key }) {
            seen += bucket.count
            if seen * 2 > total { return Int64(bucket.sum / Int128(bucket.count)) }
        }
        return nil
    }
}
