import PeerscopeConformance

/// `check --list-rules`: the catalog in the binary, one rule per line (ID, level, RFC section, what
/// it checks), so a rule ID seen in a finding can be looked up without the source tree.
public struct RuleCatalogRenderer {
    public init() {}

    public func lines(_ rules: [Rule]) -> [String] {
        var table = TextTable(header: ["ID", "LEVEL", "RFC", "CHECK"])
        for rule in rules {
            table.add([rule.id, rule.level.rawValue.uppercased(), rule.reference, rule.summary])
        }
        return table.lines
    }
}
