/// Values of a fixed list of JSON keys gathered over one message, in the order they were met, so
/// that every key appears on every line: a list (maybe empty) in a message that can carry the
/// field, null elsewhere. Numbers stay JSON numbers, text stays text.
struct BGPFieldBag {
    enum Kind { case number, text }

    private let keys: [(String, Kind)]
    private var numbers: [String: [UInt64]] = [:]
    private var texts: [String: [String]] = [:]

    init(_ keys: [(String, Kind)]) { self.keys = keys }

    mutating func add(_ key: String, _ value: UInt64) { numbers[key, default: []].append(value) }
    mutating func add<Integer: BinaryInteger>(_ key: String, _ value: Integer) { add(key, UInt64(truncatingIfNeeded: value)) }
    mutating func add(_ key: String, _ value: String) { texts[key, default: []].append(value) }

    /// Writes every key: lists when `present`, null otherwise.
    func write(to json: inout JSONLine, present: Bool) {
        for (key, kind) in keys {
            switch kind {
            case .number: json.add(key, present ? numbers[key] ?? [] : nil)
            case .text: json.add(key, present ? texts[key] ?? [] : nil)
            }
        }
    }
}
