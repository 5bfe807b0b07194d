import PeerscopeAnalysis
import PeerscopeWire

/// Evaluates the BGP rules of CONFORMANCE.md §7, the client rules of §6 and CAPTURE.TCP.HOLE (the
/// units of `RuleRegistry.bgp`). Message rules run as each message completes (in the session's
/// context at that moment); timer, capability and GTSM rules once the capture has been read. Each
/// event goes only to the rules that subscribe to it, in the registry's order.
public struct BGPConformanceEngine {
    var output: BGPRuleOutput
    /// The rules, in the registry's order.
    public let rules: [any BGPRule]
    private let messageRules: [any BGPRule]
    private let malformedRules: [any BGPRule]
    private let decodedRules: [any BGPRule]
    private let openRules: [any BGPRule]
    private let updateRules: [any BGPRule]
    private let notificationRules: [any BGPRule]
    private let unknownTypeRules: [any BGPRule]
    private let transportRules: [any BGPRule]
    private let finishSessionRules: [any BGPRule]
    private let finishAfter: [any BGPRule]
    private let failoverRules: [any BGPRule]
    private let foldRules: [any BGPRule]

    public var findings: FindingSink { output.findings }
    public var originNanoseconds: Int64 {
        get { output.originNanoseconds }
        set { output.originNanoseconds = newValue }
    }

    public init(options: CheckOptions = CheckOptions()) {
        self.init(options: options, rules: RuleRegistry.bgp(options: options))
    }

    public init(options: CheckOptions, rules: [any BGPRule]) {
        output = BGPRuleOutput(options: options)
        self.rules = rules
        func subscribed(_ event: BGPRuleEvents) -> [any BGPRule] { rules.filter { $0.events.contains(event) } }
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
        for rule in foldRules { rule.fold(session) }
        output.findings.fold(bgpSession: session.id)
    }

    /// One event of `session`, sent by `side`, after the tracker took it in.
    public mutating func event(_ event: BGPStreamEvent, session: BGPSession, side: Int) {
        switch event {
        case .message(let record): message(BGPMessageContext(record: record, session: session, side: side))
        case .transport(let transport):
            for rule in transportRules { rule.transport(transport, session: session, side: side, &output) }
        }
    }

    /// The header rules, then either the rules for a message that did not decode or those for the
    /// decoded message and its type.
    private mutating func message(_ context: BGPMessageContext) {
        for rule in messageRules { rule.message(context, &output) }
        let decoded: BGPMessage
        switch context.record.message {
        case .success(let message): decoded = message
        case .failure(let error):
            for rule in malformedRules { rule.malformed(error, context, &output) }
            return
        }
        for rule in decodedRules { rule.decoded(decoded, context, &output) }
        switch decoded {
        case .open(let open): for rule in openRules { rule.open(open, context, &output) }
        case .update(let update): for rule in updateRules { rule.update(update, context, &output) }
        case .notification(let notification):
            for rule in notificationRules { rule.notification(notification, context, &output) }
        case .unknown(let type, _): for rule in unknownTypeRules { rule.unknownType(type, context, &output) }
        case .keepalive, .routeRefresh: break
        }
    }

    /// After the last frame: capabilities, hold time and keepalives, GTSM — per session; then the
    /// rules over all sessions.
    public mutating func finish(sessions: [BGPSession]) {
        for session in sessions {
            for rule in finishSessionRules { rule.finishSession(session, &output) }
        }
        for rule in finishAfter { rule.finishAfterSessions(sessions, &output) }
    }

    /// RFC 5882 §3.2 and RFC 9384: what the BGP session did when its BFD session went Down.
    public mutating func judge(failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession]) {
        for rule in failoverRules { rule.failovers(failovers, bfd: bfd, bgp: bgp, &output) }
    }
}
