/// The "Proven MUST findings" table of `conformance/known-deviations.md`: MUST findings whose packets
/// prove a real implementation's deviation, each with its capture, side and frames. `check
/// --known-deviations FILE` still prints them but does not count them in the exit status, so a CI run
/// over a device's known behaviour stays green until something new appears.
public struct KnownDeviations: Sendable {
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        public var rule: String
        /// The capture as the table names it, relative to `captures/` (`lab/admin-down.pcap`).
        public var capture: String
        public var side: String
        /// The frames `check` prints for the finding, comma-separated.
        public var frames: String

        public init(rule: String, capture: String, side: String, frames: String) {
            self.rule = rule
            self.capture = capture
            self.side = side
            self.frames = frames
        }

        public var description: String { "| \(rule) | \(capture) | \(side) | \(frames) |" }
    }

    public private(set) var entries: [Entry] = []

    /// Reads the rows of the table that follows the "## Proven MUST findings" heading; other text
    /// and tables are ignored.
    public init(markdown: String) {
        guard let heading = markdown.firstRange(of: "## Proven MUST findings") else { return }
        for line in markdown[heading.upperBound...].split(separator: "\n") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map(Self.trimmed)
            guard cells.count >= 7, cells[1].hasPrefix("BFD.") || cells[1].hasPrefix("BGP.") else { continue }
            entries.append(Entry(rule: cells[1], capture: cells[2].filter { $0 != "`" }, side: cells[3], frames: cells[4]))
        }
    }

    /// The finding as a row of the table would name it.
    public static func entry(_ finding: Finding, capture: String) -> Entry {
        Entry(rule: finding.rule.id, capture: capture, side: finding.side ?? "-",
              frames: finding.frames.map(String.init).joined(separator: ","))
    }

    /// Whether `finding`, raised on the capture at `path`, is a listed deviation: same rule, side
    /// and frames, and the path is the listed capture or ends with `/` and it.
    public func contains(_ finding: Finding, path: String) -> Bool {
        let candidate = Self.entry(finding, capture: "")
        return entries.contains { entry in
            entry.rule == candidate.rule && entry.side == candidate.side && entry.frames == candidate.frames
                && (path == entry.capture || path.hasSuffix("/" + entry.capture))
        }
    }

    private static func trimmed(_ cell: Substring) -> String {
        String(cell.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
