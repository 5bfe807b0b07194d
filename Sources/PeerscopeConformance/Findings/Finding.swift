/// One observation about a capture, tied to a rule of the catalog and to the frames that show it.
public struct Finding: Sendable {
    public let rule: Rule
    /// The rule as a `RuleID` (`rule.id` is its dotted form).
    public let ruleID: RuleID
    /// The catalog level, unless the evidence makes it worse (a late packet that reaches the
    /// detection time is an error, not a warning).
    public var level: RuleLevel
    public var sessionID: Int?
    /// The BGP session the finding is about (BGP sessions are numbered apart from BFD ones).
    public var bgpSessionID: Int?
    /// The address of the side the finding is about, when it is about one side.
    public var side: String?
    /// Frame numbers (1-based, as Wireshark counts them) that show it, ascending and each once;
    /// the first few when repeated.
    public var frames: [Int]
    /// Typed (issue 13 item 4); PeerscopeReport formats them.
    public var measured: FindingValue?
    public var expected: FindingValue?
    /// The slack a timing check allowed.
    public var tolerance: FindingValue?
    /// Words and typed values; PeerscopeReport renders it (`FindingValueText.message(of:)`).
    public var message: FindingMessage
    /// The first of the findings of sessions folded away at the state cap, counting them all
    /// (`FindingSink.fold`); the report says so after the message.
    public var foldedAtStateCap = false
    /// How many times the same finding occurred (same rule, session, side and kind).
    public var occurrences = 1
    /// Time of the first occurrence, ns since the first frame.
    public var relativeTimeNanoseconds: Int64?

    public init(_ ruleID: RuleID, level: RuleLevel? = nil, session: Int? = nil, bgpSession: Int? = nil, side: String? = nil,
                frames: [Int], measured: FindingValue? = nil, expected: FindingValue? = nil, tolerance: FindingValue? = nil,
                message: FindingMessage, relativeTimeNanoseconds: Int64? = nil) {
        rule = ruleID.rule
        self.ruleID = ruleID
        self.level = level ?? rule.level
        sessionID = session
        bgpSessionID = bgpSession
        self.side = side
        self.frames = Self.evidence(frames)
        self.measured = measured
        self.expected = expected
        self.tolerance = tolerance
        self.message = message
        self.relativeTimeNanoseconds = relativeTimeNanoseconds
    }

    /// By dotted ID, for code outside the catalog's reach; traps on an ID the catalog lacks.
    @available(*, deprecated, message: "use a generated RuleID constant, e.g. .BFD.TMR.TX.SLOW")
    public init(_ ruleID: String, level: RuleLevel? = nil, session: Int? = nil, bgpSession: Int? = nil, side: String? = nil,
                frames: [Int], measured: FindingValue? = nil, expected: FindingValue? = nil, tolerance: FindingValue? = nil,
                message: FindingMessage, relativeTimeNanoseconds: Int64? = nil) {
        guard let id = RuleID(ruleID) else { preconditionFailure("rule \(ruleID) is not in conformance/rules.json") }
        self.init(id, level: level, session: session, bgpSession: bgpSession, side: side, frames: frames,
                  measured: measured, expected: expected, tolerance: tolerance, message: message,
                  relativeTimeNanoseconds: relativeTimeNanoseconds)
    }
}

extension Finding {
    /// Frames as evidence: ascending, each once, frame numbers below 1 (none) dropped.
    static func evidence(_ frames: [Int]) -> [Int] {
        var sorted = frames.filter { $0 > 0 }.sorted()
        var index = 1
        while index < sorted.count {
            if sorted[index] == sorted[index - 1] { sorted.remove(at: index) } else { index += 1 }
        }
        return sorted
    }
}

/// Collects findings, folding repeats: the same rule, session, side and `kind` become one finding
/// with a count and its first frames, so a million bad packets make one line, not a million.
public struct FindingSink: Sendable {
    public static let framesKept = 8

    struct Key: Hashable {
        var rule: RuleID
        var session: Int?
        var bgpSession: Int?
        var side: String?
        var kind: String
    }

