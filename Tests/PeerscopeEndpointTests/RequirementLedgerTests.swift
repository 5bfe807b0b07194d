import Foundation
import Testing

/// Keeps the requirement ledger (`conformance/requirements/rfc588x.md`) honest: every test, rule and
/// probe case a row cites exists, IDs are unique, statuses have one of the four forms, a `both-ways`
/// row cites a test, and the summary line at the top equals the shares counted from the rows.
@Suite("requirement ledger")
struct RequirementLedgerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let ledgers = ["rfc5880", "rfc5881", "rfc5883"]

    // MARK: The checks, as a pure function of the text and what exists

    /// What a row may cite.
    struct Index {
        var testFunctions: Set<String>
        var ruleIDs: Set<String>
        var probeCaseIDs: Set<String>
    }

    enum Status: String, CaseIterable {
        case bothWays = "both-ways", oneWay = "one-way", untested = "untested", notApplicable = "n/a"

        /// `both-ways` alone, or `one-way: …`, `untested: …`, `n/a: …` with a reason.
        init?(cell: String) {
            if cell == Status.bothWays.rawValue { self = .bothWays; return }
            for status in [Status.oneWay, .untested, .notApplicable] {
                let prefix = status.rawValue + ": "
                if cell.hasPrefix(prefix), !cell.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces).isEmpty {
                    self = status
                    return
                }
            }
            return nil
        }
    }

    struct Row {
        var line: Int
        var id: String
        var section: String
        var level: String
        var tests: [String]
        var rules: [String]
        var probes: [String]
        var status: Status?
        var statusCell: String

        /// MUST, MUST NOT (REQUIRED and SHALL are written as MUST) count as MUST; SHOULD, SHOULD NOT as SHOULD.
        var levelGroup: String? {
            switch level {
            case "MUST", "MUST NOT": "MUST"
            case "SHOULD", "SHOULD NOT": "SHOULD"
            default: nil
            }
        }
    }

    static let header = "| ID | § | level | requirement (our words) | endpoint tests | analyzer rules | probe cases | status |"

    static func rows(in text: String) -> (rows: [Row], problems: [String]) {
        var rows: [Row] = []
        var problems: [String] = []
        var inTable = false
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == header { inTable = true; continue }
            guard inTable, line.hasPrefix("|"), !line.hasPrefix("|---") else { continue }
            var cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            cells.removeFirst()
            if cells.last == "" { cells.removeLast() }
            guard cells.count == 8 else {
                problems.append("line \(offset + 1): \(cells.count) cells, expected 8")
                continue
            }
            func list(_ cell: String) -> [String] {
                cell == "—" || cell.isEmpty
                    ? [] : cell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            rows.append(Row(line: offset + 1, id: cells[0], section: cells[1], level: cells[2], tests: list(cells[4]),
                            rules: list(cells[5]), probes: list(cells[6]), status: Status(cell: cells[7]),
                            statusCell: cells[7]))
        }
        if !inTable { problems.append("no table with the header \(header)") }
        return (rows, problems)
    }

    /// `MUST n (both-ways a, one-way b, untested c, n/a d); SHOULD …`, counted from the rows.
    static func summary(of rows: [Row]) -> String {
        ["MUST", "SHOULD"].map { group in
            let statuses = rows.filter { $0.levelGroup == group }.compactMap(\.status)
            let shares = Status.allCases.map { status in "\(status.rawValue) \(statuses.filter { $0 == status }.count)" }
            return "\(group) \(statuses.count) (\(shares.joined(separator: ", ")))"
        }.joined(separator: "; ")
    }

    /// Every reason the ledger `text` of RFC `rfc` (e.g. "5880") is wrong; empty when it is sound.
    static func problems(in text: String, rfc: String, index: Index) -> [String] {
        let (rows, parseProblems) = rows(in: text)
        var problems = parseProblems
        if rows.isEmpty { problems.append("no requirement rows") }
        var seen: Set<String> = []
        for row in rows {
            let at = "line \(row.line) \(row.id)"
            if !seen.insert(row.id).inserted { problems.append("\(at): duplicate ID") }
            let prefix = "\(rfc)-\(row.section)-"
            if !row.id.hasPrefix(prefix) || Int(row.id.dropFirst(prefix.count)) == nil {
                problems.append("\(at): ID is not \(prefix)<n>")
            }
            if row.levelGroup == nil { problems.append("\(at): level \(row.level) is not MUST, MUST NOT, SHOULD or SHOULD NOT") }
            for test in row.tests where !index.testFunctions.contains(test) {
                problems.append("\(at): no func \(test)( under Tests/")
            }
            for rule in row.rules where !index.ruleIDs.contains(rule) {
                problems.append("\(at): rule \(rule) is not in conformance/rules.json")
            }
            for probe in row.probes where !index.probeCaseIDs.contains(probe) {
                problems.append("\(at): probe case \(probe) is not in conformance/probes/*.json")
            }
            switch row.status {
            case nil: problems.append("\(at): status \"\(row.statusCell)\" is not both-ways, one-way: …, untested: … or n/a: …")
            case .bothWays? where row.tests.isEmpty: problems.append("\(at): both-ways but no endpoint test cited")
            default: break
            }
        }
        let expected = "Summary: " + summary(of: rows)
        let written = text.split(separator: "\n").first { $0.hasPrefix("Summary:") }.map(String.init)
        if written != expected {
            problems.append("summary line is \"\(written ?? "missing")\", the rows give \"\(expected)\"")
        }
        return problems
    }

    // MARK: What exists in the package

    static func swiftFiles(under directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Names declared as `func NAME(` anywhere in the text.
    static func functionNames(in source: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(source)
        while let range = rest.range(of: "func ") {
            rest = rest[range.upperBound...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty, rest.dropFirst(name.count).first == "(" { names.insert(String(name)) }
        }
        return names
    }

    static func loadIndex() throws -> Index {
        var functions: Set<String> = []
        for file in swiftFiles(under: root.appendingPathComponent("Tests")) {
            functions.formUnion(functionNames(in: try String(contentsOf: file, encoding: .utf8)))
        }
        struct Rules: Decodable { struct Rule: Decodable { var id: String }; var rules: [Rule] }
        struct Suite: Decodable { struct Case: Decodable { var id: String }; var cases: [Case] }
        let rules = try JSONDecoder().decode(
            Rules.self, from: Data(contentsOf: root.appendingPathComponent("conformance/rules.json")))
        let probeDirectory = root.appendingPathComponent("conformance/probes")
        var probes: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(at: probeDirectory, includingPropertiesForKeys: nil)
        where file.pathExtension == "json" {
            probes.formUnion(try JSONDecoder().decode(Suite.self, from: Data(contentsOf: file)).cases.map(\.id))
        }
        return Index(testFunctions: functions, ruleIDs: Set(rules.rules.map(\.id)), probeCaseIDs: probes)
    }

    // MARK: Tests

    @Test("the ledger cites only what exists and its summary line matches its rows", arguments: ledgers)
    func ledgerIsConsistent(name: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("conformance/requirements/\(name).md"),
                              encoding: .utf8)
        let problems = Self.problems(in: text, rfc: String(name.dropFirst(3)), index: try Self.loadIndex())
        #expect(problems.isEmpty, "\(name).md:\n\(problems.joined(separator: "\n"))")
    }

    // The checker itself: a sound ledger passes, and each kind of fault is caught.
    static let sampleIndex = Index(testFunctions: ["passes"], ruleIDs: ["BFD.PKT.VERSION"], probeCaseIDs: ["malformed-version"])

    static func sample(_ rows: [String], summary: String? = nil) -> String {
        let parsed = Self.rows(in: ([header, "|---|"] + rows).joined(separator: "\n")).rows
        return (["Summary: " + (summary ?? Self.summary(of: parsed)), "", header, "|---|---|---|---|---|---|---|---|"]
            + rows).joined(separator: "\n")
    }

    static let soundRows = [
        "| 5880-6.8.6-3 | 6.8.6 | MUST | Version 1 only. | passes | BFD.PKT.VERSION | malformed-version | both-ways |",
        "| 5880-6.8.7-1 | 6.8.7 | SHOULD NOT | Something. | — | — | — | untested: the driver's job |",
        "| 5880-4.2-2 | 4.2 | MUST NOT | A pointer. | — | — | — | n/a: see §6.7.2 |",
        "| 5880-6.1-1 | 6.1 | SHOULD | Sends. | passes | — | — | one-way: transmit-only |",
    ]

    @Test func checkerAcceptsSoundLedger() {
        let text = Self.sample(Self.soundRows)
        #expect(Self.problems(in: text, rfc: "5880", index: Self.sampleIndex) == [])
        #expect(text.hasPrefix("Summary: MUST 2 (both-ways 1, one-way 0, untested 0, n/a 1); "
            + "SHOULD 2 (both-ways 0, one-way 1, untested 1, n/a 0)"))
    }

    @Test(arguments: [
        ("| 5880-6.8.6-3 | 6.8.6 | MUST | x | missingTest | — | — | both-ways |", "no func missingTest("),
        ("| 5880-6.8.6-3 | 6.8.6 | MUST | x | passes | BFD.NOPE | — | both-ways |", "rule BFD.NOPE"),
        ("| 5880-6.8.6-3 | 6.8.6 | MUST | x | passes | — | no-such-case | both-ways |", "probe case no-such-case"),
        ("| 5880-6.1-1 | 6.1 | SHOULD | x | passes | — | — | one-way: again |", "duplicate ID"),
        ("| 5880-6.8.6-9 | 6.8.6 | MUST | x | — | — | — | both-ways |", "no endpoint test"),
        ("| 5880-6.8.6-9 | 6.8.6 | MUST | x | passes | — | — | partly |", "status \"partly\""),
        ("| 5880-6.8.6-9 | 6.8.6 | MUST | x | passes | — | — | untested: |", "status \"untested:\""),
        ("| 5880-6.8.6-9 | 6.8.6 | MAY | x | passes | — | — | both-ways |", "level MAY"),
        ("| 5880-6.8-9 | 6.8.6 | MUST | x | passes | — | — | both-ways |", "ID is not 5880-6.8.6-<n>"),
        ("| 5880-6.8.6-9 | 6.8.6 | MUST | x | passes | — | both-ways |", "7 cells"),
    ])
    func checkerRejectsFaultyRow(row: String, expectedProblem: String) {
        let problems = Self.problems(in: Self.sample(Self.soundRows + [row]), rfc: "5880", index: Self.sampleIndex)
        #expect(problems.contains { $0.contains(expectedProblem) }, "\(problems)")
    }

    @Test func checkerRejectsStaleSummary() {
        let stale = Self.sample(Self.soundRows, summary: "MUST 3 (both-ways 2, one-way 0, untested 0, n/a 1); "
            + "SHOULD 2 (both-ways 0, one-way 1, untested 1, n/a 0)")
        let problems = Self.problems(in: stale, rfc: "5880", index: Self.sampleIndex)
        #expect(problems.count == 1 && problems[0].hasPrefix("summary line is"))
    }

    @Test func functionNamesNeedAnOpeningParenthesis() {
        let names = Self.functionNames(in: "func a(x: Int) {}\n@Test func b_2() {}\nfunc c<T>(t: T) {}\nlet func_d = 1")
        #expect(names == ["a", "b_2"])
    }
}
