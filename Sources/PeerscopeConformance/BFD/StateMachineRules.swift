import PeerscopeAnalysis
import PeerscopeWire

/// CONFORMANCE.md §2: the state machine of RFC 5880 §6.2 and the reception rules of §6.8.6, judged
/// from the outside: a side's change must be explained by what its peer had sent before it.
extension BFDConformanceEngine {
    mutating func checkStateMachine(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        let observation = context.observation
        let packet = observation.packet
        let me = context.side
        let peerState = context.peerLast?.packet.state
        let peerSeen = context.peerLast != nil

        noteTriggers(context, state: &state)

        guard let previous = context.previous, previous.packet.state != packet.state else {
            checkAdminDownReceived(context, session: session, state: &state)
            return
        }
        let from = previous.packet.state
        let to = packet.state
        let diag = packet.diagnostic
        var problem: String?
        /// A change the diagram allows only through a Down the side never sent (it went Down and
        /// out again between two packets): legal inside, but the Down was not announced (§6.8.7).
        var unannouncedDown: String?
        switch (from, to) {
        case (_, .adminDown):
            // §6.8.16 asks for "an appropriate" diag: 0 (No Diagnostic) explains nothing.
            if diag == .none {
                report("BFD.FSM.DIAG.DOWN", context, session: session, kind: "admin", measured: "AdminDown with diag 0",
                       expected: "a diag that explains it (7 Administratively Down, 5 Path Down …)",
                       "Entered AdminDown with diag 0 (No Diagnostic)")
            }
        case (.adminDown, .down):
            break
        case (.adminDown, .`init`), (.up, .`init`):
            if peerState == .down {
                unannouncedDown = "went \(from)→Init: the Down in between (then the peer's Down) was never sent"
            } else {
                problem = "went \(from)→Init while the peer's latest packet said \(peerState?.description ?? "nothing")"
            }
        case (.adminDown, .up):
            if state.sides[me].peerInitSinceDown || peerState == .`init` {
                unannouncedDown = "went AdminDown→Up: the Down in between was never sent"
            } else {
                problem = "left AdminDown for Up without passing through Down or hearing the peer's Init"
            }
        case (.down, .`init`):
            if peerSeen, !state.sides[me].peerDownSinceDown {
                problem = "went Down→Init without the peer having sent Down"
            }
        case (.down, .up):
            if peerSeen, !state.sides[me].peerInitSinceDown {
                problem = "went Down→Up without the peer having sent Init (three-way handshake skipped)"
            }
        case (.`init`, .up):
            if peerSeen, let peerState, peerState == .down || peerState == .adminDown {
                problem = "went Init→Up while the peer's latest packet said \(peerState)"
            }
        case (.up, .down), (.`init`, .down):
            // A side may leave Up for local reasons (its session deleted or re-created, a client
            // that deregistered): §6.2 forbids no local Down. Diag 3 then names the wrong reason,
            // which §6.8.1 (bfd.LocalDiag: the reason for the change) weighs as a diag problem, not
            // as a broken state machine.
            if diag == .neighborSignaledSessionDown, peerSeen, let peerState, peerState != .down, peerState != .adminDown {
                report("BFD.FSM.DIAG.DOWN", context, session: session, kind: "diag3-\(peerState)",
                       frames: [previous.frameNumber, observation.frameNumber] + (context.peerLast.map { [$0.frameNumber] } ?? []),
                       measured: "\(from)→Down diag 3, peer's latest packet \(peerState)",
                       expected: "diag 3 only after the peer signalled Down or AdminDown",
                       "Went Down with diag 3 (Neighbor Signaled Session Down) although the peer's latest packet said \(peerState): a local Down (the session deleted or re-created) with a diag that does not explain it")
            }
            if from == .up, diag == .none {
                report("BFD.FSM.DIAG.DOWN", context, session: session, measured: "diag 0", expected: "a diag that explains the Down",
                       "Went Up→Down with diag 0 (No Diagnostic)")
            }
        default:
            break
        }
        if let unannouncedDown {
            report("BFD.FSM.IMMEDIATE", context, session: session, kind: "unannounced",
                   frames: [previous.frameNumber, observation.frameNumber], measured: "\(from)→\(to)",
                   expected: "every state change announced", unannouncedDown)
        }
        if let problem {
            report("BFD.FSM.TRANSITION", context, session: session, kind: "\(from)-\(to)",
                   frames: [previous.frameNumber, observation.frameNumber] + (context.peerLast.map { [$0.frameNumber] } ?? []),
                   measured: "\(from)→\(to) diag \(diag.rawValue)", problem)
        }
        if to == .down {
            state.sides[me].peerInitSinceDown = false
            state.sides[me].peerDownSinceDown = false
            state.sides[me].peerAdminDownSince = nil
        }
        checkImmediate(context, session: session, state: &state, from: from, to: to)
        checkDetectionOnDown(context, session: session, state: &state, from: from, to: to)
        if to == .up { reportHandshake(context, session: session, state: &state) }
    }

