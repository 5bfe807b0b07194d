/// Human units the way router CLIs print timers, one style everywhere (a space before the unit):
/// `300 ms`, `1 s`, `50 µs`, `3.3 ms`, `180 s`.
public enum Units {
    public static func interval(microseconds: UInt32) -> String {
        interval(microseconds: Int64(microseconds))
    }

    /// An interval in microseconds (a BFD timer field), exact: `300 ms`, `1 s`, `3.3 ms`, `4294.967295 s`.
    public static func interval(microseconds value: Int64) -> String {
        if value == 0 { return "0" }
        let magnitude = value.magnitude
        let sign = value < 0 ? "-" : ""
        if magnitude >= 1_000_000 { return sign + exact(magnitude, per: 1_000_000) + " s" }
        if magnitude >= 1_000 { return sign + exact(magnitude, per: 1_000) + " ms" }
        return sign + "\(magnitude) µs"
    }

    /// Seconds since the first frame with the file's precision: 6 decimals for µs files, 9 for ns.
    public static func relativeTime(nanoseconds: Int64, decimals requested: Int) -> String {
        let decimals = min(max(requested, 0), 9)
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let seconds = magnitude / 1_000_000_000
        if decimals == 0 { return sign + "\(seconds)" }
        var fraction = magnitude % 1_000_000_000
        var digits = 9
        while digits > decimals {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        return sign + "\(seconds)." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }
}

extension Units {
    /// A duration in nanoseconds in the unit that reads best, at the precision it was measured
    /// (nothing rounded away, trailing zeros dropped): `3 µs`, `7.26 ms`, `1.000250 s` → `1.00025 s`,
    /// `850 ns`. Total over every Int64, `Int64.min` included: only division of the magnitude, no
    /// multiplication that a timestamp jump of centuries could overflow (issue 12).
    public static func duration(nanoseconds value: Int64) -> String {
        let magnitude = value.magnitude
        let sign = value < 0 ? "-" : ""
        if magnitude >= 1_000_000_000 { return sign + exact(magnitude, per: 1_000_000_000) + " s" }
        if magnitude >= 1_000_000 { return sign + exact(magnitude, per: 1_000_000) + " ms" }
        if magnitude >= 1_000 { return sign + exact(magnitude, per: 1_000) + " µs" }
        return sign + "\(magnitude) ns"
    }

    /// `value / unit` written out in full: whole part, then the remainder's digits without trailing zeros.
    private static func exact(_ value: UInt64, per unit: UInt64) -> String {
        let whole = value / unit
        let remainder = value % unit
        guard remainder > 0 else { return "\(whole)" }
        var digits = 0
        var scale = unit
        while scale > 1 {
            scale /= 10
            digits += 1
        }
        var fraction = String(remainder)
        fraction = String(repeating: "0", count: digits - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

extension Units {
    /// A ratio as a whole percentage, `75%`. Total: an infinite or huge ratio (a gap over an
    /// interval of 0 µs) reads `>1000000%`, NaN reads `?%`, where `Int(ratio × 100)` trapped.
    public static func percent(_ ratio: Double) -> String {
        guard !ratio.isNaN else { return "?%" }
        let value = (ratio * 100).rounded()
        if value > 1_000_000 { return ">1000000%" }
        if value < -1_000_000 { return "<-1000000%" }
        return "\(Int(value))%"
    }
}
