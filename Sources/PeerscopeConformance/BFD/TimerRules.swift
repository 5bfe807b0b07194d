import PeerscopeAnalysis
import PeerscopeWire

/// CONFORMANCE.md §3: slow start, negotiation, transmit intervals and jitter, Poll/Final, and the
/// detection time (RFC 5880 §6.8.2–§6.8.4, §6.8.7). Every timing check states its tolerance and
/// leaves to CAPTURE.GAP what missing packets explain.
extension BFDConformanceEngine {
    mutating func checkTimers(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        let observation = context.observation
        let packet = observation.packet
        let me = context.side
        let tolerance = options.toleranceNanoseconds

        if packet.state != .up, packet.desiredMinTxInterval < 1_000_000 {
            report("BFD.TMR.SLOW.START", context, session: session,
                   measured: Units.interval(microseconds: packet.desiredMinTxInterval), expected: "≥ 1 s",
                   "Desired Min TX below 1 s while \(packet.state) (RFC 5880 §6.8.3)")
        }
        reportNegotiation(context, session: session, state: &state)

        // A change of timers while Up must be announced with a Poll (§6.8.3).
        if let previous = context.previous, previous.packet.state == .up, packet.state == .up {
            let before = BFDParameters(previous.packet)
            let after = BFDParameters(packet)
            let changed = before.desiredMinTxInterval != after.desiredMinTxInterval
                || before.requiredMinRxInterval != after.requiredMinRxInterval
            if changed, !packet.poll {
                report("BFD.TMR.POLL.REQUIRED", context, session: session, frames: [previous.frameNumber, observation.frameNumber],
                       measured: "\(before) → \(after) without P", expected: "P set",
                       "Timers changed while Up without a Poll Sequence")
            }
            if changed, after.desiredMinTxInterval > before.desiredMinTxInterval, let old = context.negotiatedTxInterval {
                state.sides[me].pollHoldInterval = old
            }
        }
        if context.answeredPoll != nil {
            state.sides[1 - me].pollHoldInterval = nil
            state.sides[1 - me].finalReceivedNanoseconds = observation.timeNanoseconds
        }
        if packet.final, context.answeredPoll == nil, context.peerLast != nil {
            report("BFD.TMR.FINAL.REPLY", context, session: session, kind: "unsolicited",
                   "Final sent with no Poll outstanding from the peer")
        }

        // Remote Required Min RX 0: the peer asks for no periodic packets at all (§6.8.7).
        if let peer = context.peerLast, peer.packet.requiredMinRxInterval == 0 {
            let since = state.sides[me].peerZeroRxSince ?? peer.timeNanoseconds
            state.sides[me].peerZeroRxSince = since
            if context.isPeriodic, observation.timeNanoseconds - since > 1_000_000_000 + tolerance {
                report("BFD.TMR.REMOTE.RX.ZERO", context, session: session, measured: "periodic packets continue",
                       expected: "none", "The peer advertised Required Min RX 0 but this side keeps transmitting")
            }
        } else {
            state.sides[me].peerZeroRxSince = nil
        }

        checkGap(context, session: session, state: &state)
        state.sides[me].lastNegotiatedTx = context.negotiatedTxInterval
    }

