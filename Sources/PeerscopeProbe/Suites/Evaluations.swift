import PeerscopeEndpoint
import PeerscopeWire

/// The verdict logic of the bfd-core cases: pure functions of a `ProbeRecord` and the moments a
/// case marked, so they run on recorded or synthetic observations in virtual time.
public enum Evaluate {
    static func ms(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1e6 }

    static func stateFigure(_ state: BFDState?) -> ProbeFigure {
        ProbeFigure(Double(state?.rawValue ?? 0), "state", text: state.map { "\($0)" } ?? "unheard")
    }

    static func diagFigure(_ diagnostic: BFDDiagnostic) -> ProbeFigure {
        ProbeFigure(Double(diagnostic.rawValue), "diag", text: "\(diagnostic.rawValue) (\(diagnostic))")
    }

    /// handshake: the device's first Up after `startedAt`, carrying one of our discriminators.
    public static func handshake(_ record: ProbeRecord, startedAt: Int64, within seconds: Double = 10) -> CaseOutcome {
        let ours = Set(record.sentPackets.filter { $0.time >= startedAt }.map(\.localDiscriminator))
        let indices = record.deviceIndices(from: startedAt)
        guard let first = indices.first else { return CaseOutcome(.fail, "no packet from the device after our first Down") }
        guard let up = indices.first(where: {
            record.devicePackets[$0].state == .up && ours.contains(record.devicePackets[$0].packet!.yourDiscriminator)
        }),
              record.devicePackets[up].time - startedAt <= Int64(seconds * 1e9)
        else {
            return CaseOutcome(.fail, "the device did not reach Up within \(Int(seconds)) s "
                               + "(last state \(record.deviceState.map { "\($0)" } ?? "?"))", evidence: [.device(first)])
        }
        let time = ms(record.devicePackets[up].time - startedAt)
        let firstSent = record.sentPackets.firstIndex { $0.time >= startedAt }
        var evidence: [EvidenceReference] = firstSent.map { [.sent($0)] } ?? []
        evidence += [.device(first), .device(up)]
        let figures = [("time_to_up_ms", ProbeFigure(time, "ms"))]
        let learned = indices.first { ours.contains(record.devicePackets[$0].packet?.yourDiscriminator ?? 0) } ?? up
        if let wrong = indices.first(where: { index in
            guard index > learned, let packet = record.devicePackets[index].packet, packet.state == .`init` || packet.state == .up else { return false }
            return !ours.contains(packet.yourDiscriminator)
        }) {
            let value = record.devicePackets[wrong].packet!.yourDiscriminator
            return CaseOutcome(.fail, "an \(record.devicePackets[wrong].packet!.state) packet carries Your Discriminator "
                               + "\(value), not ours", figures: figures, evidence: evidence + [.device(wrong)])
        }
        return CaseOutcome(.pass, "Up after \(ProbeFigure(time, "ms").rendered), Your Discriminator = ours",
                           figures: figures, evidence: evidence)
    }

    /// Gaps between the device's packets in [from, to) that are part of its periodic schedule:
    /// Finals and the packet announcing a state change go out of turn (§6.8.7) and are left out.
    /// `states` keeps only packets in those states.
    public static func periodicGaps(_ record: ProbeRecord, from: Int64, to: Int64,
                                    states: Set<BFDState>? = nil) -> [(gap: Int64, from: Int, to: Int)] {
        var previous: (index: Int, state: BFDState)?
        var gaps: [(Int64, Int, Int)] = []
        var lastState: BFDState?
        for index in record.devicePackets.indices where record.devicePackets[index].time < to {
            guard let packet = record.devicePackets[index].packet else { continue }
            defer { lastState = packet.state }
            let changed = lastState != nil && lastState != packet.state
            guard record.devicePackets[index].time >= from else { continue }
            if packet.final || changed {
                if changed { previous = nil }
                continue
            }
            if let states, !states.contains(packet.state) {
                previous = nil
                continue
            }
            if let previous {
                gaps.append((record.devicePackets[index].time - record.devicePackets[previous.index].time, previous.index, index))
            }
            previous = (index, packet.state)
        }
        return gaps.map { (gap: $0.0, from: $0.1, to: $0.2) }
    }

