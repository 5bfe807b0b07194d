/// Builds one JSON object on one line, keys in the order they are added (stable, diff-friendly
/// output without a Foundation encoder on the per-packet path).
public struct JSONLine {
    private var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\""
        text += name
        text += "\":"
    }

    /// Any integer, written exactly (JSON numbers, no rounding through Double).
    public mutating func add<Integer: BinaryInteger>(_ name: String, _ value: Integer?) {
        key(name)
        text += value.map { String($0) } ?? "null"
    }

    public mutating func add(_ name: String, _ value: Bool?) {
        key(name)
        text += value.map { $0 ? "true" : "false" } ?? "null"
    }

    public mutating func add(_ name: String, _ value: String?) {
        key(name)
        guard let value else {
            text += "null"
            return
        }
        text += JSONLine.quote(value)
    }

    /// An array of strings (or null).
    public mutating func add(_ name: String, _ values: [String]?) {
        key(name)
        guard let values else {
            text += "null"
            return
        }
        text += "[" + values.map(JSONLine.quote).joined(separator: ",") + "]"
    }

    /// An array of integers (or null).
    public mutating func add<Integer: BinaryInteger>(_ name: String, _ values: [Integer]?) {
        key(name)
        text += values.map { "[" + $0.map { String($0) }.joined(separator: ",") + "]" } ?? "null"
    }

    public var line: String { text + "}" }

    /// A JSON string literal (see `WireText.jsonString`).
    public static func quote(_ value: String) -> String { WireText.jsonString(value) }
}