    private var order: [Key] = []
    private var byKey: [Key: Finding] = [:]
    /// The keys of each session's findings (BFD and BGP sessions apart), to fold them with it.
    private var keysOfSession: [Int: [Key]] = [:]
    private var keysOfBGPSession: [Int: [Key]] = [:]

    public init() {}

    /// Adds `finding`; `kind` separates findings of one rule that should not fold together.
    public mutating func add(_ finding: Finding, kind: String = "") {
        let key = Key(rule: finding.ruleID, session: finding.sessionID, bgpSession: finding.bgpSessionID,
                      side: finding.side, kind: kind)
        if var existing = byKey[key] {
            existing.occurrences += 1
            for frame in finding.frames where existing.frames.count < Self.framesKept && !existing.frames.contains(frame) {
                existing.frames.append(frame)
            }
            if finding.level < existing.level { existing.level = finding.level }
            byKey[key] = existing
        } else {
            order.append(key)
            byKey[key] = finding
            if let session = key.session { keysOfSession[session, default: []].append(key) }
            if let session = key.bgpSession { keysOfBGPSession[session, default: []].append(key) }
        }
    }

    /// A session folded away at the state cap (CAPTURE.STATE.CAP): its findings join one finding
    /// per rule and kind for all folded sessions, so their number stays bounded by the rules, not
    /// by the sessions a capture names. Occurrences, frames and the worst level carry over.
    public mutating func fold(session: Int? = nil, bgpSession: Int? = nil) {
        var keys: [Key] = []
        if let session { keys += keysOfSession.removeValue(forKey: session) ?? [] }
        if let bgpSession { keys += keysOfBGPSession.removeValue(forKey: bgpSession) ?? [] }
        for key in keys {
            guard let finding = byKey.removeValue(forKey: key) else { continue }
            let folded = Key(rule: key.rule, session: nil, bgpSession: nil, side: nil, kind: "folded " + key.kind)
            if var existing = byKey[folded] {
                existing.occurrences += finding.occurrences
                for frame in finding.frames where existing.frames.count < Self.framesKept && !existing.frames.contains(frame) {
                    existing.frames.append(frame)
                }
                if finding.level < existing.level { existing.level = finding.level }
                byKey[folded] = existing
            } else {
                var first = finding
                first.sessionID = nil
                first.bgpSessionID = nil
                first.side = nil
                first.foldedAtStateCap = true
                order.append(folded)
                byKey[folded] = first
            }
        }
        // Keys of folded findings stay in `order` until they outnumber the living ones.
        if order.count > 2 * byKey.count + 64 { order.removeAll { byKey[$0] == nil } }
    }

    /// Counts one more occurrence of an existing finding without building it again; false when
    /// there is none yet. Keeps a run over a misbehaving device from formatting a message per packet.
    mutating func repeatExisting(rule: RuleID, session: Int?, side: String?, kind: String, frame: Int, level: RuleLevel?) -> Bool {
        let key = Key(rule: rule, session: session, bgpSession: nil, side: side, kind: kind)
        guard var existing = byKey[key] else { return false }
        existing.occurrences += 1
        if existing.frames.count < Self.framesKept, frame > 0, !existing.frames.contains(frame) { existing.frames.append(frame) }
        if let level, level < existing.level { existing.level = level }
        byKey[key] = existing
        return true
    }

    /// In the order they were first seen.
    /// Repeats add their frames as they come: each finding's frames are put back in order here.
    public var all: [Finding] {
        order.compactMap { key in
            guard var finding = byKey[key] else { return nil }
            finding.frames = Finding.evidence(finding.frames)
            return finding
        }
    }

    /// Distinct findings so far (a repeat folds into its first and does not count).
    public var count: Int { order.count }

    /// The findings first seen at positions `range` of `all`, as they stand now (a live view
    /// prints each as it appears).
    public func findings(in range: Range<Int>) -> [Finding] {
        order[range.clamped(to: order.indices)].compactMap { key in
            guard var finding = byKey[key] else { return nil }
            finding.frames = Finding.evidence(finding.frames)
            return finding
        }
    }

    public func count(of ruleID: String) -> Int { all.filter { $0.rule.id == ruleID }.count }

    public func count(of ruleID: RuleID) -> Int { count(of: ruleID.id) }

    public var worstLevel: RuleLevel? { all.map(\.level).min() }
}
