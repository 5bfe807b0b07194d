import Foundation
import PeerscopeProbe
import Testing

/// conformance/probes/bfd-core.json and the implemented suite name the same cases, in the same
/// order, with the same titles, RFC sections and figures.
@Suite("bfd-core suite catalog")
struct ProbeSuiteCatalogTests {
    struct Catalog: Decodable {
        struct Entry: Decodable {
            var id: String
            var title: String
            var rfc: String
            var purpose: String
            var steps: [String]
            var pass_criteria: String
            var figures: [String]
        }
        var suite: String
        var cases: [Entry]
    }

    static func catalog() throws -> Catalog {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("conformance/probes/bfd-core.json"))
        return try JSONDecoder().decode(Catalog.self, from: data)
    }

    @Test("every case in the JSON is implemented and every implementation is in the JSON")
    func everyCaseImplemented() throws {
        let catalog = try Self.catalog()
        let implemented = ProbeSuites.bfdCore.map(\.info.id)
        let listed = catalog.cases.map(\.id)
        #expect(Set(listed).subtracting(implemented).isEmpty, "listed but not implemented")
        #expect(Set(implemented).subtracting(listed).isEmpty, "implemented but not listed")
        #expect(implemented == listed, "same order")
        #expect(implemented.count == 24)
        #expect(ProbeSuites.suite(named: catalog.suite) != nil)
    }

    @Test("each case's description matches the JSON")
    func descriptionsMatch() throws {
        for entry in try Self.catalog().cases {
            guard let info = ProbeSuites.bfdCore.first(where: { $0.info.id == entry.id })?.info else { continue }
            #expect(info.title == entry.title, "\(entry.id)")
            #expect(info.rfc == entry.rfc, "\(entry.id)")
            #expect(info.purpose == entry.purpose, "\(entry.id)")
            #expect(info.steps == entry.steps, "\(entry.id)")
            #expect(info.passCriteria == entry.pass_criteria, "\(entry.id)")
            #expect(info.figures == entry.figures, "\(entry.id)")
        }
    }

    @Test("budgets: the suite fits in three minutes")
    func budgets() {
        #expect(ProbeSuites.bfdCore.allSatisfy { $0.budgetSeconds > 0 })
        #expect(ProbeSuites.cases(ids: ["detect-mult3", "handshake"])?.map(\.info.id) == ["handshake", "detect-mult3"])
        #expect(ProbeSuites.cases(ids: ["no-such-case"]) == nil)
    }
}