    /// The gap rules: too fast (< 75%), too regular with mult 1 (> 90%), late (> 100%), and a
    /// silence reaching the detection time.
    private mutating func checkGap(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        guard let gap = context.periodicGapNanoseconds, var interval = context.negotiatedTxInterval, interval > 0,
              let previous = context.previous, !timeWentBack(after: previous.frameNumber)
        else { return }
        let me = context.side
        let tolerance = options.toleranceNanoseconds
        // Built only when a finding is reported: an array per packet would allocate on the hot path.
        var frames: [Int] { [previous.frameNumber, context.observation.frameNumber] }
        let packet = context.observation.packet
        // While a rate change is settling, the lower of the old and new interval is the fair floor.
        if let last = state.sides[me].lastNegotiatedTx { interval = min(interval, last) }
        // A Desired Min TX of 0 (and a Required Min RX of 0) negotiates nothing to compare with;
        // the ratio would be infinite (issue 12: it trapped converting to Int).
        guard interval > 0 else { return }
        let holding = state.sides[me].pollHoldInterval
        let intervalNs = Int64(interval) * 1_000
        let ratio = Double(gap) / Double(intervalNs)
        func measured() -> String {
            "\(Units.duration(nanoseconds: gap)) (\(Units.percent(ratio)) of \(Units.interval(microseconds: interval)))"
        }
        let previousGap = state.sides[me].lastGap
        state.sides[me].lastGap = gap
        if gap < intervalNs * 3 / 4 - tolerance {
            let shortfall = intervalNs * 3 / 4 - gap
            if let final = state.sides[me].finalReceivedNanoseconds, final >= previous.timeNanoseconds {
                // The peer's Final ended this side's Poll Sequence inside the gap: §6.8.3 lets the
                // new interval apply from the Final on and §6.8.7 lets a system reset its transmit
                // timer then, so the packets do not prove a faster periodic rate.
                report("BFD.TMR.TX.FAST", context, session: session, level: .should, kind: "after-final", frames: frames,
                       measured: measured(), expected: "≥ 75% of the negotiated interval", tolerance: toleranceText,
                       "Short gap across the peer's Final (the Poll Sequence changed the interval inside it); a sender should keep its rate")
            } else if let previousGap, previousGap - intervalNs >= shortfall - tolerance {
                // The packet before came late by at least as much: a sender keeping its schedule
                // (or a capture timestamp that lagged) makes one short gap, not a faster rate.
                report("BFD.TMR.TX.FAST", context, session: session, level: .info, kind: "catch-up", frames: frames,
                       measured: measured(), expected: "≥ 75% of the negotiated interval", tolerance: toleranceText,
                       "Short gap right after a late packet (schedule catch-up or capture timestamp jitter), not a faster rate")
            } else {
                report("BFD.TMR.TX.FAST", context, session: session, frames: frames, measured: measured(),
                       expected: "≥ 75% of the negotiated interval", tolerance: toleranceText,
                       "Periodic packets sent faster than the negotiated interval allows")
            }
        }
        // Until the peer's packets are seen, the interval is only this side's Desired Min TX: a
        // lower bound of the negotiated one (§6.8.2 takes the larger of it and the peer's Required
        // Min RX). A gap shorter than 75 % of it is still too fast; a longer one proves nothing.
        let upperKnown = context.peerParametersKnown
        if upperKnown, packet.detectMultiplier == 1, gap > intervalNs * 9 / 10 + tolerance {
            report("BFD.TMR.TX.JITTER.MULT1", context, session: session, frames: frames, measured: measured(),
                   expected: "≤ 90% with Detect Mult 1", tolerance: toleranceText,
                   "With Detect Mult 1 every gap must be at most 90% of the interval")
        }
        if let holding, packet.state == .up {
            let limit = Int64(holding) * 1_000
            if gap > limit + tolerance, gap > intervalNs / 2 {
                report("BFD.TMR.POLL.HOLD", context, session: session, frames: frames, measured: Units.duration(nanoseconds: gap),
                       expected: "≤ \(Units.interval(microseconds: holding)) until the Final", tolerance: toleranceText,
                       "Slowed down before the Poll Sequence completed")
            }
        }
        // Late: the negotiated interval in force for this packet is the upper one (after a change).
        let upper = Int64(max(context.negotiatedTxInterval ?? interval, holding ?? 0)) * 1_000
        guard upperKnown, gap > upper + tolerance, state.sides[me].peerZeroRxSince == nil, !packet.flags.contains(.demand)
        else { return }
        let detection = session.detectionTime(forPacketsFrom: me).map { Int64($0) * 1_000 }
        let peerIndex = 1 - me
        // Did the receiver stay Up through the silence? Then it got packets the capture lacks.
        let peerDetected = session.events.contains { event in
            guard event.side == peerIndex, event.timeNanoseconds > previous.timeNanoseconds,
                  event.timeNanoseconds <= context.observation.timeNanoseconds,
                  case .stateChange(_, let to, let diag) = event.kind else { return false }
            return to == .down && diag == .controlDetectionTimeExpired
        }
        let peerSpoke = (context.peerLast?.timeNanoseconds ?? .min) > previous.timeNanoseconds
        if let detection, gap >= detection - tolerance {
            if peerDetected {
                report("BFD.TMR.TX.SLOW", context, session: session, level: .must,
                       kind: "detection", frames: frames, measured: measured(),
                       expected: "< detection time \(Units.duration(nanoseconds: detection))", tolerance: toleranceText, "Silence long enough for the peer's detection time to expire, and it did")
            } else {
                findings.add(Finding("CAPTURE.GAP", session: session.id, side: sideName(session, me), frames: frames,
                                     measured: Units.duration(nanoseconds: gap),
                                     message: peerSpoke
                                        ? "No packets from this side for \(Units.duration(nanoseconds: gap)) in the capture, yet the receiver stayed Up: the capture missed them"
                                        : "Both directions silent for \(Units.duration(nanoseconds: gap)): a hole in the capture",
                                     relativeTimeNanoseconds: relative(previous.timeNanoseconds)))
            }
        } else {
            report("BFD.TMR.TX.SLOW", context, session: session, frames: frames, measured: measured(),
                   expected: "≤ 100% of the negotiated interval", tolerance: toleranceText,
                   "Periodic packet later than the negotiated interval")
        }
    }

