import PeerscopeAnalysis
import PeerscopeConformance

/// The one place a finding's typed value becomes the text `check` prints (and JSON, JUnit and
/// the HTML report carry as `text`): router-CLI units through `Units`, `≥`/`≤` bounds, `a → b`
/// changes, counts with their noun.
public enum FindingValueText {
    public static func text(_ value: FindingValue) -> String {
        switch value {
        case .duration(let nanoseconds): Units.duration(nanoseconds: nanoseconds)
        case .interval(let microseconds): Units.interval(microseconds: microseconds)
        case .timestamp(let nanoseconds, let decimals): Units.relativeTime(nanoseconds: nanoseconds, decimals: decimals) + " s"
        case .seconds(let seconds): "\(seconds) s"
        case .count(let count, let noun): "\(count) \(noun)(s)"
        case .ratio(let ratio): Units.percent(ratio)
        case .number(let number): "\(number)"
        case .bits(let bits): "0x" + String(bits, radix: 16)
        case .sequence(let number), .discriminator(let number): "\(number)"
        case .address(let text), .word(let text), .text(let text): text
        case .range(let low, let high): range(low, high)
        case .within(let low, let high): "within [\(text(low)), \(text(high))]"
        case .atLeast(let bound): "≥ " + text(bound)
        case .atMost(let bound): "≤ " + text(bound)
        case .below(let bound): "< " + text(bound)
        case .change(let from, let to): text(from) + " → " + text(to)
        case .transition(let from, let to): text(from) + "→" + text(to)
        case .plusMinus(let slack): "±" + text(slack)
        case .frames(let frames): frames.map(String.init).joined(separator: ",")
        case .composite(let parts): parts.map(text).joined()
        }
    }

    /// A message template: its words as they are, its values as `text(_:)` writes them.
    public static func text(_ message: FindingMessage) -> String {
        var text = ""
        for part in message.parts {
            switch part {
            case .words(let words): text += words
            case .value(let value): text += Self.text(value)
            }
        }
        return text
    }

    /// The message the user reads for `finding`, with the note a finding folded at the state cap carries.
    public static func message(of finding: Finding) -> String {
        text(finding.message) + (finding.foldedAtStateCap ? " (first of the sessions folded at the state cap, all counted here)" : "")
    }

    /// `0–9`; a range of shares or of one time unit names the unit once: `0–25%`.
    private static func range(_ low: FindingValue, _ high: FindingValue) -> String {
        var first = text(low)
        let last = text(high)
        for unit in ["%", " s", " ms", " µs", " ns"] where first.hasSuffix(unit) && last.hasSuffix(unit) {
            first.removeLast(unit.count)
            break
        }
        return first + "–" + last
    }
}
