/// A finding's message as a template (issue 13 item 4): the rule's own words stay words, the
/// numbers in it stay typed `FindingValue`s, so only PeerscopeReport (`FindingValueText`) turns a
/// latency into "901.768333 ms". A rule writes `"Detection latency \(.duration(nanoseconds: n)) …"`.
public struct FindingMessage: Sendable, Hashable, ExpressibleByStringInterpolation {
    public enum Part: Sendable, Hashable {
        /// The rule's words, read as they are.
        case words(String)
        /// A typed value the report formats.
        case value(FindingValue)
    }

    public private(set) var parts: [Part]

    public init(parts: [Part]) {
        self.parts = []
        for part in parts { append(part) }
    }

    /// Prose with no value in it (a reason a rule put together from words and names).
    public init(_ words: String) { self.init(parts: [.words(words)]) }

    public init(stringLiteral value: String) { self.init(parts: [.words(value)]) }

    public init(stringInterpolation: Interpolation) { self.init(parts: stringInterpolation.parts) }

    /// The typed values, in order (a test or a renderer that wants the numbers, not the text).
    public var values: [FindingValue] {
        parts.compactMap { if case .value(let value) = $0 { value } else { nil } }
    }

    /// The words alone with the values left out, for searching a message without formatting it.
    public var words: String {
        parts.map { if case .words(let text) = $0 { text } else { "" } }.joined()
    }

    /// Adjacent words merge, so a template compares equal however it was put together.
    public mutating func append(_ part: Part) {
        if case .words(let text) = part {
            if text.isEmpty { return }
            if case .words(let previous)? = parts.last {
                parts[parts.count - 1] = .words(previous + text)
                return
            }
        }
        parts.append(part)
    }

    public static func + (lhs: FindingMessage, rhs: FindingMessage) -> FindingMessage {
        var joined = lhs
        for part in rhs.parts { joined.append(part) }
        return joined
    }

    public static func += (lhs: inout FindingMessage, rhs: FindingMessage) { lhs = lhs + rhs }

    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { parts.append(.words(literal)) }

        /// A typed value: the report formats it.
        public mutating func appendInterpolation(_ value: FindingValue) { parts.append(.value(value)) }

        /// Another template, spliced in.
        public mutating func appendInterpolation(_ message: FindingMessage) { parts += message.parts }

        /// A word the rule names as it is: an address, a state, a name, a plain count.
        public mutating func appendInterpolation<T>(_ word: T) where T: CustomStringConvertible {
            parts.append(.words(word.description))
        }
    }
}

extension Sequence where Element == FindingMessage {
    /// The templates one after the other with `separator` between them, as `[String].joined` does.
    public func joined(separator: String = "") -> FindingMessage {
        var result = FindingMessage(parts: [])
        for (index, message) in enumerated() {
            if index > 0 { result.append(.words(separator)) }
            for part in message.parts { result.append(part) }
        }
        return result
    }
}
