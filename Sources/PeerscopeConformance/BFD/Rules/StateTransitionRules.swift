import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// BFD.FSM.TRANSITION, BFD.FSM.DIAG.DOWN and BFD.FSM.IMMEDIATE: the state machine of RFC 5880 §6.2
/// and the reception rules of §6.8.6, judged from the outside: a side's change must be explained
/// by what its peer had sent before it, carry a diag that explains it (§6.8.1) and be announced at
/// once (§6.8.7). They share what each side last heard from its peer.
final class StateTransitionRules: BFDRule {
    override var events: BFDRuleEvents { [.packet, .stateChange, .sessionState] }
    private struct Side {
        /// The states the peer has sent since this side last entered Down (bit n: raw state n).
        var peerSinceDown: UInt8 = 0
        /// The peer's packet that would move this side, waiting for its announcement (§6.8.7).
        var trigger: (state: BFDState, frame: Int, time: Int64)?
    }
    @exclusivity(unchecked) private var sides = SlotStates(SidePair(Side()))

    override func reset(slot: Int) { sides.reset(slot) }

    /// Remembers the peer packets that would move this side, for the Down→Init/Up checks and for
    /// measuring how fast the change was announced. This packet is a trigger for the *peer* side.
    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let other = 1 - context.side
        let state = context.observation.packet.state
        sides[slot][other].peerSinceDown |= 1 << state.rawValue
        if sides[slot][other].trigger?.state != state {
            sides[slot][other].trigger = (state, context.observation.frameNumber, context.observation.timeNanoseconds)
        }
    }

    override func stateChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, from: BFDState, to: BFDState,
                     _ out: inout BFDRuleOutput) {
        guard let previous = context.previous else { return }
        let observation = context.observation
        let me = context.side
        let peerState = context.peerLast?.packet.state
        let peerSeen = context.peerLast != nil
        let diag = observation.packet.diagnostic
        var problem: String?
        /// A change the diagram allows only through a Down the side never sent (it went Down and
        /// out again between two packets): legal inside, but the Down was not announced (§6.8.7).
        var unannouncedDown: String?
        switch to {
        case .adminDown:
            // A local decision (§6.8.16), outside the reception diagram.
            // §6.8.16 asks for "an appropriate" diag: 0 (No Diagnostic) explains nothing.
            if diag == .none {
                out.report(.BFD.FSM.DIAG.DOWN, context, session: session, kind: "admin", measured: .composite([.word("AdminDown"), .text(" with diag "), .number(0)]),
                           expected: .text("a diag that explains it (7 Administratively Down, 5 Path Down …)"),
                           "Entered AdminDown with diag 0 (No Diagnostic)")
            }
        case .down where BFDTransitionTable.onDetectionTimeExpired(local: from)?.next == .down:
            // Init or Up reach Down through the Detection Time (§6.8.4), and a side may also leave
            // for local reasons (its session deleted or re-created, a client that deregistered):
            // §6.2 forbids no local Down. Diag 3 then names the wrong reason, which §6.8.1
            // (bfd.LocalDiag: the reason for the change) weighs as a diag problem, not as a broken
            // state machine.
            checkDownDiag(context, session: session, from: from, peerState: peerState, &out)
        case .down:
            break // Leaving AdminDown goes to Down (§6.8.16).
        case .`init`, .up:
            // The peer states that move `from` to `to` in §6.2's diagram (`BFDTransitionTable`).
            let direct = Self.triggers(from: from, to: to)
            if direct != 0 {
                // Evidence, as the analyzer sees it from outside: a side in Down acts on any
                // packet heard since it entered Down (it may have heard it between two captured
                // packets of its own); a side in Init on the peer's latest packet.
                let heard = from == .down ? sides[slot][me].peerSinceDown & direct != 0
                    : peerState.map { Self.bit($0) & direct != 0 } ?? false
                if peerSeen, !heard { problem = Self.illegal(from: from, to: to, peerState: peerState) }
            } else {
                // No edge from `from` to `to`: only through a Down this side never sent, which the
                // peer's state must then take on to `to`.
                let viaDown = Self.triggers(from: .down, to: to)
                var heard = peerState.map { Self.bit($0) & viaDown != 0 } ?? false
                // AdminDown→Up: the peer's Init since this side last entered Down counts as well.
                if from == .adminDown, to == .up { heard = heard || sides[slot][me].peerSinceDown & viaDown != 0 }
                if heard {
                    unannouncedDown = to == .up ? "went AdminDown→Up: the Down in between was never sent"
                        : "went \(from)→Init: the Down in between (then the peer's Down) was never sent"
                } else {
                    problem = Self.illegal(from: from, to: to, peerState: peerState)
                }
            }
        }
        // Only when no packet of this side can be missing in between: the capture may have lost
        // the Down it sent (a one-way failure loses exactly those).
        if let unannouncedDown, context.nothingMissedSincePrevious(tolerance: out.options.toleranceNanoseconds) {
            out.report(.BFD.FSM.IMMEDIATE, context, session: session, kind: "unannounced",
                       frames: [previous.frameNumber, observation.frameNumber], measured: .transition(.word("\(from)"), .word("\(to)")),
                       expected: .text("every state change announced"), FindingMessage(unannouncedDown))
        }
        if let problem {
            out.report(.BFD.FSM.TRANSITION, context, session: session, kind: "\(from)-\(to)",
                       frames: [previous.frameNumber, observation.frameNumber] + (context.peerLast.map { [$0.frameNumber] } ?? []),
                       measured: .composite([.transition(.word("\(from)"), .word("\(to)")), .text(" diag "), .number(Int64(diag.rawValue))]), FindingMessage(problem))
        }
        if to == .down {
            sides[slot][me].peerSinceDown = 0
        }
        checkImmediate(context, session: session, slot: slot, from: from, to: to, &out)
    }

    private static func bit(_ state: BFDState) -> UInt8 { 1 << state.rawValue }

    /// The received states (as bits) with which `BFDTransitionTable.onReceive` moves `from` to `to`.
    private static func triggers(from: BFDState, to: BFDState) -> UInt8 {
        var bits: UInt8 = 0
        for received in BFDState.allCases where BFDTransitionTable.onReceive(local: from, received: received)?.next == to {
            bits |= bit(received)
        }
        return bits
    }

    /// Why a change into Init or Up is not explained by what the peer sent.
    private static func illegal(from: BFDState, to: BFDState, peerState: BFDState?) -> String {
        switch (from, to) {
        case (.down, .`init`): "went Down→Init without the peer having sent Down"
        case (.down, .up): "went Down→Up without the peer having sent Init (three-way handshake skipped)"
        case (.adminDown, .up): "left AdminDown for Up without passing through Down or hearing the peer's Init"
        default: "went \(from)→\(to) while the peer's latest packet said \(peerState?.description ?? "nothing")"
        }
    }

    /// §6.8.1: the diag of a change into Down from Init or Up must explain it.
    private func checkDownDiag(_ context: BFDPacketContext, session: BFDSession, from: BFDState, peerState: BFDState?,
                               _ out: inout BFDRuleOutput) {
        guard let previous = context.previous else { return }
        let observation = context.observation
        let diag = observation.packet.diagnostic
        if diag == .neighborSignaledSessionDown, let peerState, peerState != .down, peerState != .adminDown {
            out.report(.BFD.FSM.DIAG.DOWN, context, session: session, kind: "diag3-\(peerState)",
                       frames: [previous.frameNumber, observation.frameNumber] + (context.peerLast.map { [$0.frameNumber] } ?? []),
                       measured: .composite([.transition(.word("\(from)"), .word("Down")), .text(" diag "), .number(3),
                                             .text(", peer's latest packet "), .word("\(peerState)")]),
                       expected: .text("diag 3 only after the peer signalled Down or AdminDown"),
                       "Went Down with diag 3 (Neighbor Signaled Session Down) although the peer's latest packet said \(peerState): a local Down (the session deleted or re-created) with a diag that does not explain it")
        }
        if from == .up, diag == .none {
            out.report(.BFD.FSM.DIAG.DOWN, context, session: session, measured: .composite([.text("diag "), .number(0)]),
                       expected: .text("a diag that explains the Down"),
                       "Went Up→Down with diag 0 (No Diagnostic)")
        }
    }

    /// §6.8.7: a state change caused by the peer should be announced at once, not at the next
    /// periodic slot. Reports the delay when it exceeds half the interval.
    private func checkImmediate(_ context: BFDPacketContext, session: BFDSession, slot: Int, from: BFDState, to: BFDState,
                                _ out: inout BFDRuleOutput) {
        guard let trigger = sides[slot][context.side].trigger, !out.timeWentBack(after: trigger.frame) else { return }
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
        let interval = Int64(context.negotiatedTxInterval ?? BFDTimingModel.slowStartInterval) * 1_000
        // If this side's own packets are missing from before the change (lost on the way, or by the
        // capture), its announcement may have been sent and lost: the delay is not its fault.
        if let previous = context.previous,
           context.observation.timeNanoseconds - previous.timeNanoseconds > 2 * max(interval, 1_000_000_000) {
            return
        }
        if delay > interval / 2 + out.options.toleranceNanoseconds, delay > 10_000_000 {
            out.report(.BFD.FSM.IMMEDIATE, context, session: session, frames: [trigger.frame, context.observation.frameNumber],
                       measured: .duration(nanoseconds: delay), expected: .atMost(.text("half the TX interval")),
                       tolerance: out.tolerance,
                       "State change \(from)→\(to) announced \(.duration(nanoseconds: delay)) after the peer's \(trigger.state)")
        }
    }
}