    /// INFO per change of the negotiated values: interval each way and the detection time it gives.
    private mutating func reportNegotiation(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        guard let ab = session.negotiatedTxInterval(from: 0), ab.peerKnown,
              let ba = session.negotiatedTxInterval(from: 1),
              let detectAtB = session.detectionTime(forPacketsFrom: 0),
              let detectAtA = session.detectionTime(forPacketsFrom: 1)
        else { return }
        let values = NegotiatedValues(aToB: ab.interval, detectAtB: detectAtB, bToA: ba.interval, detectAtA: detectAtA)
        guard values != state.negotiation else { return }
        state.negotiation = values
        let a = session.sides[0]?.name ?? "?", b = session.sides[1]?.name ?? "?"
        let multA = session.sides[0]?.last.packet.detectMultiplier ?? 0, multB = session.sides[1]?.last.packet.detectMultiplier ?? 0
        report("BFD.TMR.NEGOTIATED", context, session: session, kind: "\(values.aToB)/\(values.detectAtB)/\(values.bToA)/\(values.detectAtA)",
               measured: "\(a)→\(b) \(Units.interval(microseconds: ab.interval)) ×\(multA) (detect \(Units.interval(microseconds: detectAtB))); \(b)→\(a) \(Units.interval(microseconds: ba.interval)) ×\(multB) (detect \(Units.interval(microseconds: detectAtA)))",
               "Negotiated intervals changed")
    }

    /// §6.8.4: a diag-1 Down is judged against the detection time since the last packet the side
    /// could have heard; an early one waits for evidence about where the capture was taken.
    mutating func checkDetectionOnDown(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState,
                                      from: BFDState, to: BFDState) {
        let me = context.side
        guard to == .down, from == .up || from == .`init`,
              context.observation.packet.diagnostic == .controlDetectionTimeExpired,
              let peer = context.peerLast,
              let peerParameters = state.sides[me].peerParametersWhileUp,
              let mine = context.previous.map({ BFDParameters($0.packet) }),
              !timeWentBack(after: peer.frameNumber)
        else { return }
        let detection = Microseconds(clamping: UInt64(peerParameters.detectMultiplier)
            * UInt64(max(mine.requiredMinRxInterval, peerParameters.desiredMinTxInterval)))
        let latency = context.observation.timeNanoseconds - peer.timeNanoseconds
        let detectionNs = Int64(detection) * 1_000
        let tolerance = options.toleranceNanoseconds
        let peerInterval = Int64(max(peerParameters.desiredMinTxInterval, mine.requiredMinRxInterval)) * 1_000
        if latency < detectionNs - tolerance {
            pendingDetections.append(PendingDetection(
                sessionID: session.id, side: me, detector: context.observation.source,
                peer: context.observation.destination, frame: context.observation.frameNumber,
                time: context.observation.timeNanoseconds, lastPeerFrame: peer.frameNumber,
                lastPeerTime: peer.timeNanoseconds, detectionTime: detection, latency: latency))
            latestState[context.observation.source] = (.down, context.observation.timeNanoseconds)
        } else if latency > detectionNs + peerInterval + tolerance {
            report("BFD.TMR.DETECT.LATE", context, session: session, frames: [peer.frameNumber, context.observation.frameNumber],
                   measured: Units.duration(nanoseconds: latency),
                   expected: "≤ detection time \(Units.interval(microseconds: detection)) + one interval",
                   tolerance: toleranceText, "Detected the loss later than the detection time allows")
        } else {
            report("BFD.TMR.DETECT.LATE", context, session: session, level: .info, kind: "ok",
                   frames: [peer.frameNumber, context.observation.frameNumber],
                   measured: Units.duration(nanoseconds: latency), expected: "detection time \(Units.interval(microseconds: detection))",
                   tolerance: toleranceText,
                   "Detection latency \(Units.duration(nanoseconds: latency)) against a detection time of \(Units.interval(microseconds: detection))")
        }
    }

