import Foundation
import PeerscopeConformance
import Testing

@Suite("rule catalog")
struct CatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct CatalogFile: Decodable {
        struct Entry: Decodable { var id: String; var level: String; var reference: String; var summary: String }
        var rules: [Entry]
    }

    @Test("the compiled catalog equals conformance/rules.json (run tools/gen-catalog after editing it)")
    func matchesJSON() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("conformance/rules.json"))
        let file = try JSONDecoder().decode(CatalogFile.self, from: data)
        #expect(file.rules.map(\.id) == RuleCatalog.all.map(\.id))
        for (entry, rule) in zip(file.rules, RuleCatalog.all) {
            #expect(entry.level == rule.level.rawValue && entry.reference == rule.reference && entry.summary == rule.summary)
        }
    }

    @Test("the generated catalog and RuleID files are what tools/gen-catalog makes of conformance/rules.json")
    func generatedFilesUpToDate() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("gen-catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temp) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("tools/gen-catalog").path, "--output", temp.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let committed = Self.root.appendingPathComponent("Sources/PeerscopeConformance/Catalog")
        for name in ["RuleCatalog+Generated.swift", "RuleID+Generated.swift"] {
            let fresh = try String(contentsOf: temp.appendingPathComponent(name), encoding: .utf8)
            let inTree = try String(contentsOf: committed.appendingPathComponent(name), encoding: .utf8)
            #expect(fresh == inTree, "\(name) is stale: run tools/gen-catalog")
        }
    }

    @Test("a RuleID constant names the catalog entry with the same dotted ID")
    func ruleIDsNameTheirRules() {
        #expect(RuleID.BFD.TMR.TX.SLOW.id == "BFD.TMR.TX.SLOW")
        #expect(RuleID.CAPTURE.UPSTREAM_LOSS.rule.level == .info)
        #expect(RuleID("BFD.PKT.VERSION") == .BFD.PKT.VERSION)
        #expect(RuleID("BFD.NO.SUCH.RULE") == nil)
        for rule in RuleCatalog.all { #expect(RuleID(rule.id)?.rule == rule) }
    }

    @Test("every rule of shared/CONFORMANCE.md is in the catalog")
    func coversSharedCatalog() throws {
        let shared = Self.root.deletingLastPathComponent().appendingPathComponent("shared/CONFORMANCE.md")
        guard let text = try? String(contentsOf: shared, encoding: .utf8) else { return }  // shared/ absent outside CI
        let ids = text.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[0].hasPrefix("BFD.") || cells[0].hasPrefix("BGP.") || cells[0].hasPrefix("CAPTURE.")
            else { return nil }
            return cells[0]
        }
        #expect(ids.count >= 60)
        #expect(Set(ids).isSubset(of: Set(RuleCatalog.all.map(\.id))))
    }

    @Test("every rule of the catalog is implemented and tested")
    func everyRuleImplementedAndTested() throws {
        func sources(_ folder: String) throws -> String {
            let base = Self.root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            return try files.filter { $0.hasSuffix(".swift") && !$0.hasSuffix("+Generated.swift") }
                .map { try String(contentsOf: base.appendingPathComponent($0), encoding: .utf8) }.joined()
        }
        // The generated files name every rule, so they do not count; a rule names its ID as `.BFD.TMR.TX.SLOW`.
        let implementation = try sources("Sources/PeerscopeConformance")
        let tests = try sources("Tests/PeerscopeConformanceTests")
        for rule in RuleCatalog.all {
            #expect(implementation.contains(".\(rule.id)\n") || implementation.contains(".\(rule.id),")
                        || implementation.contains(".\(rule.id))") || implementation.contains(".\(rule.id) "),
                    "\(rule.id) is not evaluated")
            #expect(tests.contains("\"\(rule.id)\"") || tests.contains(rule.id), "\(rule.id) has no test")
        }
    }
}
