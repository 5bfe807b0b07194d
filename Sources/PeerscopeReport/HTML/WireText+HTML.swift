/// The HTML outputs of `WireText` (the one place where text from a capture is made safe): a
/// hostname or shutdown communication from the wire may hold `<script>`, `</script>`, `<!--`,
/// U+2028 or controls, and must neither become markup nor end the embedded JSON early.
extension WireText {
    /// Character data and attribute values (double- or single-quoted): controls made visible as in
    /// a terminal, then the five markup characters as entities, and U+2028/U+2029 as character
    /// references so the page's bytes hold no line separator a script or a viewer might trip on.
    public static func html(_ text: String) -> String {
        let visible = terminal(text)
        var out = ""
        out.reserveCapacity(visible.utf8.count + 8)
        for scalar in visible.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{2028}": out += "&#x2028;"
            case "\u{2029}": out += "&#x2029;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A JSON document to sit inside `<script type="application/json">`: HTML's script data state
    /// ends at `</script` and treats `<!--` specially (HTML Living Standard §4.12.1.3), so `<`, `>`
    /// and `&` become `\u003c`, `\u003e`, `\u0026`; U+2028 and U+2029 are escaped too, which older
    /// JavaScript parsers took as line ends. All of them can occur only inside JSON strings, where
    /// the `\u` escape reads back as the same character (RFC 8259 §7).
    public static func scriptJSON(_ document: String) -> String {
        let safe = jsonDocument(document)
        var out = ""
        out.reserveCapacity(safe.utf8.count + 16)
        for scalar in safe.unicodeScalars {
            switch scalar.value {
            case 0x3C: out += "\\u003c"
            case 0x3E: out += "\\u003e"
            case 0x26: out += "\\u0026"
            case 0x2028: out += "\\u2028"
            case 0x2029: out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