    /// Evidence, from the packets after an early-looking Down, that the capture shows packets the
    /// detecting side never received: it stays Down while its peer says Down or Init (it would
    /// have moved on had it heard them), or the peer keeps saying Up (it never heard the Down).
    mutating func gatherDetectionEvidence(_ context: BFDPacketContext) {
        let observation = context.observation
        let state = observation.packet.state
        latestState[observation.source] = (state, observation.timeNanoseconds)
        for index in pendingDetections.indices {
            let pending = pendingDetections[index]
            guard observation.timeNanoseconds > pending.time else { continue }
            if observation.source == pending.detector, state == .down,
               let peer = latestState[pending.peer], peer.time > pending.time,
               peer.state == .down || peer.state == .`init` {
                pendingDetections[index].notHearingEvidence.append(observation.frameNumber)
            }
            if observation.source == pending.peer, state == .up,
               observation.timeNanoseconds - pending.time > 2 * Int64(pending.detectionTime) * 1_000 / 3 {
                pendingDetections[index].peerIgnoredDown.append(observation.frameNumber)
            }
        }
    }

    mutating func finishDetections(sessions: [BFDSession]) {
        for pending in pendingDetections {
            let name = pending.detector.description
            let evidence = pending.notHearingEvidence + pending.peerIgnoredDown
            if evidence.isEmpty {
                findings.add(Finding("BFD.TMR.DETECT.EARLY", session: pending.sessionID, side: name,
                                     frames: [pending.lastPeerFrame, pending.frame],
                                     measured: Units.duration(nanoseconds: pending.latency),
                                     expected: "≥ detection time \(Units.interval(microseconds: pending.detectionTime))",
                                     tolerance: toleranceText,
                                     message: "Declared Down (diag 1) before the detection time had passed since the peer's last packet",
                                     relativeTimeNanoseconds: relative(pending.time)))
            } else {
                let lossStart = pending.time - Int64(pending.detectionTime) * 1_000
                findings.add(Finding("CAPTURE.UPSTREAM_LOSS", session: pending.sessionID, side: name,
                                     frames: [pending.lastPeerFrame, pending.frame] + Array(evidence.prefix(4)),
                                     measured: "detection latency ≥ \(Units.interval(microseconds: pending.detectionTime)) (lower bound; \(Units.duration(nanoseconds: pending.latency)) after the last captured packet)",
                                     message: "Packets from \(pending.peer) after t=\(Units.relativeTime(nanoseconds: relative(lossStart), decimals: 3)) s were not received by \(name): the capture point is upstream of the loss",
                                     relativeTimeNanoseconds: relative(lossStart)))
            }
        }
        pendingDetections = []
    }

    mutating func finishTimers(session: BFDSession, state: inout SessionRuleState, lastFrameTime: Int64) {
        for side in 0..<2 {
            // A Poll never answered although the peer kept talking.
            if let poll = session.sides[side]?.outstandingPoll, let peer = session.sides[1 - side]?.last,
               peer.timeNanoseconds - poll.timeNanoseconds > 1_000_000_000 {
                findings.add(Finding("BFD.TMR.FINAL.REPLY", session: session.id, side: sideName(session, 1 - side),
                                     frames: [poll.frameNumber, peer.frameNumber],
                                     message: "Poll never answered with a Final although the peer kept sending",
                                     relativeTimeNanoseconds: relative(poll.timeNanoseconds)),
                             kind: "unanswered")
            }
        }
    }
}
