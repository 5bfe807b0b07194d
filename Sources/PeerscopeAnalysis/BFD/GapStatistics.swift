/// Inter-packet gaps of one direction, as ratios of the negotiated interval in force, kept in a
/// fixed histogram (1% bins up to 4×) so memory does not grow with the number of packets.
public struct GapStatistics: Sendable {
    public static let binsPerUnit = 100
    public static let binCount = 400

    private var bins: [UInt32] = Array(repeating: 0, count: binCount + 1)
    public private(set) var count = 0
    public private(set) var minimumNanoseconds: Int64 = .max
    public private(set) var maximumNanoseconds: Int64 = 0
    /// Wide enough for any number of Int64 gaps: timestamps that jump back and forth by centuries
    /// (a damaged file) overflowed an Int64 sum (issue 12).
    private var sumNanoseconds: Int128 = 0
    public private(set) var minimumRatio = Double.infinity
    public private(set) var maximumRatio = 0.0
    /// Gaps exactly equal to the interval (to the microsecond): a sender that applies no jitter.
    public private(set) var exactCount = 0

    public init() {}

    public mutating func add(gapNanoseconds gap: Int64, intervalMicroseconds interval: UInt32) {
        guard gap >= 0 else { return }
        count += 1
        minimumNanoseconds = min(minimumNanoseconds, gap)
        maximumNanoseconds = max(maximumNanoseconds, gap)
        sumNanoseconds += Int128(gap)
        guard interval > 0 else { return }
        let ratio = Double(gap) / (Double(interval) * 1_000)
        minimumRatio = min(minimumRatio, ratio)
        maximumRatio = max(maximumRatio, ratio)
        // gap ≥ 0 and the interval ≤ 2³²−1 µs: the difference cannot overflow.
        if abs(gap - Int64(interval) * 1_000) < 1_000 { exactCount += 1 }
        // The bin index is taken while the ratio is still a Double: Int(ratio × 100) traps for
        // ratios beyond Int's range (a gap of years over a 1 µs interval).
        let bin = ratio * Double(Self.binsPerUnit) >= Double(Self.binCount) ? Self.binCount : Int(ratio * Double(Self.binsPerUnit))
        bins[bin] &+= 1
    }

    public var meanNanoseconds: Int64? { count == 0 ? nil : Int64(sumNanoseconds / Int128(count)) }

    /// The ratio below which `fraction` of the gaps lie (bin upper edge), nil when empty.
    public func ratioQuantile(_ fraction: Double) -> Double? {
        // Over the bins in place: three quantiles per side at the end of a capture.
        bins.withUnsafeBufferPointer { bins in
            var total = 0
            for value in bins { total += Int(value) }
            guard total > 0 else { return nil }
            let target = max(1, Int((fraction * Double(total)).rounded(.up)))
            var seen = 0
            for index in bins.indices {
                seen += Int(bins[index])
                if seen >= target { return Double(index + 1) / Double(Self.binsPerUnit) }
            }
            return Double(Self.binCount) / Double(Self.binsPerUnit)
        }
    }

    /// The band labels, formatted once for all sessions: building them per side at the end of a
    /// capture was most of the end-of-capture cost (one string per band per side).
    public static let bandLabels: [String] =
        ["<70%"] + stride(from: 70, to: 130, by: 5).map { "\($0)–\($0 + 5)%" } + [">130%"]

    /// Counts per band, in the order of `bandLabels`: bins 0–69 (below 70%), 70–74 … 125–129
    /// (5% bands), then 130 up to the last bin (130% and above, 4× and above included).
    public var bandCounts: [Int] {
        bins.withUnsafeBufferPointer { bins in
            func sum(_ range: Range<Int>) -> Int {
                var total = 0
                // At most 401 UInt32 counts: the sum cannot overflow an Int.
                for index in range { total &+= Int(bins[index]) }
                return total
            }
            var result: [Int] = []
            result.reserveCapacity(14)
            result.append(sum(0..<70))
            for low in stride(from: 70, to: 130, by: 5) { result.append(sum(low..<(low + 5))) }
            result.append(sum(130..<bins.count))
            return result
        }
    }

    /// Counts per 5% band between 70% and 130%, and outside: the jitter picture in a few numbers.
    public var bands: [(label: String, count: Int)] {
        let counts = bandCounts
        let labels = Self.bandLabels
        var result: [(label: String, count: Int)] = []
        result.reserveCapacity(counts.count)
        for index in counts.indices { result.append((labels[index], counts[index])) }
        return result
    }
}