    /// slow-start: while not Up, no gap below 750 ms and Desired Min TX ≥ 1 s.
    public static func slowStart(_ record: ProbeRecord, from: Int64, to: Int64) -> CaseOutcome {
        let notUp: Set<BFDState> = [.down, .`init`]
        let gaps = periodicGaps(record, from: from, to: to, states: notUp)
        let packets = record.deviceIndices(from: from, to: to).filter {
            record.devicePackets[$0].state.map(notUp.contains) ?? false
        }
        guard let minimum = gaps.min(by: { $0.gap < $1.gap }) else {
            return .inconclusive("only \(packets.count) packet(s) from the device while it was not Up: no gap to measure")
        }
        let desired = packets.compactMap { record.devicePackets[$0].packet?.desiredMinTxInterval }.min() ?? 0
        let figures = [("min_gap_ms", ProbeFigure(ms(minimum.gap), "ms")),
                       ("desired_min_tx_us", ProbeFigure(Double(desired), "µs"))]
        let evidence: [EvidenceReference] = [.device(packets[0]), .device(minimum.from), .device(minimum.to)]
        // §6.8.3's one second, less §6.8.7's largest jitter reduction for the device's Detect Mult.
        let deviceMultiplier = packets.compactMap { record.devicePackets[$0].packet?.detectMultiplier }.first ?? 3
        let shortest = BFDJitterBounds(detectMultiplier: deviceMultiplier)
            .range(ofNanoseconds: Int64(BFDTimingModel.slowStartInterval) * 1_000).lowerBound
        if minimum.gap < shortest {
            return CaseOutcome(.fail, "gap of \(figures[0].1.rendered) while not Up (≥ \(ProbeFigure(ms(shortest), "ms").rendered) required), \(gaps.count) gaps",
                               figures: figures, evidence: evidence)
        }
        if desired < BFDTimingModel.slowStartInterval {
            return CaseOutcome(.fail, "Desired Min TX \(desired) µs while not Up (≥ 1 s required)",
                               figures: figures, evidence: evidence)
        }
        return CaseOutcome(.pass, "\(gaps.count) gaps while not Up, shortest \(figures[0].1.rendered), Desired Min TX \(desired) µs",
                           figures: figures, evidence: evidence)
    }

    public struct GapSummary: Hashable, Sendable {
        public var count: Int
        public var p5Percent: Double
        public var medianPercent: Double
        public var maxPercent: Double
        public var maxGap: (from: Int, to: Int)?

        public static func == (lhs: GapSummary, rhs: GapSummary) -> Bool {
            lhs.count == rhs.count && lhs.p5Percent == rhs.p5Percent && lhs.medianPercent == rhs.medianPercent
                && lhs.maxPercent == rhs.maxPercent
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(count) }
    }

    /// p5 / median / max of the first `limit` periodic gaps, as % of `intervalNanoseconds`.
    public static func gapSummary(_ record: ProbeRecord, from: Int64, to: Int64, intervalNanoseconds: Int64,
                                  limit: Int = 20) -> GapSummary? {
        let gaps = Array(periodicGaps(record, from: from, to: to, states: [.up]).prefix(limit))
        guard !gaps.isEmpty, intervalNanoseconds > 0 else { return nil }
        let percents = gaps.map { Double($0.gap) * 100 / Double(intervalNanoseconds) }.sorted()
        let largest = gaps.max { $0.gap < $1.gap }!
        return GapSummary(count: gaps.count, p5Percent: percents[Int(Double(percents.count - 1) * 0.05)],
                          medianPercent: percents[percents.count / 2], maxPercent: percents.last!,
                          maxGap: (largest.from, largest.to))
    }

