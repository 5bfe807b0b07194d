/// A case's verdict. Inconclusive when its precondition failed (session never Up, BGP or
/// authentication not configured), never because the device misbehaved.
public enum ProbeVerdict: String, Hashable, Sendable, Codable, CaseIterable {
    case pass
    case fail
    case inconclusive

    /// Fixed width for the progress lines and the table.
    public var label: String {
        switch self {
        case .pass: "PASS"
        case .fail: "FAIL"
        case .inconclusive: "INCONCLUSIVE"
        }
    }
}

/// A measured number with its unit; `text` says the same in words when the number is a code
/// (a state, a diag, a NOTIFICATION).
public struct ProbeFigure: Hashable, Sendable, Codable {
    public var value: Double
    public var unit: String
    public var text: String?

    public init(_ value: Double, _ unit: String, text: String? = nil) {
        self.value = value
        self.unit = unit
        self.text = text
    }

    /// `912 ms`, `Up`, `87.5 %`.
    public var rendered: String {
        if let text { return text }
        let number = value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format1(value))
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    private func format1(_ value: Double) -> String {
        let scaled = (value * 10).rounded() / 10
        return scaled.rounded() == scaled ? String(Int64(scaled)) : String(scaled)
    }
}

/// Where an evaluation found its proof: observations of the record, turned into capture frame
/// numbers once the run's capture is read.
public enum EvidenceReference: Hashable, Sendable {
    case device(Int)
    case sent(Int)
    case bgp(Int)
}

/// What a case's evaluation concluded from a record.
public struct CaseOutcome: Hashable, Sendable {
    public var verdict: ProbeVerdict
    public var reason: String
    /// Ordered as the case declares its figures.
    public var figures: [(name: String, figure: ProbeFigure)]
    public var evidence: [EvidenceReference]

    public init(_ verdict: ProbeVerdict, _ reason: String, figures: [(String, ProbeFigure)] = [],
                evidence: [EvidenceReference] = []) {
        self.verdict = verdict
        self.reason = reason
        self.figures = figures.map { (name: $0.0, figure: $0.1) }
        self.evidence = evidence
    }

    public static func inconclusive(_ reason: String) -> CaseOutcome { CaseOutcome(.inconclusive, reason) }

    public static func == (lhs: CaseOutcome, rhs: CaseOutcome) -> Bool {
        lhs.verdict == rhs.verdict && lhs.reason == rhs.reason && lhs.evidence == rhs.evidence
            && lhs.figures.map(\.name) == rhs.figures.map(\.name) && lhs.figures.map(\.figure) == rhs.figures.map(\.figure)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(verdict)
        hasher.combine(reason)
    }

    public func figure(_ name: String) -> ProbeFigure? { figures.first { $0.name == name }?.figure }
}
