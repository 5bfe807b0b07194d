/// Human units the way router CLIs print timers: `300 ms`, `1 s`, `50 µs`, `3.3 ms`.
public enum Units {
    public static func interval(microseconds: UInt32) -> String {
        interval(microseconds: Int64(microseconds))
    }

    public static func interval(microseconds value: Int64) -> String {
        if value == 0 { return "0" }
        if value % 1_000_000 == 0 { return "\(value / 1_000_000) s" }
        if value >= 1_000_000 { return decimal(value, per: 1_000_000) + " s" }
        if value % 1_000 == 0 { return "\(value / 1_000) ms" }
        if value >= 1_000 { return decimal(value, per: 1_000) + " ms" }
        return "\(value) µs"
    }

    /// Seconds since the first frame with the file's precision: 6 decimals for µs files, 9 for ns.
    public static func relativeTime(nanoseconds: Int64, decimals: Int) -> String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let seconds = magnitude / 1_000_000_000
        var fraction = magnitude % 1_000_000_000
        var digits = 9
        while digits > decimals {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        return sign + "\(seconds)." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }

    /// Up to three significant decimals, trailing zeros dropped: 3300 per 1000 → "3.3".
    private static func decimal(_ value: Int64, per unit: Int64) -> String {
        let whole = value / unit
        var fraction = (value % unit) * 1000 / unit
        var text = String(fraction)
        text = String(repeating: "0", count: 3 - text.count) + text
        while text.hasSuffix("0") {
            text.removeLast()
            fraction /= 10
        }
        return text.isEmpty ? "\(whole)" : "\(whole).\(text)"
    }
}

extension Units {
    /// A duration in nanoseconds in the unit that reads best: `12.345 ms`, `1.2 s`, `850 µs`.
    public static func duration(nanoseconds value: Int64) -> String {
        let magnitude = value.magnitude
        let sign = value < 0 ? "-" : ""
        if magnitude >= 1_000_000_000 { return sign + fixed(magnitude, per: 1_000_000_000, decimals: 3) + " s" }
        if magnitude >= 1_000_000 { return sign + fixed(magnitude, per: 1_000_000, decimals: 3) + " ms" }
        if magnitude >= 1_000 { return sign + fixed(magnitude, per: 1_000, decimals: 1) + " µs" }
        return sign + "\(magnitude) ns"
    }

    private static func fixed(_ value: UInt64, per unit: UInt64, decimals: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale + unit / 2) / unit
        let whole = scaled / scale
        var fraction = String(scaled % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }
}