    /// §6.8.7's gap share for a sender with Detect Mult above 1, as percentages (75 and 100). The
    /// intervals case runs the device at its own multiplier, which the tester does not choose, so
    /// the general bounds apply; the 90 % ceiling of Detect Mult 1 is the peer's to keep.
    static let jitterLowPercent = Double(BFDJitterBounds(detectMultiplier: 3).lowerPartsPerMillion) / 10_000
    static let jitterHighPercent = Double(BFDJitterBounds(detectMultiplier: 3).upperPartsPerMillion) / 10_000

    /// How far a share (%) lies outside [jitterLowPercent, jitterHighPercent]; 0 inside.
    static func distanceOutsideJitter(_ percent: Double) -> Double {
        percent < jitterLowPercent ? jitterLowPercent - percent : percent > jitterHighPercent ? percent - jitterHighPercent : 0
    }

    /// Slack on "no gap above 100 %": 5 % of the interval, at least 20 ms of scheduling delay.
    public static func gapTolerancePercent(intervalNanoseconds: Int64) -> Double {
        max(5, 20_000_000 * 100 / Double(intervalNanoseconds))
    }

    /// One Required Min RX value of the intervals case.
    public struct IntervalStep: Sendable {
        public var requiredMinRxMilliseconds: Int
        public var negotiatedNanoseconds: Int64
        public var from: Int64
        public var to: Int64

        public init(requiredMinRxMilliseconds: Int, negotiatedNanoseconds: Int64, from: Int64, to: Int64) {
            self.requiredMinRxMilliseconds = requiredMinRxMilliseconds
            self.negotiatedNanoseconds = negotiatedNanoseconds
            self.from = from
            self.to = to
        }
    }

    /// intervals: for each step the median gap within 75–100 % and no gap above 100 % + tolerance.
    /// The unsuffixed figures are the first step's interval and the worst values over all steps.
    public static func intervals(_ record: ProbeRecord, steps: [IntervalStep], gapsWanted: Int = 20) -> CaseOutcome {
        var figures: [(String, ProbeFigure)] = []
        var perStep: [(String, ProbeFigure)] = []
        var failures: [String] = []
        var evidence: [EvidenceReference] = []
        var worst: (p5: Double, median: Double, max: Double)?
        for step in steps {
            let suffix = "_rx\(step.requiredMinRxMilliseconds)ms"
            let interval = ms(step.negotiatedNanoseconds)
            perStep.append(("negotiated_tx_ms" + suffix, ProbeFigure(interval, "ms")))
            guard let summary = gapSummary(record, from: step.from, to: step.to,
                                           intervalNanoseconds: step.negotiatedNanoseconds, limit: gapsWanted)
            else {
                failures.append("no gaps measured at Required Min RX \(step.requiredMinRxMilliseconds) ms")
                continue
            }
            perStep += [("gap_p5_pct" + suffix, ProbeFigure(summary.p5Percent, "%")),
                        ("gap_median_pct" + suffix, ProbeFigure(summary.medianPercent, "%")),
                        ("gap_max_pct" + suffix, ProbeFigure(summary.maxPercent, "%"))]
            let tolerance = gapTolerancePercent(intervalNanoseconds: step.negotiatedNanoseconds)
            if summary.count < gapsWanted / 2 {
                failures.append("only \(summary.count) gaps at \(step.requiredMinRxMilliseconds) ms")
            }
            if summary.medianPercent < jitterLowPercent || summary.medianPercent > jitterHighPercent {
                failures.append("median \(ProbeFigure(summary.medianPercent, "%").rendered) of \(interval) ms outside "
                                + "\(ProbeFigure(jitterLowPercent, "%").rendered)–\(ProbeFigure(jitterHighPercent, "%").rendered)")
            }
            if summary.maxPercent > jitterHighPercent + tolerance {
                failures.append("gap of \(ProbeFigure(summary.maxPercent, "%").rendered) of \(interval) ms (limit \(ProbeFigure(jitterHighPercent + tolerance, "%").rendered))")
                if let gap = summary.maxGap { evidence += [.device(gap.from), .device(gap.to)] }
            }
            let medianDistance = distanceOutsideJitter(summary.medianPercent)
            if let current = worst {
                let currentDistance = distanceOutsideJitter(current.median)
                worst = (min(current.p5, summary.p5Percent), medianDistance > currentDistance ? summary.medianPercent : current.median,
                         max(current.max, summary.maxPercent))
            } else {
                worst = (summary.p5Percent, summary.medianPercent, summary.maxPercent)
            }
            if let first = record.deviceIndices(from: step.from, to: step.to).first { evidence.append(.device(first)) }
        }
        if let first = steps.first { figures.append(("negotiated_tx_ms", ProbeFigure(ms(first.negotiatedNanoseconds), "ms"))) }
        if let worst {
            figures += [("gap_p5_pct", ProbeFigure(worst.p5, "%")), ("gap_median_pct", ProbeFigure(worst.median, "%")),
                        ("gap_max_pct", ProbeFigure(worst.max, "%"))]
        }
        figures += perStep
        let values = steps.map { "\($0.requiredMinRxMilliseconds)" }.joined(separator: "/")
        if !failures.isEmpty {
            return CaseOutcome(.fail, failures.joined(separator: "; "), figures: figures, evidence: evidence)
        }
        return CaseOutcome(.pass, "rx \(values) ms: median \(worst.map { ProbeFigure($0.median, "%").rendered } ?? "?"), "
                           + "max \(worst.map { ProbeFigure($0.max, "%").rendered } ?? "?") of the negotiated interval",
                           figures: figures, evidence: evidence)
    }

