import Foundation
import Testing

/// The README's examples are what the binary prints: every ``` block line starting with
/// `$ peerscope …` is run from the package root and its output compared with the lines that
/// follow it in the README, up to the next `$ ` line or the end of the block. A line that is only
/// `…` stands for any number of lines (the README shortens long output that way); a trailing
/// `# comment` after the command is the README's, not the command's.
@Suite("README examples")
struct ReadmeExamplesTests {
    struct Example: CustomStringConvertible {
        var line: Int
        var arguments: [String]
        var expected: [String]
        var description: String { "README.md:\(line): peerscope \(arguments.joined(separator: " "))" }
    }

    static func examples() throws -> [Example] {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var examples: [Example] = []
        var current: Example?
        func close() {
            guard var example = current else { return }
            while example.expected.last?.isEmpty == true { example.expected.removeLast() }
            examples.append(example)
            current = nil
        }
        var inBlock = false
        for (index, raw) in readme.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix("```") {
                if inBlock { close() }
                inBlock.toggle()
            } else if !inBlock {
                continue
            } else if line.hasPrefix("$ peerscope ") {
                close()
                var command = String(line.dropFirst("$ peerscope ".count))
                if let comment = command.range(of: "  #") { command = String(command[..<comment.lowerBound]) }
                current = Example(line: index + 1, arguments: command.split(separator: " ").map(String.init), expected: [])
            } else if line.hasPrefix("$ ") {
                close()
            } else {
                current?.expected.append(line)
            }
        }
        return examples
    }

    /// `expected` with `…` lines as wildcards against `actual`.
    static func matches(_ expected: ArraySlice<String>, _ actual: ArraySlice<String>) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first.trimmingCharacters(in: .whitespaces) == "…" {
            let rest = expected.dropFirst()
            return actual.indices.contains { matches(rest, actual[$0...]) } || matches(rest, actual[actual.endIndex...])
        }
        guard let line = actual.first, line == first else { return false }
        return matches(expected.dropFirst(), actual.dropFirst())
    }

    @Test("there are examples to check")
    func found() throws {
        #expect(try Self.examples().count >= 5)
    }

    @Test("every `$ peerscope` example in README.md prints what the README shows", arguments: try examples())
    func example(_ example: Example) throws {
        let result = try CLI.run(CLI.binary, example.arguments)
        var actual = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while actual.last?.isEmpty == true { actual.removeLast() }
        let same = Self.matches(example.expected[...], actual[...])
        #expect(same, """
            \(example) differs from the binary's output; the real output is:
            \(actual.joined(separator: "\n"))
            """)
    }
}
