import PeerscopeEndpoint
import PeerscopeWire

/// What a pool's sessions did during a measurement window, kept as counters and histograms (never
/// one record per packet), so memory follows sessions, not run length.
///
/// A transmit gap is the time between two consecutive packets of one session that restart its
/// periodic timer (everything but a Final, which §6.8.7 sends out of turn). It is *in the window*
/// when it lies in [75 %, 100 %] of the interval (§6.8.7 jitter) widened by `tolerance` at the top:
/// the driver's wake-up and send cost. A gap is counted only when both packets fall inside
/// [windowStart, windowEnd].
public struct BFDPoolRecorder: Sendable {
    public let intervalNanoseconds: Int64
    public let toleranceNanoseconds: Int64
    public let windowStart: Int64
    public let windowEnd: Int64

    // Per session.
    private var lastSend: [Int64]
    private var lastReceive: [Int64]
    private var firstUp: [Int64]
    private var wentDown: [Bool]
    private var gapsInWindow: [UInt32]

    // Whole pool.
    public private(set) var sent = 0
    public private(set) var received = 0
    public private(set) var gaps = 0
    public private(set) var gapsEarly = 0
    public private(set) var gapsLate = 0
    public private(set) var maxGapNanoseconds: Int64 = 0
    public private(set) var maxReceiveGapNanoseconds: Int64 = 0
    public private(set) var downTransitions = 0
    /// Gap as a share of the interval in 0.5 % steps, 0–300 %; the last bin holds everything longer.
    public private(set) var gapHistogram: [UInt64]
    /// How late a periodic packet left after its deadline, 10 µs steps to 20 ms, then overflow.
    public private(set) var latenessHistogram: [UInt64]
    public private(set) var maxLatenessNanoseconds: Int64 = 0

    static let gapBinPermille: Int64 = 5
    static let latenessBinNanoseconds: Int64 = 10_000

    public init(sessions: Int, intervalNanoseconds: Int64, toleranceNanoseconds: Int64, windowStart: Int64,
                windowEnd: Int64) {
        precondition(intervalNanoseconds > 0 && windowEnd >= windowStart)
        self.intervalNanoseconds = intervalNanoseconds
        self.toleranceNanoseconds = toleranceNanoseconds
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        lastSend = [Int64](repeating: .min, count: sessions)
        lastReceive = [Int64](repeating: .min, count: sessions)
        firstUp = [Int64](repeating: .max, count: sessions)
        wentDown = [Bool](repeating: false, count: sessions)
        gapsInWindow = [UInt32](repeating: 0, count: sessions)
        gapHistogram = [UInt64](repeating: 0, count: 601)
        latenessHistogram = [UInt64](repeating: 0, count: 2_001)
    }

    public var sessions: Int { lastSend.count }
    /// §6.8.7's floor, 75 % of the interval (the recorder's sessions never run with Detect Mult 1's
    /// narrower ceiling, and the upper bound here is the interval plus the tolerance).
    public var lowerBoundNanoseconds: Int64 { BFDJitterBounds(detectMultiplier: 0).range(ofNanoseconds: intervalNanoseconds).lowerBound }
    public var upperBoundNanoseconds: Int64 { intervalNanoseconds + toleranceNanoseconds }
    public var gapsInWindowTotal: Int { gaps - gapsEarly - gapsLate }

    /// A packet of `session` left at `at`. `scheduled` is the deadline it was sent for, when a
    /// periodic timer sent it (for lateness).
    public mutating func recordSend(_ session: Int, cause: BFDTransmission.Cause, at: Int64, scheduled: Int64?) {
        guard at >= windowStart, at <= windowEnd else {
            if cause != .final { lastSend[session] = at }
            return
        }
        sent += 1
        if let scheduled, cause == .periodic {
            let lateness = max(0, at - scheduled)
            maxLatenessNanoseconds = max(maxLatenessNanoseconds, lateness)
            latenessHistogram[Int(min(lateness / Self.latenessBinNanoseconds, 2_000))] += 1
        }
        guard cause != .final else { return }
        let previous = lastSend[session]
        lastSend[session] = at
        guard previous >= windowStart else { return }
        let gap = at - previous
        gaps += 1
        maxGapNanoseconds = max(maxGapNanoseconds, gap)
        if gap < lowerBoundNanoseconds {
            gapsEarly += 1
        } else if gap > upperBoundNanoseconds {
            gapsLate += 1
        } else {
            gapsInWindow[session] &+= 1
        }
        let bin = gap * 1_000 / intervalNanoseconds / Self.gapBinPermille
        gapHistogram[Int(min(bin, 600))] += 1
    }

    public mutating func recordReceive(_ session: Int, at: Int64) {
        guard at >= windowStart, at <= windowEnd else {
            lastReceive[session] = at
            return
        }
        received += 1
        let previous = lastReceive[session]
        lastReceive[session] = at
        if previous >= windowStart { maxReceiveGapNanoseconds = max(maxReceiveGapNanoseconds, at - previous) }
    }

    public mutating func recordStateChange(_ session: Int, from: BFDState, to: BFDState, at: Int64) {
        if to == .up, firstUp[session] == .max { firstUp[session] = at }
        if from == .up, at <= windowEnd {
            downTransitions += 1
            wentDown[session] = true
        }
    }

