import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.TMR.DETECT.EARLY, BFD.TMR.DETECT.LATE and CAPTURE.UPSTREAM_LOSS (RFC 5880 §6.8.4): a diag-1
/// Down is judged against the detection time since the last packet the side could have heard; an
/// early one waits, to the end of the capture, for evidence about where the capture was taken.
final class DetectionTimeRules: BFDRule {
    override var events: BFDRuleEvents { [.packet, .stateChange, .finishBeforeSessions, .sessionState] }
    /// The peer's timers as of its last packet while Up or Init: what each side's detection time
    /// rests on (a peer's Down packet that led to a diag-1 Down was, by definition, not heard).
    @exclusivity(unchecked) private var peerParametersWhileUp = SlotStates(SidePair<BFDParameters?>(nil))
    /// Diag-1 Downs that came sooner than the detection time. Judged across sessions: a side that
    /// re-creates its session after the Down (new discriminator) is still the same router.
    @exclusivity(unchecked) private var pending: [PendingDetection] = []
    /// The latest state each address sent, kept only while a detection is pending.
    @exclusivity(unchecked) private var latestState: [IPAddress: (state: BFDState, time: Int64)] = [:]

    private struct PendingDetection {
        var sessionID: Int
        var detector: IPAddress
        var peer: IPAddress
        var frame: Int
        var time: Int64
        var lastPeerFrame: Int
        var detectionTime: Microseconds
        var latency: Int64
        /// Evidence that this side did not hear packets the capture shows from the peer.
        var notHearingEvidence: [Int] = []
        /// Peer packets after the Down that kept saying Up, i.e. the peer did not hear the Down either.
        var peerIgnoredDown: [Int] = []
    }

    override func reset(slot: Int) { peerParametersWhileUp.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if packet.state == .up || packet.state == .`init` {
            peerParametersWhileUp[slot][1 - context.side] = BFDParameters(packet)
        }
        if !pending.isEmpty { gatherEvidence(context) }
    }

    override func stateChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, from: BFDState, to: BFDState,
                     _ out: inout BFDRuleOutput) {
        guard to == .down, from == .up || from == .`init`,
              context.observation.packet.diagnostic == .controlDetectionTimeExpired,
              let peer = context.peerLast,
              let peerParameters = peerParametersWhileUp[slot][context.side],
              let mine = context.previous.map({ BFDParameters($0.packet) }),
              !out.timeWentBack(after: peer.frameNumber)
        else { return }
        let detection = Microseconds(clamping: BFDTimingModel.detectionTime(remoteDetectMult: peerParameters.detectMultiplier,
                                                                           localRequiredMinRx: mine.requiredMinRxInterval,
                                                                           remoteDesiredMinTx: peerParameters.desiredMinTxInterval))
        let latency = context.observation.timeNanoseconds - peer.timeNanoseconds
        let detectionNs = Int64(detection) * 1_000
        let tolerance = out.options.toleranceNanoseconds
        let peerInterval = Int64(max(peerParameters.desiredMinTxInterval, mine.requiredMinRxInterval)) * 1_000
        let frames = [peer.frameNumber, context.observation.frameNumber]
        if latency < detectionNs - tolerance {
            pending.append(PendingDetection(
                sessionID: session.id, detector: context.observation.source,
                peer: context.observation.destination, frame: context.observation.frameNumber,
                time: context.observation.timeNanoseconds, lastPeerFrame: peer.frameNumber,
                detectionTime: detection, latency: latency))
            latestState[context.observation.source] = (.down, context.observation.timeNanoseconds)
        } else if latency > detectionNs + peerInterval + tolerance {
            out.report(.BFD.TMR.DETECT.LATE, context, session: session, frames: frames,
                       measured: .duration(nanoseconds: latency),
                       expected: .atMost(.composite([.text("detection time "), .interval(microseconds: Int64(detection)), .text(" + one interval")])),
                       tolerance: out.tolerance, "Detected the loss later than the detection time allows")
        } else {
            out.report(.BFD.TMR.DETECT.LATE, context, session: session, level: .info, kind: "ok", frames: frames,
                       measured: .duration(nanoseconds: latency),
                       expected: .composite([.text("detection time "), .interval(microseconds: Int64(detection))]),
                       tolerance: out.tolerance,
                       "Detection latency \(.duration(nanoseconds: latency)) against a detection time of \(.interval(microseconds: Int64(detection)))")
        }
    }

    /// Evidence, from the packets after an early-looking Down, that the capture shows packets the
    /// detecting side never received: it stays Down while its peer says Down or Init (it would
    /// have moved on had it heard them), or the peer keeps saying Up (it never heard the Down).
    private func gatherEvidence(_ context: BFDPacketContext) {
        let observation = context.observation
        let state = observation.packet.state
        latestState[observation.source] = (state, observation.timeNanoseconds)
        for index in pending.indices {
            let detection = pending[index]
            guard observation.timeNanoseconds > detection.time else { continue }
            if observation.source == detection.detector, state == .down,
               let peer = latestState[detection.peer], peer.time > detection.time,
               peer.state == .down || peer.state == .`init` {
                pending[index].notHearingEvidence.append(observation.frameNumber)
            }
            if observation.source == detection.peer, state == .up,
               observation.timeNanoseconds - detection.time > 2 * Int64(detection.detectionTime) * 1_000 / 3 {
                pending[index].peerIgnoredDown.append(observation.frameNumber)
            }
        }
    }

    override func finishBeforeSessions(_ sessions: [BFDSession], _ out: inout BFDRuleOutput) {
        for detection in pending {
            let name = detection.detector.description
            let evidence = detection.notHearingEvidence + detection.peerIgnoredDown
            if evidence.isEmpty {
                out.add(Finding(.BFD.TMR.DETECT.EARLY, session: detection.sessionID, side: name,
                                frames: [detection.lastPeerFrame, detection.frame],
                                measured: .duration(nanoseconds: detection.latency),
                                expected: .atLeast(.composite([.text("detection time "), .interval(microseconds: Int64(detection.detectionTime))])),
                                tolerance: out.tolerance,
                                message: "Declared Down (diag 1) before the detection time had passed since the peer's last packet",
                                relativeTimeNanoseconds: out.relative(detection.time)))
            } else {
                let lossStart = detection.time - Int64(detection.detectionTime) * 1_000
                out.add(Finding(.CAPTURE.UPSTREAM_LOSS, session: detection.sessionID, side: name,
                                frames: [detection.lastPeerFrame, detection.frame] + Array(evidence.prefix(4)),
                                measured: .composite([.text("detection latency "), .atLeast(.interval(microseconds: Int64(detection.detectionTime))),
                                                      .text(" (lower bound; "), .duration(nanoseconds: detection.latency),
                                                      .text(" after the last captured packet)")]),
                                message: "Packets from \(detection.peer) after t=\(.timestamp(nanoseconds: out.relative(lossStart), decimals: 3)) were not received by \(name): the capture point is upstream of the loss",
                                relativeTimeNanoseconds: out.relative(lossStart)))
            }
        }
        pending = []
    }
}
