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
        if minimum.gap < 750_000_000 {
            return CaseOutcome(.fail, "gap of \(figures[0].1.rendered) while not Up (≥ 750 ms required), \(gaps.count) gaps",
                               figures: figures, evidence: evidence)
        }
        if desired < 1_000_000 {
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
            if summary.medianPercent < 75 || summary.medianPercent > 100 {
                failures.append("median \(ProbeFigure(summary.medianPercent, "%").rendered) of \(interval) ms outside 75–100 %")
            }
            if summary.maxPercent > 100 + tolerance {
                failures.append("gap of \(ProbeFigure(summary.maxPercent, "%").rendered) of \(interval) ms (limit \(ProbeFigure(100 + tolerance, "%").rendered))")
                if let gap = summary.maxGap { evidence += [.device(gap.from), .device(gap.to)] }
            }
            let medianDistance = summary.medianPercent < 75 ? 75 - summary.medianPercent : summary.medianPercent > 100 ? summary.medianPercent - 100 : 0
            if let current = worst {
                let currentDistance = current.median < 75 ? 75 - current.median : current.median > 100 ? current.median - 100 : 0
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

    /// Malformed, TTL and authentication cases: the device stayed Up through [from, to) while
    /// `injected` packets went in. Evidence: the first injected packets and the device's answer.
    public static func staysUp(_ record: ProbeRecord, from: Int64, to: Int64, what: String) -> CaseOutcome {
        let injected = record.sentPackets.indices.filter {
            record.sentPackets[$0].injected && record.sentPackets[$0].time >= from && record.sentPackets[$0].time < to
        }
        let packets = record.deviceIndices(from: from, to: to)
        guard !injected.isEmpty else { return .inconclusive("no \(what) was sent") }
        guard let last = packets.last(where: { record.devicePackets[$0].packet != nil }) else {
            return .inconclusive("no packet from the device while injecting")
        }
        var evidence: [EvidenceReference] = injected.prefix(2).map { .sent($0) }
        if let down = packets.first(where: { record.devicePackets[$0].state.map { $0 != .up } ?? false }) {
            let packet = record.devicePackets[down].packet!
            let after = ms(record.devicePackets[down].time - record.sentPackets[injected[0]].time)
            evidence.append(.device(down))
            return CaseOutcome(.fail, "the device went \(packet.state) (diag \(packet.diagnostic.rawValue)) "
                               + "\(ProbeFigure(after, "ms").rendered) after the first \(what): it accepted one",
                               figures: [("device_state_after", stateFigure(record.devicePackets[last].state))],
                               evidence: evidence)
        }
        evidence.append(.device(last))
        return CaseOutcome(.pass, "stayed Up through \(injected.count) \(what)s",
                           figures: [("device_state_after", stateFigure(.up))], evidence: evidence)
    }

    /// poll-by-tester: a Final within one detection time, and no slower rate before it.
    public static func pollByTester(_ record: ProbeRecord, pollSentAt: Int64, oldIntervalNanoseconds: Int64,
                                    newIntervalNanoseconds: Int64, detectionNanoseconds: Int64, until: Int64) -> CaseOutcome {
        let poll = record.sentPackets.firstIndex { $0.time >= pollSentAt }
        guard let final = record.deviceIndices(from: pollSentAt, to: until).first(where: {
            record.devicePackets[$0].packet?.final ?? false
        }) else {
            return CaseOutcome(.fail, "no Final from the device within \(ProbeFigure(ms(until - pollSentAt), "ms").rendered) of our Poll",
                               evidence: poll.map { [.sent($0)] } ?? [])
        }
        let finalTime = record.devicePackets[final].time
        let latency = ms(finalTime - pollSentAt)
        let figures = [("final_latency_ms", ProbeFigure(latency, "ms"))]
        var evidence: [EvidenceReference] = (poll.map { [.sent($0)] } ?? []) + [.device(final)]
        if finalTime - pollSentAt > detectionNanoseconds {
            return CaseOutcome(.fail, "Final after \(ProbeFigure(latency, "ms").rendered), beyond one detection time "
                               + "(\(ProbeFigure(ms(detectionNanoseconds), "ms").rendered))", figures: figures, evidence: evidence)
        }
        let tolerance = gapTolerancePercent(intervalNanoseconds: oldIntervalNanoseconds)
        let before = periodicGaps(record, from: pollSentAt - 3 * oldIntervalNanoseconds, to: finalTime, states: [.up])
        if let slow = before.first(where: { Double($0.gap) * 100 / Double(oldIntervalNanoseconds) > 100 + tolerance }) {
            evidence += [.device(slow.from), .device(slow.to)]
            return CaseOutcome(.fail, "the device slowed down before its Final (gap \(ProbeFigure(ms(slow.gap), "ms").rendered))",
                               figures: figures, evidence: evidence)
        }
        let after = Array(periodicGaps(record, from: finalTime + 1, to: until, states: [.up]).dropFirst())
        if !after.isEmpty {
            let percents = after.map { Double($0.gap) * 100 / Double(newIntervalNanoseconds) }.sorted()
            let median = percents[percents.count / 2]
            if median < 75 || median > 100 + gapTolerancePercent(intervalNanoseconds: newIntervalNanoseconds) {
                return CaseOutcome(.fail, "after the Final the median gap is \(ProbeFigure(median, "%").rendered) of "
                                   + "the new \(ProbeFigure(ms(newIntervalNanoseconds), "ms").rendered)", figures: figures, evidence: evidence)
            }
        }
        return CaseOutcome(.pass, "Final after \(ProbeFigure(latency, "ms").rendered); rate changed only after it",
                           figures: figures, evidence: evidence)
    }

    /// poll-by-device: a Poll from the device (after `since`), our Final, and the session still Up
    /// `settle` ns later.
    public static func pollByDevice(_ record: ProbeRecord, since: Int64, until: Int64, settle: Int64 = 1_000_000_000) -> CaseOutcome {
        guard let poll = record.deviceIndices(from: since, to: until).first(where: {
            (record.devicePackets[$0].packet?.poll ?? false) && record.devicePackets[$0].state == .up
        }) else {
            return CaseOutcome(.inconclusive, "the device sent no Poll while Up (its timers did not change)",
                               figures: [("poll_seen", ProbeFigure(0, "bool", text: "no"))])
        }
        let pollTime = record.devicePackets[poll].time
        let figures = [("poll_seen", ProbeFigure(1, "bool", text: "yes"))]
        var evidence: [EvidenceReference] = [.device(poll)]
        let final = record.sentPackets.firstIndex { sent in
            sent.time >= pollTime && sent.bytes.count >= 2 && sent.bytes[1] & 0x10 != 0
        }
        guard let final else {
            return CaseOutcome(.fail, "we sent no Final to the device's Poll (tester fault)", figures: figures, evidence: evidence)
        }
        evidence.append(.sent(final))
        let window = record.deviceIndices(from: pollTime, to: min(until, pollTime + settle))
        if let down = window.first(where: { record.devicePackets[$0].state.map { $0 != .up } ?? false }) {
            evidence.append(.device(down))
            return CaseOutcome(.fail, "the session went Down after our Final", figures: figures, evidence: evidence)
        }
        if let last = window.last { evidence.append(.device(last)) }
        return CaseOutcome(.pass, "the device polled (Desired Min TX \(record.devicePackets[poll].packet!.desiredMinTxInterval) µs, "
                           + "Required Min RX \(record.devicePackets[poll].packet!.requiredMinRxInterval) µs); our Final kept it Up",
                           figures: figures, evidence: evidence)
    }

    /// admindown: Down with diag 3, and (with BGP) no NOTIFICATION, FIN or RST while watching.
    public static func adminDown(_ record: ProbeRecord, adminDownAt: Int64, until: Int64, bgpWatched: Bool) -> CaseOutcome {
        let ourAdminDown = record.sentPackets.firstIndex { $0.time >= adminDownAt }
        var evidence: [EvidenceReference] = ourAdminDown.map { [.sent($0)] } ?? []
        guard let down = record.deviceIndices(from: adminDownAt, to: until).first(where: {
            record.devicePackets[$0].state == .down || record.devicePackets[$0].state == .adminDown
        }), let packet = record.devicePackets[down].packet else {
            return CaseOutcome(.fail, "the device did not leave Up after our AdminDown", evidence: evidence)
        }
        evidence.append(.device(down))
        var figures = [("diag", diagFigure(packet.diagnostic))]
        let teardown = record.bgp.indices.first { record.bgp[$0].time >= adminDownAt && record.bgp[$0].time < until
            && record.bgp[$0].isTeardownByPeer }
        if bgpWatched { figures.append(("bgp_kept", ProbeFigure(teardown == nil ? 1 : 0, "bool", text: teardown == nil ? "yes" : "no"))) }
        if packet.state != .down || packet.diagnostic.rawValue != 3 {
            return CaseOutcome(.fail, "the device went \(packet.state) with diag \(packet.diagnostic.rawValue), not Down with diag 3",
                               figures: figures, evidence: evidence)
        }
        if let teardown {
            evidence.append(.bgp(teardown))
            return CaseOutcome(.fail, "Down with diag 3, but the device tore BGP down (\(describe(record.bgp[teardown].kind))) "
                               + "\(ProbeFigure(ms(record.bgp[teardown].time - adminDownAt), "ms").rendered) after our AdminDown",
                               figures: figures, evidence: evidence)
        }
        let seconds = ProbeFigure(ms(until - adminDownAt) / 1000, "s").rendered
        return CaseOutcome(.pass, bgpWatched ? "Down with diag 3; BGP kept for \(seconds)" : "Down with diag 3 (BGP not configured, not watched)",
                           figures: figures, evidence: evidence)
    }

    static func describe(_ kind: BGPObservation.Kind) -> String {
        switch kind {
        case .notificationReceived(let code, let subcode): "NOTIFICATION \(code)/\(subcode)"
        case .closedByPeer(let reset): reset ? "RST" : "FIN"
        case .notificationSent(let code, let subcode): "our NOTIFICATION \(code)/\(subcode)"
        case .closedByUs: "closed by us"
        case .connected: "connected"
        case .established: "Established"
        }
    }

    /// bfd-failure-bgp: BGP torn down within 1 s of the device's BFD Down; Cease/10 when a
    /// NOTIFICATION is sent.
    public static func bfdFailureBGP(_ record: ProbeRecord, silentAt: Int64, until: Int64,
                                     limitNanoseconds: Int64 = 1_000_000_000) -> CaseOutcome {
        guard let down = record.deviceIndices(from: silentAt, to: until).first(where: {
            record.devicePackets[$0].state == .down
        }) else {
            return CaseOutcome(.fail, "the device's BFD session stayed Up after we went silent")
        }
        let downTime = record.devicePackets[down].time
        var evidence: [EvidenceReference] = [.device(down)]
        let teardowns = record.bgp.indices.filter {
            record.bgp[$0].time >= silentAt && record.bgp[$0].time < until && record.bgp[$0].isTeardownByPeer
        }
        guard let first = teardowns.first else {
            return CaseOutcome(.fail, "BGP was not torn down within \(ProbeFigure(ms(until - downTime), "ms").rendered) of BFD Down",
                               evidence: evidence)
        }
        evidence.append(.bgp(first))
        // Both can arrive in one wake-up of the loop, the TCP segment read first: that is 0 ms.
        let failover = ms(max(0, record.bgp[first].time - downTime))
        var figures = [("failover_ms", ProbeFigure(failover, "ms"))]
        let notification: (UInt8, UInt8)? = teardowns.lazy.compactMap { index -> (UInt8, UInt8)? in
            if case .notificationReceived(let code, let subcode) = record.bgp[index].kind { return (code, subcode) }
            return nil
        }.first
        if let (code, subcode) = notification {
            figures.append(("notification", ProbeFigure(Double(code) * 100 + Double(subcode), "code×100+subcode",
                                                        text: "\(code)/\(subcode)\(code == 6 && subcode == 10 ? " (Cease, BFD Down)" : "")")))
        } else {
            figures.append(("notification", ProbeFigure(0, "code×100+subcode", text: "none (\(describe(record.bgp[first].kind)))")))
        }
        if record.bgp[first].time - downTime > limitNanoseconds {
            return CaseOutcome(.fail, "BGP torn down \(ProbeFigure(failover, "ms").rendered) after BFD Down (limit 1 s)",
                               figures: figures, evidence: evidence)
        }
        if let (code, subcode) = notification, code != 6 || subcode != 10 {
            return CaseOutcome(.fail, "NOTIFICATION \(code)/\(subcode), not Cease/BFD Down (6/10)", figures: figures, evidence: evidence)
        }
        return CaseOutcome(.pass, "BGP torn down \(ProbeFigure(failover, "ms").rendered) after BFD Down with "
                           + (notification != nil ? "Cease/10" : describe(record.bgp[first].kind)),
                           figures: figures, evidence: evidence)
    }

    /// device-ports: destination port 3784 / 4784, source port in 49152–65535.
    public static func ports(_ record: ProbeRecord, transport: BFDTransport) -> CaseOutcome {
        guard let first = record.devicePackets.indices.first else { return .inconclusive("no packet from the device") }
        let sources = Set(record.devicePackets.map(\.sourcePort))
        let figures = [("source_port", ProbeFigure(Double(record.devicePackets[first].sourcePort), "")),
                       ("destination_port", ProbeFigure(Double(record.devicePackets[first].destinationPort), ""))]
        if let bad = record.devicePackets.indices.first(where: { record.devicePackets[$0].destinationPort != transport.destinationPort }) {
            return CaseOutcome(.fail, "packet to port \(record.devicePackets[bad].destinationPort), not \(transport.destinationPort)",
                               figures: figures, evidence: [.device(bad)])
        }
        if let bad = record.devicePackets.indices.first(where: { !BFDSocket.sourcePortRange.contains(record.devicePackets[$0].sourcePort) }) {
            return CaseOutcome(.fail, "source port \(record.devicePackets[bad].sourcePort) outside 49152–65535",
                               figures: figures, evidence: [.device(bad)])
        }
        return CaseOutcome(.pass, "\(record.devicePackets.count) packets to \(transport.destinationPort) from "
                           + (sources.count == 1 ? "port \(sources.first!)" : "\(sources.count) source ports \(sources.min()!)–\(sources.max()!)"),
                           figures: figures, evidence: [.device(first), .device(record.devicePackets.count - 1)])
    }

    /// device-ttl: every single-hop packet with TTL 255 (multihop: reported only).
    public static func ttl(_ record: ProbeRecord, singleHop: Bool) -> CaseOutcome {
        let ttls = record.devicePackets.compactMap(\.ttl)
        guard let low = ttls.min(), let high = ttls.max() else { return .inconclusive("no TTL reported for the device's packets") }
        let figures = [("ttl_min", ProbeFigure(Double(low), "")), ("ttl_max", ProbeFigure(Double(high), ""))]
        if singleHop, let bad = record.devicePackets.indices.first(where: { (record.devicePackets[$0].ttl ?? 255) != 255 }) {
            return CaseOutcome(.fail, "a single-hop packet arrived with TTL \(record.devicePackets[bad].ttl!)",
                               figures: figures, evidence: [.device(bad)])
        }
        return CaseOutcome(.pass, singleHop ? "all \(ttls.count) packets with TTL 255" : "multihop: TTL \(low)–\(high) (no requirement)",
                           figures: figures, evidence: [.device(0)])
    }

    /// device-discriminators: nonzero My Discriminator, unchanged while Up; Your Discriminator in
    /// Init/Up packets is one of ours.
    public static func discriminators(_ record: ProbeRecord) -> CaseOutcome {
        let ours = Set(record.sentPackets.map(\.localDiscriminator))
        let decoded = record.devicePackets.indices.filter { record.devicePackets[$0].packet != nil }
        guard let first = decoded.first else { return .inconclusive("no packet from the device") }
        let mine = record.devicePackets[first].packet!.myDiscriminator
        let figures = [("my_discriminator", ProbeFigure(Double(mine), ""))]
        if let zero = decoded.first(where: { record.devicePackets[$0].packet!.myDiscriminator == 0 }) {
            return CaseOutcome(.fail, "My Discriminator 0", figures: figures, evidence: [.device(zero)])
        }
        var previous: BFDControlPacket?
        var values: Set<UInt32> = []
        for index in decoded {
            let packet = record.devicePackets[index].packet!
            values.insert(packet.myDiscriminator)
            if let previous, previous.state == .up, packet.state == .up, previous.myDiscriminator != packet.myDiscriminator {
                return CaseOutcome(.fail, "My Discriminator changed from \(previous.myDiscriminator) to \(packet.myDiscriminator) while Up",
                                   figures: figures, evidence: [.device(index)])
            }
            if packet.state == .`init` || packet.state == .up, !ours.contains(packet.yourDiscriminator) {
                return CaseOutcome(.fail, "Your Discriminator \(packet.yourDiscriminator) in an \(packet.state) packet is not ours",
                                   figures: figures, evidence: [.device(index)])
            }
            previous = packet
        }
        let note = values.count == 1 ? "unchanged" : "\(values.count) values across our re-handshakes"
        return CaseOutcome(.pass, "My Discriminator \(mine) (\(note)); Your Discriminator echoed ours in \(decoded.count) packets",
                           figures: figures, evidence: [.device(first)])
    }
}
