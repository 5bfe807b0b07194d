/// The one place where text that came from a capture or the wire is made safe for an output.
///
/// A peer chooses the bytes of its FQDN capability hostname (RFC 8516 draft, code 73), its BGP
/// shutdown communication (RFC 9003 §2: "UTF-8", but nothing stops a sender) and a pcapng file's
/// comments and interface names; the decoders keep them as Swift strings (invalid UTF-8 already
/// became U+FFFD there). Printed raw they can drive the user's terminal (ESC [ … sequences, C1
/// CSI U+009B), hide or reorder text (bidirectional overrides, CR), break a JUnit file (XML 1.0 §2.2
/// forbids most C0 controls even as character references) or a JSON document. Every renderer's
/// output goes through one of these three functions; each keeps printable text unchanged.
public enum WireText {
    /// Text for a terminal or a text file: every C0 control, DEL and C1 control as `\xNN`
    /// (`\x1b` for ESC, `\x0a` for a line feed inside a field), bidirectional controls as `\u{202e}`.
    public static func terminal(_ text: String) -> String {
        guard needsEscaping(text, keepingLineBreaks: false) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars { append(scalar, to: &out, keepingLineBreaks: false) }
        return out
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslash and C0 escaped as JSON requires, and
    /// DEL, C1 and bidirectional controls as `\u` escapes too, so the document is also safe to cat.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where isControl(c): out += unicodeEscape(c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A whole JSON document from an encoder that escapes only what RFC 8259 requires: DEL, C1 and
    /// bidirectional controls, which can occur only inside its strings, become `\u` escapes.
    public static func jsonDocument(_ document: String) -> String {
        guard needsEscaping(document, keepingLineBreaks: true) else { return document }
        var out = ""
        out.reserveCapacity(document.utf8.count + 16)
        for scalar in document.unicodeScalars {
            if isControl(scalar), scalar.value >= 0x20 {
                out += unicodeEscape(scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// XML character data and attribute values (JUnit): markup characters as entities; characters
    /// XML 1.0 does not allow at all (C0 but tab, LF, CR; U+FFFE, U+FFFF) and the other controls
    /// shown as in `terminal`; tab and LF kept (they separate a JUnit message's lines).
    public static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\u{FFFE}", "\u{FFFF}": out += "\\u{\(String(scalar.value, radix: 16))}"
            // A parser turns a raw CR into LF (XML 1.0 §2.11): shown, so "\r\n" cannot forge a line.
            case "\r": out += "\\x0d"
            default: append(scalar, to: &out, keepingLineBreaks: true)
            }
        }
        return out
    }

    // MARK: - The characters

    /// C0, DEL, C1 and the bidirectional embedding, override and isolate controls (Unicode UAX #9).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String, keepingLineBreaks: Bool) {
        if keepingLineBreaks, scalar == "\n" || scalar == "\r" || scalar == "\t" {
            out.unicodeScalars.append(scalar)
        } else if scalar.value <= 0x9F, isControl(scalar) {
            out += "\\x" + hex(scalar.value, digits: 2)
        } else if isControl(scalar) {
            out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }

    /// A fast scan of the UTF-8 bytes: most lines are printable and go out untouched (one pass
    /// over the string's own storage, no copy).
    private static func needsEscaping(_ text: String, keepingLineBreaks: Bool) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ scan($0, keepingLineBreaks: keepingLineBreaks) }) {
            return found
        }
        return Array(text.utf8).withUnsafeBufferPointer { scan($0, keepingLineBreaks: keepingLineBreaks) }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, keepingLineBreaks: Bool) -> Bool {
        var index = bytes.startIndex
        // Eight bytes at a time while all are printable ASCII (0x20–0x7E), the usual case:
        // a byte below 0x20 borrows in `word - 0x20…`, one at 0x7F or above sets its top bit in
        // `word | (word + 0x01…)`. Either (or a carry's false alarm) makes that byte be looked at
        // on its own, then the word-wise scan resumes.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        while index != bytes.endIndex {
            if bytes.endIndex - index >= 8, let base = bytes.baseAddress {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if ((word &- 0x20 &* ones) & ~word & tops) | ((word | (word &+ ones)) & tops) == 0 {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            index = bytes.index(after: index)
            if byte >= 0x20, byte < 0x7F { continue }
            switch byte {
            case 0x0A, 0x0D, 0x09:
                if !keepingLineBreaks { return true }
            case 0x00..<0x20, 0x7F:
                return true
            case 0xC2:
                // C1 as U+0080–U+009F
                if index != bytes.endIndex, (0x80...0x9F).contains(bytes[index]) { return true }
            case 0xE2:
                // U+202A–U+202E and U+2066–U+2069
                guard index != bytes.endIndex else { break }
                let second = bytes[index]
                let next = bytes.index(after: index)
                guard next != bytes.endIndex else { break }
                let third = bytes[next]
                if second == 0x80, (0xAA...0xAE).contains(third) { return true }
                if second == 0x81, (0xA6...0xA9).contains(third) { return true }
            default:
                break
            }
        }
        return false
    }

    private static func unicodeEscape(_ value: UInt32) -> String { "\\u" + hex(value, digits: 4) }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
