import PeerscopeEndpoint
import PeerscopeWire

/// Cases where the device must shrug something off (malformed, TTL 254, bad authentication) and
/// the Poll Sequence cases.
extension Evaluate {
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
            if median < jitterLowPercent
                || median > jitterHighPercent + gapTolerancePercent(intervalNanoseconds: newIntervalNanoseconds) {
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
}
