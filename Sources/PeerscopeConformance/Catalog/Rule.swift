/// Requirement level of a rule (CONFORMANCE.md): a MUST finding fails `check`.
public enum RuleLevel: String, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case must, should, info

    private var rank: Int {
        switch self {
        case .must: 0
        case .should: 1
        case .info: 2
        }
    }

    /// Ordered by severity: `.must < .should < .info`.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue.uppercased() }
}

/// One rule of the catalog: a stable ID that tests, reports and users refer to.
public struct Rule: Sendable, Hashable {
    public let id: String
    public let level: RuleLevel
    /// The RFC section(s) the rule comes from.
    public let reference: String
    public let summary: String
}

/// The rule catalog, generated from `conformance/rules.json` (see `tools/gen-catalog`).
public enum RuleCatalog {
    public static let byID: [String: Rule] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    public static func rule(_ id: String) -> Rule {
        guard let rule = byID[id] else { preconditionFailure("rule \(id) is not in conformance/rules.json") }
        return rule
    }
}
