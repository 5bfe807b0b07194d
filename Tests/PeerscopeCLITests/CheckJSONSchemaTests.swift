import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PeerscopeReport
import Testing

/// `check --json` schema 2 (docs/json-schema.md): one finding record for JSON, JUnit and text,
/// read back by Foundation's own decoder and XML parser.
@Suite("check --json schema 2 and JUnit from one finding record")
struct CheckJSONSchemaTests {
    static let capture = "captures/lab/frr-bird-failover.pcap"

    @Test("check --json decodes with JSONDecoder into the report records and encodes back to the same bytes")
    func roundTrip() throws {
        let result = try CLI.peerscope("check", "--json", Self.capture)
        let record = try JSONDecoder().decode(CheckRecord.self, from: Data(result.stdout.utf8))
        #expect(record.schema == 2)
        #expect(!record.findings.isEmpty)
        #expect(MachineReadable.json(record) + "\n" == result.stdout || MachineReadable.json(record) == result.stdout)
        // Several files: one document, versioned too.
        let two = try CLI.peerscope("check", "--json", Self.capture, "captures/bfd-failover.pcap")
        let both = try JSONDecoder().decode(MultiFileCheckRecord.self, from: Data(two.stdout.utf8))
        #expect(both.schema == 2 && both.files.count == 2 && both.files.allSatisfy { $0.schema == 2 })
    }

    @Test("every typed value's numbers agree with its unit, and its text is what check prints after measured/expected/tolerance")
    func valuesAndText() throws {
        let capture = "captures/bfd-failover.pcap"
        let json = try CLI.peerscope("check", "--json", capture)
        let text = try CLI.peerscope("check", capture).stdout
        let record = try JSONDecoder().decode(CheckRecord.self, from: Data(json.stdout.utf8))
        func walk(_ value: ReportValue) {
            switch value.kind {
            case "duration": #expect(value.unit == "ns" && value.nanoseconds == value.value)
            case "interval": #expect(value.unit == "us" && value.nanoseconds == value.value.map { $0 * 1_000 })
            case "seconds": #expect(value.unit == "s" && value.nanoseconds == value.value.map { $0 * 1_000_000_000 })
            case "count": #expect(value.count.map(Int64.init) == value.value && value.unit != nil)
            default: break
            }
            value.parts?.forEach(walk)
        }
        var typed = 0
        for finding in record.findings {
            for value in [finding.measured, finding.expected, finding.tolerance].compactMap({ $0 }) {
                walk(value)
                typed += 1
            }
            if let measured = finding.measured {
                #expect(text.contains("measured \(measured.text)"), "\(finding.rule): \(measured.text)")
            }
        }
        #expect(typed > 5)
        // A composite leads with its first number: "detection time 900 ms" carries the 900 ms in ns
        // at its top (TypedFindingTests checks that number against tshark's bfd.* fields).
        let detection = try #require(record.findings.first { $0.rule == "BFD.TMR.DETECT.LATE" })
        let interval = try #require(detection.expected?.parts?.first { $0.kind == "interval" })
        #expect(detection.expected?.nanoseconds == interval.nanoseconds && interval.nanoseconds != nil)
    }

    @Test("knownDeviation marks exactly the rows of conformance/known-deviations.md for the capture (rule, side, frames)")
    func knownDeviations() throws {
        let table = try String(contentsOf: CLI.packageRoot.appendingPathComponent("conformance/known-deviations.md"), encoding: .utf8)
        let rows = Set(table.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[1] == "lab/frr-bird-failover.pcap" else { return nil }
            return "\(cells[0]) \(cells[2]) \(cells[3])"
        })
        let result = try CLI.peerscope("check", "--json", "--known-deviations", "conformance/known-deviations.md", Self.capture)
        let record = try JSONDecoder().decode(CheckRecord.self, from: Data(result.stdout.utf8))
        let marked = Set(record.findings.filter(\.knownDeviation).map {
            "\($0.rule) \($0.side ?? "-") \($0.frames.map(String.init).joined(separator: ","))"
        })
        #expect(!rows.isEmpty)
        #expect(marked == rows)
        #expect(result.status == 0, "every MUST of this capture is a known deviation")
    }

    @Test("--junit: well-formed XML whose failing test cases are exactly the rules of the JSON's MUST findings")
    func junitFailures() throws {
        let path = NSTemporaryDirectory() + "peerscope-junit-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try CLI.peerscope("check", "--junit", path, Self.capture)
        let record = try JSONDecoder().decode(CheckRecord.self, from: Data(try CLI.peerscope("check", "--json", Self.capture).stdout.utf8))
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = FailureReader()
        parser.delegate = reader
        #expect(parser.parse(), "JUnit XML is not well-formed: \(String(describing: parser.parserError))")
        #expect(reader.failing == Set(record.findings.filter { $0.level == "must" }.map(\.rule)))
        #expect(!reader.failing.isEmpty)
        // One test case per BFD/BGP/CAPTURE rule of the catalog file.
        let catalog = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.packageRoot.appendingPathComponent("conformance/rules.json"))) as? [String: Any]
        let ids = (catalog?["rules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            .filter { $0.hasPrefix("BFD.") || $0.hasPrefix("BGP.") || $0.hasPrefix("CAPTURE.") }
        #expect(reader.cases == ids.count)
    }
}

/// Test cases and the names of those with a `<failure>`.
final class FailureReader: NSObject, XMLParserDelegate {
    var cases = 0
    var failing: Set<String> = []
    private var current = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if elementName == "testcase" {
            cases += 1
            current = attributes["name"] ?? ""
        } else if elementName == "failure" {
            failing.insert(current)
        }
    }
}
