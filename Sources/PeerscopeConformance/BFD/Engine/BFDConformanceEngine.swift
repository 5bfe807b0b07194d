import PeerscopeAnalysis
import PeerscopeWire

/// Evaluates the BFD rules of CONFORMANCE.md §1–5 and §8 (the units of `RuleRegistry.bfd`) over the
/// packet contexts the session tracker produces, in one pass. Each event goes only to the rules
/// that subscribe to it, in the registry's order (which is the order their findings are listed in).
public struct BFDConformanceEngine {
    var output: BFDRuleOutput
    /// The rules, in the registry's order.
    public let rules: [BFDRule]
    /// The per-packet hooks, grouped by event in registry order; decided once, here. Each step
    /// names a run of `packetRules`: one flat array, so a packet retains no array per step.
    private let packetSteps: [Step]
    private let packetRules: [Unmanaged<BFDRule>]
    private let stateful: [Unmanaged<BFDRule>]
    private let malformedRules: [Unmanaged<BFDRule>]
    private let echoRules: [Unmanaged<BFDRule>]
    private let finishBefore: [Unmanaged<BFDRule>]
    private let finishSessionRules: [Unmanaged<BFDRule>]
    private let finishAfter: [Unmanaged<BFDRule>]
    /// Where the authentication tallies are kept (for `authentication(session:side:)`).
    private let digest: AuthenticationDigestRule?
    private var slots = SessionSlots()

    /// The events of one packet, in the order a rule that takes several of them sees them.
    private enum PacketHook: CaseIterable {
        case packet, stateChange, timerChange, pollFinal

        var event: BFDRuleEvents {
            switch self {
            case .packet: .packet
            case .stateChange: .stateChange
            case .timerChange: .timerChange
            case .pollFinal: .pollFinal
            }
        }
    }

    /// Consecutive rules of the registry that take the same hook: `packetRules[rules]`.
    private struct Step {
        let hook: PacketHook
        var rules: Range<Int>
    }

    public var findings: FindingSink { output.findings }
    public var originNanoseconds: Int64 {
        get { output.originNanoseconds }
        set { output.originNanoseconds = newValue }
    }
    public var timeWentBackAtFrame: Int? {
        get { output.timeWentBackAtFrame }
        set { output.timeWentBackAtFrame = newValue }
    }
    public var options: CheckOptions { output.options }

    public init(options: CheckOptions = CheckOptions()) {
        self.init(options: options, rules: RuleRegistry.bfd(options: options))
    }

    public init(options: CheckOptions, rules: [BFDRule]) {
        output = BFDRuleOutput(options: options)
        self.rules = rules
        // Unretained: `rules` keeps them alive, and the per-packet path then retains none.
        func subscribed(_ event: BFDRuleEvents) -> [Unmanaged<BFDRule>] {
            rules.filter { $0.events.contains(event) }.map(Unmanaged.passUnretained)
        }
        var steps: [Step] = []
        var flat: [Unmanaged<BFDRule>] = []
        for rule in rules {
            for hook in PacketHook.allCases where rule.events.contains(hook.event) {
                flat.append(Unmanaged.passUnretained(rule))
                if let last = steps.last, last.hook == hook {
                    steps[steps.count - 1].rules = last.rules.lowerBound..<flat.count
                } else {
                    steps.append(Step(hook: hook, rules: (flat.count - 1)..<flat.count))
                }
            }
        }
        packetSteps = steps
        packetRules = flat
        stateful = subscribed(.sessionState)
        malformedRules = subscribed(.malformed)
        echoRules = subscribed(.echo)
        finishBefore = subscribed(.finishBeforeSessions)
        finishSessionRules = subscribed(.finishSession)
        finishAfter = subscribed(.finishAfterSessions)
        digest = rules.lazy.compactMap { $0 as? AuthenticationDigestRule }.first
    }

