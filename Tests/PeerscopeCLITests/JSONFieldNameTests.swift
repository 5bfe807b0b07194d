import Foundation
import Testing

/// Every `--json` key that claims tshark's `bfd.` or `bgp.` prefix must be a field tshark knows
/// (`tshark -G fields`); keys of our own carry the `peerscope.` prefix instead.
@Suite("JSON keys vs tshark -G fields", .serialized)
struct JSONFieldNameTests {
    @Test("every bfd./bgp. key of decode --json and decode -Y bgp --json is a tshark field",
          .enabled(if: CLI.which("tshark") != nil))
    func keysAreTsharkFields() throws {
        let tshark = try #require(CLI.which("tshark"))
        let registry = try CLI.run(tshark, ["-G", "fields"])
        // Rows are tab-separated: "F", description, field name, type, protocol, …
        let fields = Set(registry.stdoutLines.compactMap { line -> String? in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            return cells.count > 2 && cells[0] == "F" ? String(cells[2]) : nil
        })
        #expect(fields.contains("bfd.my_discriminator") && fields.contains("bgp.type"))

        let built = try BGPAttributeTsharkTests.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: built) }
        var keys: Set<String> = []
        var bgpOutputs = 0, bfdOutputs = 0
        for capture in CLI.captureFiles().map({ CLI.packageRoot.appendingPathComponent($0).path }) + [built] {
            for (arguments, isBGP) in [(["decode", "--json"], false), (["decode", "-Y", "bgp", "--json"], true)] {
                let result = try CLI.run(CLI.binary, arguments + [capture])
                // Every key is on every line, so one line shows them all.
                guard let line = result.stdoutLines.first,
                      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                keys.formUnion(object.keys)
                if isBGP { bgpOutputs += 1 } else { bfdOutputs += 1 }
            }
        }
        #expect(bgpOutputs > 0 && bfdOutputs > 0, "outputs read: \(bgpOutputs) BGP, \(bfdOutputs) BFD")
        let claimed = keys.filter { $0.hasPrefix("bfd.") || $0.hasPrefix("bgp.") }
        #expect(claimed.count > 30, "keys claiming tshark's prefixes: \(claimed.sorted())")
        #expect(claimed.subtracting(fields).sorted() == [], "keys that are not tshark fields")
        #expect(keys.contains { $0.hasPrefix("peerscope.bgp.") } && keys.contains { $0.hasPrefix("peerscope.bfd.") })
    }
}
