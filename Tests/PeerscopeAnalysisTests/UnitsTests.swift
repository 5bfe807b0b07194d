import PeerscopeAnalysis
import Testing

/// Durations are printed at the precision measured, in one style, and formatting is total: the
/// expected texts are the values written out by hand (1 µs = 1,000 ns, 1 ms = 10⁶ ns, 1 s = 10⁹ ns).
@Suite("Units: durations at the precision measured, total over Int64")
struct UnitsTests {
    @Test("a 3 µs gap is 3 µs and a 7.26 ms one is 7.26 ms: nothing rounded away")
    func precision() {
        #expect(Units.duration(nanoseconds: 3_000) == "3 µs")
        #expect(Units.duration(nanoseconds: 7_260_000) == "7.26 ms")
        #expect(Units.duration(nanoseconds: 7_260_001) == "7.260001 ms")
        #expect(Units.duration(nanoseconds: 850) == "850 ns")
        #expect(Units.duration(nanoseconds: 0) == "0 ns")
        #expect(Units.duration(nanoseconds: 180_000_000_000) == "180 s")
        #expect(Units.duration(nanoseconds: 1_000_250_000) == "1.00025 s")
        #expect(Units.duration(nanoseconds: -2_500_000) == "-2.5 ms")
    }

    @Test("BFD intervals (µs fields) exactly, 2³²−1 µs included")
    func intervals() {
        #expect(Units.interval(microseconds: UInt32(300_000)) == "300 ms")
        #expect(Units.interval(microseconds: UInt32(3_300)) == "3.3 ms")
        #expect(Units.interval(microseconds: UInt32(1_234_567)) == "1.234567 s")
        #expect(Units.interval(microseconds: UInt32.max) == "4294.967295 s")
        #expect(Units.interval(microseconds: Int64.min) == "-9223372036854.775808 s")
    }

    @Test("issue 12: 213 days and more, in either direction, down to Int64.min, format without a trap")
    func extremes() {
        let days213: Int64 = 213 * 86_400 * 1_000_000_000
        #expect(Units.duration(nanoseconds: days213) == "18403200 s")
        #expect(Units.duration(nanoseconds: -days213) == "-18403200 s")
        #expect(Units.duration(nanoseconds: Int64.max) == "9223372036.854775807 s")
        #expect(Units.duration(nanoseconds: Int64.min) == "-9223372036.854775808 s")
        #expect(Units.relativeTime(nanoseconds: Int64.min, decimals: 9) == "-9223372036.854775808")
        #expect(Units.relativeTime(nanoseconds: 1_500_000_000, decimals: 12) == "1.500000000")
        #expect(Units.relativeTime(nanoseconds: 1_500_000_000, decimals: -3) == "1")
    }

    @Test("percentages are total: an infinite or NaN ratio does not trap")
    func percent() {
        #expect(Units.percent(0.734) == "73%")
        #expect(Units.percent(.infinity) == ">1000000%")
        #expect(Units.percent(-.infinity) == "<-1000000%")
        #expect(Units.percent(.nan) == "?%")
    }
}

@Suite("GapStatistics at the extremes (issue 12)")
struct GapStatisticsExtremeTests {
    @Test("gaps of Int64.max / 2 many times over: the sum does not overflow, the mean is exact")
    func hugeGaps() {
        var gaps = GapStatistics()
        let huge = Int64.max / 2
        for _ in 0..<10 { gaps.add(gapNanoseconds: huge, intervalMicroseconds: 1) }
        #expect(gaps.count == 10)
        #expect(gaps.meanNanoseconds == huge)
        #expect(gaps.maximumNanoseconds == huge)
        // Every gap is far beyond 4× the interval: all in the overflow bin, above 4×.
        #expect((gaps.ratioQuantile(0.5) ?? 0) > 4)
    }

    @Test("timestamps jumping back and forth: negative gaps are ignored, positive ones counted")
    func backAndForth() {
        var gaps = GapStatistics()
        for index in 0..<100 {
            gaps.add(gapNanoseconds: index.isMultiple(of: 2) ? Int64.max : -Int64.max, intervalMicroseconds: UInt32.max)
        }
        #expect(gaps.count == 50)
        #expect(gaps.meanNanoseconds == Int64.max)
    }

    @Test("an interval of 2³²−1 µs and a gap of 0")
    func extremesOfInterval() {
        var gaps = GapStatistics()
        gaps.add(gapNanoseconds: 0, intervalMicroseconds: UInt32.max)
        gaps.add(gapNanoseconds: Int64(UInt32.max) * 1_000, intervalMicroseconds: UInt32.max)
        #expect(gaps.count == 2)
        #expect(gaps.exactCount == 1)
        #expect(gaps.minimumRatio == 0)
        #expect(gaps.maximumRatio == 1)
    }
}