    /// One control packet, after the tracker placed it in `session`.
    public mutating func packet(_ context: BFDPacketContext, session: BFDSession) {
        let (slot, isNew) = slots.slot(for: context.sessionID)
        if isNew { for rule in stateful { rule._withUnsafeGuaranteedRef { $0.reset(slot: slot) } } }
        // The packet's fields are read where they lie: copying the packet (or the previous one)
        // out of the context costs a memcpy each, per packet.
        var events = BFDRuleEvents.packet
        let state = context.observation.packet.state
        if let previousState = context.previous?.packet.state {
            if previousState != state { events.insert(.stateChange) }
            if context.previous?.packet.desiredMinTxInterval != context.observation.packet.desiredMinTxInterval
                || context.previous?.packet.requiredMinRxInterval != context.observation.packet.requiredMinRxInterval
                || context.previous?.packet.detectMultiplier != context.observation.packet.detectMultiplier {
                events.insert(.timerChange)
            }
        }
        if context.observation.packet.poll || context.observation.packet.final { events.insert(.pollFinal) }
        // The steps and the rules are read in place through buffer pointers: an array per step
        // was retained per packet while `output` (part of self) is written.
        let plan = packetSteps, planRules = packetRules
        plan.withUnsafeBufferPointer { steps in
            planRules.withUnsafeBufferPointer { allRules in
                for step in steps where events.contains(step.hook.event) {
                    let rules = UnsafeBufferPointer(rebasing: allRules[step.rules])
                    switch step.hook {
                    case .packet:
                        for rule in rules {
                            rule._withUnsafeGuaranteedRef { $0.packet(context, session: session, slot: slot, &output) }
                        }
                    case .stateChange:
                        let from = context.previous?.packet.state ?? state
                        for rule in rules {
                            rule._withUnsafeGuaranteedRef {
                                $0.stateChange(context, session: session, slot: slot, from: from, to: state, &output)
                            }
                        }
                    case .timerChange:
                        for rule in rules {
                            rule._withUnsafeGuaranteedRef { $0.timerChange(context, session: session, slot: slot, &output) }
                        }
                    case .pollFinal:
                        for rule in rules {
                            rule._withUnsafeGuaranteedRef { $0.pollFinal(context, session: session, slot: slot, &output) }
                        }
                    }
                }
            }
        }
    }

    /// A frame on a BFD port that could not be decoded as BFD: the decode error names the rule.
    public mutating func malformed(frame: Int, time: Int64, error: WireError, transport: BFDTransport,
                                   source: IPAddress?) {
        let frame = MalformedBFDFrame(frame: frame, time: time, error: error, transport: transport, source: source)
        for rule in malformedRules { rule._withUnsafeGuaranteedRef { $0.malformed(frame, &output) } }
    }

    /// One echo packet.
    public mutating func echo(frame: Int, time: Int64, source: IPAddress, ttl: UInt8, echo: BFDEchoPacket,
                              tracker: BFDSessionTracker) {
        let echo = ObservedEcho(frame: frame, time: time, source: source, ttl: ttl, packet: echo)
        for rule in echoRules { rule._withUnsafeGuaranteedRef { $0.echo(echo, tracker: tracker, &output) } }
    }

    /// After the last frame: rules that need the whole session (flaps, jitter, pending detections).
    public mutating func finish(sessions: [BFDSession], lastFrameTime: Int64) {
        for rule in finishBefore { rule._withUnsafeGuaranteedRef { $0.finishBeforeSessions(sessions, &output) } }
        for session in sessions {
            let slot = slots.byID[session.id]
            for rule in finishSessionRules {
                rule._withUnsafeGuaranteedRef { $0.finishSession(session, slot: slot, lastFrameTime: lastFrameTime, &output) }
            }
        }
        for rule in finishAfter { rule._withUnsafeGuaranteedRef { $0.finishAfterSessions(sessions, &output) } }
    }

    /// A session the tracker folded away at its cap (CAPTURE.STATE.CAP): its per-packet findings
    /// join one finding per rule for all folded sessions; the rules that need the whole session
    /// (flaps, jitter, never Up) do not judge it, since its end was not seen. Its slot is freed.
    public mutating func fold(_ session: BFDSession) {
        slots.release(session.id)
        output.findings.fold(session: session.id)
    }

    /// The authentication tally of `side` (0 = A, 1 = B) of session `id`; nil when it sent no
    /// authenticated packet.
    public func authentication(session id: Int, side: Int) -> AuthenticationTally? {
        guard side == 0 || side == 1, let slot = slots.byID[id] else { return nil }
        return digest?.tally(slot: slot, side: side)
    }

    /// Hops from the nearest common initial TTL (255, 128, 64) above the received value.
    public static func impliedHops(_ ttl: UInt8) -> Int { SessionSummaryRules.impliedHops(ttl) }
}