    /// Sessions not Up when the window opened (never Up, or Up only later).
    public var sessionsNotUpAtWindowStart: Int { firstUp.lazy.filter { $0 > self.windowStart }.count }
    /// Sessions that left Up before the window closed: any is a failed run.
    public var sessionsWentDown: Int { wentDown.lazy.filter { $0 }.count }
    /// Sessions that sent no gap inside the window at all (stuck or starved).
    public var sessionsWithoutGaps: Int { gapsInWindow.lazy.filter { $0 == 0 }.count }

    /// The figures of the window, ready to merge with the other side's and to print.
    public var summary: BFDPoolSummary {
        BFDPoolSummary(
            sessions: sessions, intervalNanoseconds: intervalNanoseconds, toleranceNanoseconds: toleranceNanoseconds,
            windowNanoseconds: windowEnd - windowStart, sent: sent, received: received, gaps: gaps,
            gapsEarly: gapsEarly, gapsLate: gapsLate, maxGapNanoseconds: maxGapNanoseconds,
            maxReceiveGapNanoseconds: maxReceiveGapNanoseconds, downTransitions: downTransitions,
            sessionsWentDown: sessionsWentDown, sessionsNotUpAtWindowStart: sessionsNotUpAtWindowStart,
            sessionsWithoutGaps: sessionsWithoutGaps, maxLatenessNanoseconds: maxLatenessNanoseconds,
            gapHistogram: gapHistogram, latenessHistogram: latenessHistogram)
    }
}

/// A recorder's figures without the per-session arrays: what a process of a pair reports, and
/// what two sides add up to.
public struct BFDPoolSummary: Codable, Hashable, Sendable {
    public var sessions: Int
    public var intervalNanoseconds: Int64
    public var toleranceNanoseconds: Int64
    public var windowNanoseconds: Int64
    public var sent: Int
    public var received: Int
    public var gaps: Int
    public var gapsEarly: Int
    public var gapsLate: Int
    public var maxGapNanoseconds: Int64
    public var maxReceiveGapNanoseconds: Int64
    public var downTransitions: Int
    public var sessionsWentDown: Int
    public var sessionsNotUpAtWindowStart: Int
    public var sessionsWithoutGaps: Int
    public var maxLatenessNanoseconds: Int64
    /// 0.5 % of the interval per bin from 0 to 300 %; the last bin holds everything longer.
    public var gapHistogram: [UInt64]
    /// 10 µs per bin to 20 ms; the last bin holds everything later.
    public var latenessHistogram: [UInt64]

    public var gapsInWindow: Int { gaps - gapsEarly - gapsLate }
    /// Share of gaps inside the window, 0–1 (0 when there were none).
    public var inWindowFraction: Double { gaps == 0 ? 0 : Double(gapsInWindow) / Double(gaps) }

    /// The gap (ns) at or below which `fraction` of all gaps lie, to histogram precision (0.5 %).
    public func gapPercentileNanoseconds(_ fraction: Double) -> Int64 {
        Int64(Self.percentileBin(gapHistogram, fraction) + 1) * BFDPoolRecorder.gapBinPermille
            * intervalNanoseconds / 1_000
    }

    /// Lateness (ns) at or below which `fraction` of periodic packets left, to 10 µs.
    public func latenessPercentileNanoseconds(_ fraction: Double) -> Int64 {
        Int64(Self.percentileBin(latenessHistogram, fraction) + 1) * BFDPoolRecorder.latenessBinNanoseconds
    }

    static func percentileBin(_ histogram: [UInt64], _ fraction: Double) -> Int {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return -1 }
        let wanted = max(1, UInt64((Double(total) * fraction).rounded(.up)))
        var seen: UInt64 = 0
        for (bin, count) in histogram.enumerated() {
            seen += count
            if seen >= wanted { return bin }
        }
        return histogram.count - 1
    }

    /// Adds the other side of a pair (same interval and window).
    public mutating func merge(_ other: BFDPoolSummary) {
        precondition(other.intervalNanoseconds == intervalNanoseconds, "merging runs of different intervals")
        sessions += other.sessions
        sent += other.sent
        received += other.received
        gaps += other.gaps
        gapsEarly += other.gapsEarly
        gapsLate += other.gapsLate
        maxGapNanoseconds = max(maxGapNanoseconds, other.maxGapNanoseconds)
        maxReceiveGapNanoseconds = max(maxReceiveGapNanoseconds, other.maxReceiveGapNanoseconds)
        downTransitions += other.downTransitions
        sessionsWentDown += other.sessionsWentDown
        sessionsNotUpAtWindowStart += other.sessionsNotUpAtWindowStart
        sessionsWithoutGaps += other.sessionsWithoutGaps
        maxLatenessNanoseconds = max(maxLatenessNanoseconds, other.maxLatenessNanoseconds)
        for index in gapHistogram.indices { gapHistogram[index] += other.gapHistogram[index] }
        for index in latenessHistogram.indices { latenessHistogram[index] += other.latenessHistogram[index] }
    }
}
