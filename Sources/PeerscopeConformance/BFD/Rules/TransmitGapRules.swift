import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// The gap rules of RFC 5880 §6.8.7 and §6.8.3, judged on each periodic gap: too fast
/// (BFD.TMR.TX.FAST, < 75 %), too regular with Detect Mult 1 (BFD.TMR.TX.JITTER.MULT1, > 90 %), slowed
/// down before a Poll Sequence completed (BFD.TMR.POLL.HOLD), late (BFD.TMR.TX.SLOW, > 100 %) and a
/// silence reaching the detection time that the receiver did not notice (CAPTURE.GAP). Every check
/// states its tolerance.
final class TransmitGapRules: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    private struct Side {
        /// The previous periodic gap (ns), to tell a catch-up after a late packet from a fast sender.
        var lastGap: Int64?
        /// The negotiated interval this side used at its previous packet.
        var lastNegotiatedTx: Microseconds?
        /// The interval in force before this side raised its Desired Min TX while Up, until its Poll
        /// is answered (§6.8.3: keep the old rate until the Final).
        var pollHoldInterval: Microseconds?
        /// When the peer last sent a Final answering this side's Poll.
        var finalReceivedNanoseconds: Int64?
        /// The peer's latest packet asks for no periodic packets (Required Min RX 0): none is late then.
        var peerZeroRx = false
    }
    @exclusivity(unchecked) private var sides = SlotStates(SidePair(Side()))

    override func reset(slot: Int) { sides.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let me = context.side
        let packet = context.observation.packet
        if let previous = context.previous?.packet, previous.state == .up, packet.state == .up,
           packet.desiredMinTxInterval > previous.desiredMinTxInterval, let old = context.negotiatedTxInterval {
            sides[slot][me].pollHoldInterval = old
        }
        if context.answeredPoll != nil {
            sides[slot][1 - me].pollHoldInterval = nil
            sides[slot][1 - me].finalReceivedNanoseconds = context.observation.timeNanoseconds
        }
        sides[slot][me].peerZeroRx = context.peerLast?.packet.requiredMinRxInterval == 0
        checkGap(context, session: session, slot: slot, &out)
        sides[slot][me].lastNegotiatedTx = context.negotiatedTxInterval
    }

    private func checkGap(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        guard let gap = context.periodicGapNanoseconds, var interval = context.negotiatedTxInterval, interval > 0,
              let previous = context.previous, !out.timeWentBack(after: previous.frameNumber)
        else { return }
        let me = context.side
        let tolerance = out.options.toleranceNanoseconds
        let toleranceValue = out.tolerance
        // Built only when a finding is reported: an array per packet would allocate on the hot path.
        var frames: [Int] { [previous.frameNumber, context.observation.frameNumber] }
        let packet = context.observation.packet
        // While a rate change is settling, the lower of the old and new interval is the fair floor.
        if let last = sides[slot][me].lastNegotiatedTx { interval = min(interval, last) }
        // A Desired Min TX of 0 (and a Required Min RX of 0) negotiates nothing to compare with;
        // the ratio would be infinite (issue 12: it trapped converting to Int).
        guard interval > 0 else { return }
        let holding = sides[slot][me].pollHoldInterval
        let intervalNs = Int64(interval) * 1_000
        let ratio = Double(gap) / Double(intervalNs)
        func measured() -> FindingValue {
            .composite([.duration(nanoseconds: gap), .text(" ("), .ratio(ratio), .text(" of "),
                        .interval(microseconds: Int64(interval)), .text(")")])
        }
        // The §6.8.7 jitter bounds as the model states them, for the expected values.
        let jitter = BFDJitterBounds(detectMultiplier: packet.detectMultiplier)
        var fastFloor: FindingValue {
            .composite([.atLeast(Self.share(jitter.lowerPartsPerMillion)), .text(" of the negotiated interval")])
        }
        let previousGap = sides[slot][me].lastGap
        sides[slot][me].lastGap = gap
        let floor = BFDJitterBounds(detectMultiplier: packet.detectMultiplier).range(ofNanoseconds: intervalNs).lowerBound
        if gap < floor - tolerance {
            let shortfall = floor - gap
            if let final = sides[slot][me].finalReceivedNanoseconds, final >= previous.timeNanoseconds {
                // The peer's Final ended this side's Poll Sequence inside the gap: §6.8.3 lets the
                // new interval apply from the Final on and §6.8.7 lets a system reset its transmit
                // timer then, so the packets do not prove a faster periodic rate.
                out.report(.BFD.TMR.TX.FAST, context, session: session, level: .should, kind: "after-final", frames: frames,
                           measured: measured(), expected: fastFloor, tolerance: toleranceValue,
                           "Short gap across the peer's Final (the Poll Sequence changed the interval inside it); a sender should keep its rate")
            } else if let previousGap, previousGap - intervalNs >= shortfall - tolerance {
                // The packet before came late by at least as much: a sender keeping its schedule
                // (or a capture timestamp that lagged) makes one short gap, not a faster rate.
                out.report(.BFD.TMR.TX.FAST, context, session: session, level: .info, kind: "catch-up", frames: frames,
                           measured: measured(), expected: fastFloor, tolerance: toleranceValue,
                           "Short gap right after a late packet (schedule catch-up or capture timestamp jitter), not a faster rate")
            } else {
                out.report(.BFD.TMR.TX.FAST, context, session: session, frames: frames, measured: measured(),
                           expected: fastFloor, tolerance: toleranceValue,
                           "Periodic packets sent faster than the negotiated interval allows")
            }
        }
        // Until the peer's packets are seen, the interval is only this side's Desired Min TX: a
        // lower bound of the negotiated one (§6.8.2 takes the larger of it and the peer's Required
        // Min RX). A gap shorter than 75 % of it is still too fast; a longer one proves nothing.
        let upperKnown = context.peerParametersKnown
        if upperKnown, packet.detectMultiplier == 1, gap > BFDJitterBounds(detectMultiplier: 1).range(ofNanoseconds: intervalNs).upperBound + tolerance {
            out.report(.BFD.TMR.TX.JITTER.MULT1, context, session: session, frames: frames, measured: measured(),
                       expected: .composite([.atMost(Self.share(jitter.upperPartsPerMillion)), .text(" with Detect Mult 1")]),
                       tolerance: toleranceValue,
                       "With Detect Mult 1 every gap must be at most 90% of the interval")
        }
        if let holding, packet.state == .up {
            let limit = Int64(holding) * 1_000
            if gap > limit + tolerance, gap > intervalNs / 2 {
                out.report(.BFD.TMR.POLL.HOLD, context, session: session, frames: frames, measured: .duration(nanoseconds: gap),
                           expected: .composite([.atMost(.interval(microseconds: Int64(holding))), .text(" until the Final")]),
                           tolerance: toleranceValue,
                           "Slowed down before the Poll Sequence completed")
            }
        }
        // Late: the negotiated interval in force for this packet is the upper one (after a change).
        let upper = Int64(max(context.negotiatedTxInterval ?? interval, holding ?? 0)) * 1_000
        guard upperKnown, gap > upper + tolerance, !sides[slot][me].peerZeroRx, !packet.flags.contains(.demand)
        else { return }
        reportLate(context, session: session, gap: gap, previous: previous, measured: measured(), &out)
    }

    /// Parts per million (the model's unit for the jitter bounds) as a ratio.
    private static func share(_ partsPerMillion: Int64) -> FindingValue {
        .ratio(Double(partsPerMillion) / Double(BFDJitterBounds.partsPerMillion))
    }

    /// A late packet: past the detection time it is an error if the peer noticed (it went Down),
    /// and otherwise a hole in the capture; short of it, a sender a little late.
    private func reportLate(_ context: BFDPacketContext, session: BFDSession, gap: Int64, previous: BFDObservation,
                            measured: @autoclosure () -> FindingValue, _ out: inout BFDRuleOutput) {
        let me = context.side
        let tolerance = out.options.toleranceNanoseconds
        let frames = [previous.frameNumber, context.observation.frameNumber]
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
                out.report(.BFD.TMR.TX.SLOW, context, session: session, level: .must,
                           kind: "detection", frames: frames, measured: measured(),
                           expected: .below(.composite([.text("detection time "), .duration(nanoseconds: detection)])),
                           tolerance: out.tolerance,
                           "Silence long enough for the peer's detection time to expire, and it did")
            } else {
                out.add(Finding(.CAPTURE.GAP, session: session.id, side: out.sideName(session, me), frames: frames,
                                measured: .duration(nanoseconds: gap),
                                message: peerSpoke
                                    ? "No packets from this side for \(.duration(nanoseconds: gap)) in the capture, yet the receiver stayed Up: the capture missed them"
                                    : "Both directions silent for \(.duration(nanoseconds: gap)): a hole in the capture",
                                relativeTimeNanoseconds: out.relative(previous.timeNanoseconds)))
            }
        } else {
            out.report(.BFD.TMR.TX.SLOW, context, session: session, frames: frames, measured: measured(),
                       expected: .composite([.atMost(.ratio(1)), .text(" of the negotiated interval")]),
                       tolerance: out.tolerance,
                       "Periodic packet later than the negotiated interval")
        }
    }
}
