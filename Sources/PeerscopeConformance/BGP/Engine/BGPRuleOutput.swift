import PeerscopeAnalysis
import PeerscopeWire

/// What every BGP rule reports through: the findings, the options of the run and the capture's
/// origin.
public struct BGPRuleOutput {
    public internal(set) var findings = FindingSink()
    public let options: CheckOptions
    public var originNanoseconds: Int64 = 0

    init(options: CheckOptions) { self.options = options }

    public func relative(_ time: Int64) -> Int64 { time - originNanoseconds }

    public mutating func add(_ finding: Finding, kind: String = "") { findings.add(finding, kind: kind) }

    /// A finding about the message of `context` in `session`, at its frame and time.
    public mutating func report(_ rule: RuleID, _ context: BGPMessageContext, session: BGPSession, measured: FindingValue? = nil,
                                expected: FindingValue? = nil, kind: String = "", _ message: FindingMessage) {
        findings.add(Finding(rule, bgpSession: session.id, side: session.sides[context.side].name,
                             frames: [context.record.frameNumber],
                             measured: measured, expected: expected, message: message,
                             relativeTimeNanoseconds: relative(context.record.timeNanoseconds)),
                     kind: kind)
    }
}
