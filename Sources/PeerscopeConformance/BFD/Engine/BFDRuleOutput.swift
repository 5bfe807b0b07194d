import PeerscopeAnalysis
import PeerscopeWire

/// What every BFD rule reports through: the findings, the options of the run and the capture's
/// clock (its origin, and where its time went backwards).
public struct BFDRuleOutput {
    public internal(set) var findings = FindingSink()
    public let options: CheckOptions
    /// `options.tolerance`, built once.
    public let tolerance: FindingValue
    /// Time of the first frame of the capture: findings report times relative to it.
    public var originNanoseconds: Int64 = 0
    /// The latest frame whose timestamp was earlier than the frame before it: no gap, delay or
    /// latency that spans it is judged (the clock of the file is not monotonic there).
    public var timeWentBackAtFrame: Int?

    init(options: CheckOptions) {
        self.options = options
        tolerance = options.tolerance
    }

    /// Whether the file's time went backwards after frame `earlier` (up to the current frame).
    public func timeWentBack(after earlier: Int) -> Bool {
        guard let back = timeWentBackAtFrame else { return false }
        return back > earlier
    }

    public func relative(_ time: Int64) -> Int64 { time - originNanoseconds }

    public func sideName(_ session: BFDSession, _ side: Int) -> String? { session.sides[side]?.name }

    /// A finding about the packet of `context`. A repeat (same rule, session, side and `kind`) only
    /// counts: the values and message are built the first time alone, so a misbehaving device costs
    /// no formatting per packet.
    public mutating func report(_ ruleID: RuleID, _ context: BFDPacketContext, session: BFDSession, level: RuleLevel? = nil,
                                kind: @autoclosure () -> String = "", frames: [Int]? = nil,
                                measured: @autoclosure () -> FindingValue? = nil, expected: @autoclosure () -> FindingValue? = nil,
                                tolerance: FindingValue? = nil, _ message: @autoclosure () -> FindingMessage) {
        let side = sideName(session, context.side)
        let kind = kind()
        if findings.repeatExisting(rule: ruleID, session: session.id, side: side, kind: kind,
                                   frame: context.observation.frameNumber, level: level) {
            return
        }
        let measured = measured(), expected = expected(), message = message()
        findings.add(Finding(ruleID, level: level, session: session.id, side: side,
                             frames: frames ?? [context.observation.frameNumber], measured: measured,
                             expected: expected, tolerance: tolerance, message: message,
                             relativeTimeNanoseconds: relative(context.observation.timeNanoseconds)),
                     kind: kind)
    }

    /// A finding about a whole session, or one side of it (`side` 0 = A, 1 = B).
    public func sessionFinding(_ ruleID: RuleID, _ session: BFDSession, side: Int?, level: RuleLevel? = nil,
                               frames: [Int], measured: FindingValue? = nil, expected: FindingValue? = nil, _ message: FindingMessage,
                               time: Int64? = nil) -> Finding {
        Finding(ruleID, level: level, session: session.id, side: side.flatMap { sideName(session, $0) }, frames: frames,
                measured: measured, expected: expected, message: message,
                relativeTimeNanoseconds: time.map(relative))
    }

    public mutating func add(_ finding: Finding, kind: String = "") { findings.add(finding, kind: kind) }
}
