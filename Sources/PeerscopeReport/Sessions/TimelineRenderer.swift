import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeEndpoint
import PeerscopeWire

/// `peerscope timeline`: the events of each session in order, both sides in one column of time.
public struct TimelineRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func lines(_ analysis: CaptureAnalysis, session only: Int? = nil) -> [String] {
        let origin = analysis.firstTimestampNanoseconds ?? 0
        var lines: [String] = []
        for session in analysis.sessions where only == nil || session.id == only {
            let names = ["A " + (session.a?.address.description ?? session.b?.peerAddress.description ?? "?"),
                         "B " + (session.b?.address.description ?? session.a?.peerAddress.description ?? "?")]
            var heading = "Session \(session.id)  \(session.transport)  \(names[0]) ⇄ \(names[1])"
            if let previous = session.previousSessionID { heading += "  (replaces session \(previous))" }
            lines.append(heading)
            var table = TextTable(header: ["  FRAME", "TIME", "SIDE", "EVENT"])
            // Replays each side's timers so every change shows what was negotiated from then on.
            var timers: [BFDParameters?] = [nil, nil]
            for event in session.events {
                let time = Units.relativeTime(nanoseconds: event.timeNanoseconds - origin, decimals: timeDecimals)
                table.add(["  \(event.frameNumber)", time, event.side == 0 ? "A" : "B", describe(event.kind)])
                switch event.kind {
                case .firstSeen(_, _, let parameters), .parametersChanged(_, let parameters):
                    timers[event.side] = parameters
                    if let a = timers[0], let b = timers[1] {
                        table.add(["", "", "", "negotiated: " + negotiation(a, b)])
                    }
                default:
                    break
                }
            }
            lines += table.lines
            for index in 0..<2 {
                guard let side = session.sides[index] else { continue }
                let gaps = side.gaps
                if let median = gaps.ratioQuantile(0.5), let low = gaps.ratioQuantile(0.01), let high = gaps.ratioQuantile(0.99),
                   let minimum = Optional(gaps.minimumNanoseconds), gaps.count > 0 {
                    lines.append("  gaps \(index == 0 ? "A" : "B"): \(gaps.count) periodic, min \(Units.duration(nanoseconds: minimum)), max \(Units.duration(nanoseconds: gaps.maximumNanoseconds)); of the negotiated interval: p1 \(pct(low)), median \(pct(median)), p99 \(pct(high))")
                }
            }
            if session.echoPackets > 0 { lines.append("  echo packets: \(session.echoPackets)") }
            lines.append("")
        }
        if lines.isEmpty { lines = ["no BFD sessions" + (only.map { " with ID \($0)" } ?? "")] }
        return lines
    }

    private func pct(_ ratio: Double) -> String { Units.percent(ratio) }

    func describe(_ kind: BFDEvent.Kind) -> String {
        switch kind {
        case .firstSeen(let state, let diag, _):
            "first packet: \(state) (diag \(diag.rawValue) \(diag))"
        case .stateChange(let from, let to, let diag):
            "\(from) → \(to) (diag \(diag.rawValue) \(diag))"
        case .parametersChanged(let from, let to):
            "timers: \(params(from)) → \(params(to))"
        case .poll:
            "Poll"
        case .final(let pollFrame, let latency):
            if let pollFrame, let latency {
                "Final (answers Poll of frame \(pollFrame) after \(Units.duration(nanoseconds: latency)))"
            } else {
                "Final (no Poll outstanding)"
            }
        case .yourDiscriminator(let from, let to):
            "Your Discriminator \(from) → \(to)"
        case .authentication(let from, let to):
            "authentication \(from) → \(to)"
        case .sourcePortChanged(let from, let to):
            "source port \(from) → \(to)"
        }
    }

    /// Each direction's interval (RFC 5880 §6.8.2/§6.8.3) and the receiver's detection time (§6.8.4).
    private func negotiation(_ a: BFDParameters, _ b: BFDParameters) -> String {
        let ab = BFDTimingModel.transmitInterval(desiredMinTx: a.desiredMinTxInterval, remoteMinRx: b.requiredMinRxInterval)
        let ba = BFDTimingModel.transmitInterval(desiredMinTx: b.desiredMinTxInterval, remoteMinRx: a.requiredMinRxInterval)
        let detectB = BFDTimingModel.detectionTime(remoteDetectMult: a.detectMultiplier, localRequiredMinRx: b.requiredMinRxInterval,
                                                   remoteDesiredMinTx: a.desiredMinTxInterval)
        let detectA = BFDTimingModel.detectionTime(remoteDetectMult: b.detectMultiplier, localRequiredMinRx: a.requiredMinRxInterval,
                                                   remoteDesiredMinTx: b.desiredMinTxInterval)
        return "A→B every \(Units.interval(microseconds: ab)), B detects after \(Units.interval(microseconds: Int64(detectB))); "
            + "B→A every \(Units.interval(microseconds: ba)), A detects after \(Units.interval(microseconds: Int64(detectA)))"
    }

    private func params(_ value: BFDParameters) -> String {
        "tx \(Units.interval(microseconds: value.desiredMinTxInterval)) rx \(Units.interval(microseconds: value.requiredMinRxInterval)) echo \(Units.interval(microseconds: value.requiredMinEchoRxInterval)) ×\(value.detectMultiplier)"
    }
}
