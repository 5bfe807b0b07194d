import PeerscopeAnalysis
import PeerscopeWire

/// Evaluates the BGP rules of CONFORMANCE.md §7, the client rules of §6 and CAPTURE.TCP.HOLE (the
/// units of `RuleRegistry.bgp`). Message rules run as each message completes (in the session's
/// context at that moment); timer, capability and GTSM rules once the capture has been read. Each
/// event goes only to the rules that subscribe to it, in the registry's order.
public struct BGPConformanceEngine {
    var output: BGPRuleOutput
    /// The rules, in the registry's order.
    public let rules: [BGPRule]
    private let messageRules: [Unmanaged<BGPRule>]
    private let malformedRules: [Unmanaged<BGPRule>]
    private let decodedRules: [Unmanaged<BGPRule>]
    private let openRules: [Unmanaged<BGPRule>]
    private let updateRules: [Unmanaged<BGPRule>]
    private let notificationRules: [Unmanaged<BGPRule>]
    private let unknownTypeRules: [Unmanaged<BGPRule>]
    private let transportRules: [Unmanaged<BGPRule>]
    private let finishSessionRules: [Unmanaged<BGPRule>]
    private let finishAfter: [Unmanaged<BGPRule>]
    private let failoverRules: [Unmanaged<BGPRule>]
    private let foldRules: [Unmanaged<BGPRule>]

    public var findings: FindingSink { output.findings }
    public var originNanoseconds: Int64 {
        get { output.originNanoseconds }
        set { output.originNanoseconds = newValue }
    }

    public init(options: CheckOptions = CheckOptions()) {
        self.init(options: options, rules: RuleRegistry.bgp(options: options))
    }

    public init(options: CheckOptions, rules: [BGPRule]) {
        output = BGPRuleOutput(options: options)
        self.rules = rules
        // Unretained: `rules` keeps them alive, and the per-packet path then retains none.
        func subscribed(_ event: BGPRuleEvents) -> [Unmanaged<BGPRule>] {
            rules.filter { $0.events.contains(event) }.map(Unmanaged.passUnretained)
        }
        messageRules = subscribed(.message)
        malformedRules = subscribed(.malformed)
        decodedRules = subscribed(.decoded)
        openRules = subscribed(.open)
        updateRules = subscribed(.update)
        notificationRules = subscribed(.notification)
        unknownTypeRules = subscribed(.unknownType)
        transportRules = subscribed(.transport)
        finishSessionRules = subscribed(.finishSession)
        finishAfter = subscribed(.finishAfterSessions)
        failoverRules = subscribed(.failovers)
        foldRules = subscribed(.fold)
    }

    /// A connection the tracker folded away at its cap (CAPTURE.STATE.CAP): its message findings
    /// join one finding per rule for all folded connections; the end-of-capture rules do not judge
    /// it. Its rule state is dropped.
    public mutating func fold(_ session: BGPSession) {
        for rule in foldRules { rule._withUnsafeGuaranteedRef { $0.fold(session) } }
        output.findings.fold(bgpSession: session.id)
    }

    /// One event of `session`, sent by `side`, after the tracker took it in.
    public mutating func event(_ event: BGPStreamEvent, session: BGPSession, side: Int) {
        switch event {
        case .message(let record): message(BGPMessageContext(record: record, side: side), session: session)
        case .transport(let transport):
            for rule in transportRules {
                rule._withUnsafeGuaranteedRef { $0.transport(transport, session: session, side: side, &output) }
            }
        }
    }

    /// The header rules, then either the rules for a message that did not decode or those for the
    /// decoded message and its type.
    private mutating func message(_ context: BGPMessageContext, session: BGPSession) {
        for rule in messageRules { rule._withUnsafeGuaranteedRef { $0.message(context, session: session, &output) } }
        let decoded: BGPMessage
        switch context.record.message {
        case .success(let message): decoded = message
        case .failure(let error):
            for rule in malformedRules { rule._withUnsafeGuaranteedRef { $0.malformed(error, context, session: session, &output) } }
            return
        }
        for rule in decodedRules { rule._withUnsafeGuaranteedRef { $0.decoded(decoded, context, session: session, &output) } }
        switch decoded {
        case .open(let open):
            for rule in openRules { rule._withUnsafeGuaranteedRef { $0.open(open, context, session: session, &output) } }
        case .update(let update):
            for rule in updateRules { rule._withUnsafeGuaranteedRef { $0.update(update, context, session: session, &output) } }
        case .notification(let notification):
            for rule in notificationRules {
                rule._withUnsafeGuaranteedRef { $0.notification(notification, context, session: session, &output) }
            }
        case .unknown(let type, _):
            for rule in unknownTypeRules { rule._withUnsafeGuaranteedRef { $0.unknownType(type, context, session: session, &output) } }
        case .keepalive, .routeRefresh: break
        }
    }

    /// After the last frame: capabilities, hold time and keepalives, GTSM — per session; then the
    /// rules over all sessions.
    public mutating func finish(sessions: [BGPSession]) {
        for session in sessions {
            for rule in finishSessionRules { rule._withUnsafeGuaranteedRef { $0.finishSession(session, &output) } }
        }
        for rule in finishAfter { rule._withUnsafeGuaranteedRef { $0.finishAfterSessions(sessions, &output) } }
    }

    /// RFC 5882 §3.2 and RFC 9384: what the BGP session did when its BFD session went Down.
    public mutating func judge(failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession]) {
        for rule in failoverRules {
            rule._withUnsafeGuaranteedRef { $0.failovers(failovers, bfd: bfd, bgp: bgp, &output) }
        }
    }
}