    /// detect-mult3/5: Down with diag 1 within [expected − one interval, expected + 10 % + tolerance]
    /// of our last packet.
    public static func detection(_ record: ProbeRecord, silentAt: Int64, lastSentTime: Int64,
                                 expectedNanoseconds: Int64, intervalNanoseconds: Int64,
                                 toleranceNanoseconds: Int64 = 20_000_000) -> CaseOutcome {
        let expected = ms(expectedNanoseconds)
        guard let down = record.deviceIndices(from: silentAt).first(where: {
            record.devicePackets[$0].state == .down || record.devicePackets[$0].state == .adminDown
        }), let packet = record.devicePackets[down].packet else {
            return CaseOutcome(.fail, "the device stayed Up after we went silent (expected Down after \(expected) ms)",
                               figures: [("expected_ms", ProbeFigure(expected, "ms"))])
        }
        let measured = record.devicePackets[down].time - lastSentTime
        let figures = [("detection_time_ms", ProbeFigure(ms(measured), "ms")),
                       ("expected_ms", ProbeFigure(expected, "ms")), ("diag", diagFigure(packet.diagnostic))]
        var evidence: [EvidenceReference] = []
        if let last = record.sentPackets.lastIndex(where: { $0.time <= lastSentTime }) { evidence.append(.sent(last)) }
        evidence.append(.device(down))
        let low = expectedNanoseconds - intervalNanoseconds
        let high = expectedNanoseconds + expectedNanoseconds / 10 + toleranceNanoseconds
        let text = "measured \(ProbeFigure(ms(measured), "ms").rendered) (expected \(ProbeFigure(expected, "ms").rendered))"
        if packet.diagnostic.rawValue != 1 {
            return CaseOutcome(.fail, "Down with diag \(packet.diagnostic.rawValue) (\(packet.diagnostic)), not 1; \(text)",
                               figures: figures, evidence: evidence)
        }
        guard measured >= low, measured <= high else {
            return CaseOutcome(.fail, "\(text), outside [\(ProbeFigure(ms(low), "ms").rendered), \(ProbeFigure(ms(high), "ms").rendered)]",
                               figures: figures, evidence: evidence)
        }
        return CaseOutcome(.pass, text + ", diag 1", figures: figures, evidence: evidence)
    }
}
