import PeerscopeConformance

/// One finding as every renderer sees it: `check` text, `check --json`, `--junit`, `live` and the
/// HTML report all start from this record (schema 2, docs/json-schema.md), so they cannot drift.
public struct ReportFinding: Codable, Sendable, Equatable {
    public var rule: String
    public var level: String
    /// The RFC section the rule stands on ("RFC 5880 §6.8.4"); what the rule checks is in
    /// `ReportDocument.rules`.
    public var reference: String
    public var bfdSession: Int?
    public var bgpSession: Int?
    public var side: String?
    /// Wireshark frame numbers (1-based) that show it.
    public var frames: [Int]
    /// Time of the first occurrence, ns since the file's first frame.
    public var timeNanoseconds: Int64?
    public var measured: ReportValue?
    public var expected: ReportValue?
    public var tolerance: ReportValue?
    public var message: String
    public var occurrences: Int
    /// A MUST listed in `--known-deviations`: shown, not counted in the exit status.
    public var knownDeviation: Bool

    public init(_ finding: Finding, knownDeviation: Bool = false) {
        rule = finding.rule.id
        level = finding.level.rawValue
        reference = finding.rule.reference
        bfdSession = finding.sessionID
        bgpSession = finding.bgpSessionID
        side = finding.side
        frames = finding.frames
        timeNanoseconds = finding.relativeTimeNanoseconds
        measured = finding.measured.map(ReportValue.init)
        expected = finding.expected.map(ReportValue.init)
        tolerance = finding.tolerance.map(ReportValue.init)
        message = FindingValueText.message(of: finding)
        occurrences = finding.occurrences
        self.knownDeviation = knownDeviation
    }

    /// The level as the catalog orders it (MUST first); nil only for a record from elsewhere.
    public var ruleLevel: RuleLevel? { RuleLevel(rawValue: level) }
}

/// A finding's measured, expected or tolerance value: the text `check` prints, what kind of value
/// it is and its number in its unit, so a reader can compare or draw it without parsing text.
///
/// `kind` is the case of `FindingValue` (`duration`, `timestamp`, `interval`, `seconds`, `count`, `ratio`,
/// `number`, `bits`, `sequence`, `discriminator`, `address`, `word`, `range`, `within`,
/// `atLeast`, `atMost`, `below`, `change`, `transition`, `plusMinus`, `frames`, `text`,
/// `composite`). `value` + `unit` is the number as the capture or the wire gives it (`ns`, `us`
/// for BFD timer fields, `s` for BGP hold times, the noun of a count); `nanoseconds`, `count` and
/// `ratio` repeat the leading number in a common unit (for a bound or a composite, its first
/// number). `parts` holds the operands: the two ends of a range or change, the bound, the values
/// of a composite (its prose only in `text`).
public struct ReportValue: Codable, Sendable, Equatable {
    public var text: String
    public var kind: String
    public var value: Int64?
    public var unit: String?
    public var nanoseconds: Int64?
    public var count: Int?
    public var ratio: Double?
    public var frames: [Int]?
    public var parts: [ReportValue]?

    public init(_ value: FindingValue) {
        text = FindingValueText.text(value)
        switch value {
        case .duration(let ns):
            kind = "duration"; self.value = ns; unit = "ns"; nanoseconds = ns
        case .timestamp(let ns, _):
            kind = "timestamp"; self.value = ns; unit = "ns"; nanoseconds = ns
        case .interval(let us):
            kind = "interval"; self.value = us; unit = "us"; nanoseconds = Self.scaled(us, by: 1_000)
        case .seconds(let s):
            kind = "seconds"; self.value = s; unit = "s"; nanoseconds = Self.scaled(s, by: 1_000_000_000)
        case .count(let n, let noun):
            kind = "count"; self.value = Int64(n); unit = noun; count = n
        case .ratio(let share):
            kind = "ratio"; ratio = share.isFinite ? share : nil
        case .number(let n):
            kind = "number"; self.value = n
        case .bits(let bits):
            kind = "bits"; self.value = Int64(clamping: bits)
        case .sequence(let n):
            kind = "sequence"; self.value = Int64(n)
        case .discriminator(let n):
            kind = "discriminator"; self.value = Int64(n)
        case .address: kind = "address"
        case .word: kind = "word"
        case .text: kind = "text"
        case .frames(let list):
            kind = "frames"; frames = list
        case .range(let low, let high): kind = "range"; parts = [Self(low), Self(high)]
        case .within(let low, let high): kind = "within"; parts = [Self(low), Self(high)]
        case .change(let from, let to): kind = "change"; parts = [Self(from), Self(to)]
        case .transition(let from, let to): kind = "transition"; parts = [Self(from), Self(to)]
        case .atLeast(let bound): kind = "atLeast"; lead([Self(bound)])
        case .atMost(let bound): kind = "atMost"; lead([Self(bound)])
        case .below(let bound): kind = "below"; lead([Self(bound)])
        case .plusMinus(let slack): kind = "plusMinus"; lead([Self(slack)])
        case .composite(let pieces):
            // Its prose is in `text`; the parts are the values alone, in order.
            kind = "composite"
            lead(pieces.filter { if case .text = $0 { false } else { true } }.map(Self.init))
        }
    }

    /// Keeps `operands` as parts and takes the first number among them as this value's own.
    private mutating func lead(_ operands: [ReportValue]) {
        parts = operands
        guard let first = operands.first(where: { $0.nanoseconds != nil || $0.count != nil || $0.ratio != nil || $0.value != nil })
        else { return }
        value = first.value
        unit = first.unit
        nanoseconds = first.nanoseconds
        count = first.count
        ratio = first.ratio
    }

    /// `value × factor` in ns, nil where it would not fit an Int64.
    private static func scaled(_ value: Int64, by factor: Int64) -> Int64? {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}