    /// Remembers the peer packets that would move this side, for the Down→Init/Up checks and for
    /// measuring how fast the change was announced.
    private mutating func noteTriggers(_ context: BFDPacketContext, state: inout SessionRuleState) {
        // This packet is a trigger for the *peer* side.
        let other = 1 - context.side
        let packet = context.observation.packet
        if packet.state == .up || packet.state == .`init` {
            state.sides[other].peerParametersWhileUp = BFDParameters(packet)
        }
        switch packet.state {
        case .`init`: state.sides[other].peerInitSinceDown = true
        case .down: state.sides[other].peerDownSinceDown = true
        case .adminDown, .up: break
        }
        if state.sides[other].trigger == nil || state.sides[other].trigger?.state != packet.state {
            state.sides[other].trigger = (packet.state, context.observation.frameNumber, context.observation.timeNanoseconds)
        }
        if packet.state == .adminDown, state.sides[other].peerAdminDownSince == nil {
            state.sides[other].peerAdminDownSince = context.observation.timeNanoseconds
        }
    }

    /// §6.8.6: a side that receives AdminDown while not Down must go Down (diag 3); still Up well
    /// after the peer's AdminDown, it did not.
    private mutating func checkAdminDownReceived(_ context: BFDPacketContext, session: BFDSession,
                                                 state: inout SessionRuleState) {
        let me = context.side
        guard let since = state.sides[me].peerAdminDownSince,
              context.peerLast?.packet.state == .adminDown,
              context.observation.packet.state == .up || context.observation.packet.state == .`init`
        else { return }
        let interval = Int64(context.negotiatedTxInterval ?? 1_000_000) * 1_000
        let waited = context.observation.timeNanoseconds - since
        if waited > interval + 100_000_000 + options.toleranceNanoseconds {
            report("BFD.FSM.ADMINDOWN.RX", context, session: session,
                   measured: "still \(context.observation.packet.state) \(Units.duration(nanoseconds: waited)) after AdminDown",
                   expected: "Down, diag 3", tolerance: "one TX interval + 100 ms",
                   "Peer signalled AdminDown but this side stayed \(context.observation.packet.state)")
        }
    }

    /// §6.8.7: a state change caused by the peer should be announced at once, not at the next
    /// periodic slot. Reports the delay when it exceeds half the interval.
    private mutating func checkImmediate(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState,
                                         from: BFDState, to: BFDState) {
        let me = context.side
        guard let trigger = state.sides[me].trigger, !timeWentBack(after: trigger.frame) else { return }
        let expectedTrigger: BFDState?
        switch (from, to) {
        case (.down, .`init`): expectedTrigger = .down
        case (.down, .up), (.`init`, .up): expectedTrigger = trigger.state == .up ? .up : .`init`
        case (.up, .down) where context.observation.packet.diagnostic == .neighborSignaledSessionDown:
            expectedTrigger = trigger.state == .adminDown ? .adminDown : .down
        default: expectedTrigger = nil
        }
        guard let expectedTrigger, trigger.state == expectedTrigger else { return }
        let delay = context.observation.timeNanoseconds - trigger.time
        let interval = Int64(context.negotiatedTxInterval ?? 1_000_000) * 1_000
        // If this side's own packets are missing from before the change (lost on the way, or by the
        // capture), its announcement may have been sent and lost: the delay is not its fault.
        if let previous = context.previous,
           context.observation.timeNanoseconds - previous.timeNanoseconds > 2 * max(interval, 1_000_000_000) {
            return
        }
        if delay > interval / 2 + options.toleranceNanoseconds, delay > 10_000_000 {
            report("BFD.FSM.IMMEDIATE", context, session: session, frames: [trigger.frame, context.observation.frameNumber],
                   measured: Units.duration(nanoseconds: delay), expected: "≤ half the TX interval",
                   tolerance: toleranceText,
                   "State change \(from)→\(to) announced \(Units.duration(nanoseconds: delay)) after the peer's \(trigger.state)")
        }
    }

    private mutating func reportHandshake(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        guard let a = session.a, let b = session.b, context.peerLast?.packet.state == .up || context.peerLast?.packet.state == .`init`
        else { return }
        let start = min(a.first.timeNanoseconds, b.first.timeNanoseconds)
        let name = sideName(session, context.side) ?? "?"
        report("BFD.FSM.HANDSHAKE", context, session: session, kind: "up-\(context.observation.frameNumber)",
               measured: Units.duration(nanoseconds: context.observation.timeNanoseconds - start),
               "\(name) Up at frame \(context.observation.frameNumber), \(Units.duration(nanoseconds: context.observation.timeNanoseconds - start)) after the session's first packet")
    }
}
