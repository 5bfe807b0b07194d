/// Inter-packet gaps of one direction, as ratios of the negotiated interval in force, kept in a
/// fixed histogram (1% bins up to 4×) so memory does not grow with the number of packets.
public struct GapStatistics: Sendable {
    public static let binsPerUnit = 100
    public static let binCount = 400

    private var bins: [UInt32] = Array(repeating: 0, count: binCount + 1)
    public private(set) var count = 0
    public private(set) var minimumNanoseconds: Int64 = .max
    public private(set) var maximumNanoseconds: Int64 = 0
    private var sumNanoseconds: Int64 = 0
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
        sumNanoseconds += gap
        guard interval > 0 else { return }
        let ratio = Double(gap) / (Double(interval) * 1_000)
        minimumRatio = min(minimumRatio, ratio)
        maximumRatio = max(maximumRatio, ratio)
        if abs(gap - Int64(interval) * 1_000) < 1_000 { exactCount += 1 }
        bins[min(Int(ratio * Double(Self.binsPerUnit)), Self.binCount)] += 1
    }

    public var meanNanoseconds: Int64? { count == 0 ? nil : sumNanoseconds / Int64(count) }

    /// The ratio below which `fraction` of the gaps lie (bin upper edge), nil when empty.
    public func ratioQuantile(_ fraction: Double) -> Double? {
        let total = bins.reduce(0) { $0 + Int($1) }
        guard total > 0 else { return nil }
        let target = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (index, value) in bins.enumerated() {
            seen += Int(value)
            if seen >= target { return Double(index + 1) / Double(Self.binsPerUnit) }
        }
        return Double(Self.binCount) / Double(Self.binsPerUnit)
    }

    /// Counts per 5% band between 70% and 130%, and outside: the jitter picture in a few numbers.
    public var bands: [(label: String, count: Int)] {
        var result: [(String, Int)] = []
        let edges = stride(from: 70, through: 130, by: 5).map { $0 }
        let below = bins[0..<70].reduce(0) { $0 + Int($1) }
        result.append(("<70%", below))
        for (low, high) in zip(edges, edges.dropFirst()) {
            result.append(("\(low)–\(high)%", bins[low..<high].reduce(0) { $0 + Int($1) }))
        }
        result.append((">130%", bins[130...].reduce(0) { $0 + Int($1) }))
        return result
    }
}
