/// Converts a capture file's timestamp fields to Int64 nanoseconds since the epoch without
/// trapping: the fields come from the file, so a damaged or far-future value (a pcapng timestamp
/// after 2262, a large `if_tsresol`) saturates at the ends of Int64 and is reported as such
/// (issue 12: the multiply used to trap and kill every command).
enum CaptureTimestamp {
    /// Nanoseconds for `seconds` plus `nanoseconds` (a fraction already in ns); `saturated` when the
    /// sum does not fit.
    static func nanoseconds(seconds: Int64, fraction nanoseconds: Int64) -> (value: Int64, saturated: Bool) {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return (seconds < 0 ? .min : .max, true) }
        let (sum, carry) = scaled.addingReportingOverflow(nanoseconds)
        if carry { return (nanoseconds < 0 ? .min : .max, true) }
        return (sum, false)
    }

    /// The pcapng timestamp `ticks` of an interface whose `if_tsresol` byte is `resolution`
    /// (pcapng §4.2: MSB clear, a negative power of 10; MSB set, a negative power of 2), plus
    /// `if_tsoffset` seconds.
    static func nanoseconds(ticks: UInt64, resolution: UInt8, offsetSeconds: Int64) -> (value: Int64, saturated: Bool) {
        let exponent = Int(resolution & 0x7F)
        var value: UInt64
        var saturated = false
        if resolution & 0x80 == 0 {
            if exponent <= 9 {
                let (scaled, overflow) = ticks.multipliedReportingOverflow(by: powerOfTen(9 - exponent))
                value = overflow ? .max : scaled
                saturated = overflow
            } else {
                // Finer than 1 ns: divide; beyond 10^-28 every value rounds to 0 ns.
                value = exponent - 9 < 20 ? ticks / powerOfTen(exponent - 9) : 0
            }
        } else {
            // ticks · 10^9 / 2^exponent in 128 bits: exact for every exponent 0…127.
            let wide = ticks.multipliedFullWidth(by: 1_000_000_000)
            if exponent >= 64 {
                value = exponent >= 128 ? 0 : wide.high >> UInt64(exponent - 64)
            } else if exponent == 0 {
                saturated = wide.high != 0
                value = saturated ? .max : wide.low
            } else {
                let high = wide.high >> UInt64(exponent)
                saturated = high != 0
                value = saturated ? .max : wide.high << UInt64(64 - exponent) | wide.low >> UInt64(exponent)
            }
        }
        guard value <= UInt64(Int64.max) else { return (.max, true) }
        let offset = self.nanoseconds(seconds: offsetSeconds, fraction: 0)
        let (withOffset, overflow) = Int64(value).addingReportingOverflow(offset.value)
        if overflow { return (offsetSeconds < 0 ? .min : .max, true) }
        return (withOffset, saturated || offset.saturated)
    }

    /// How many nanoseconds one tick spans, rounded (1 for anything finer than a nanosecond).
    static func tickNanoseconds(resolution: UInt8) -> Int64 {
        let exponent = Int(resolution & 0x7F)
        if resolution & 0x80 == 0 { return exponent <= 9 ? Int64(powerOfTen(9 - exponent)) : 1 }
        return exponent >= 30 ? 1 : max(1, 1_000_000_000 >> Int64(exponent))
    }

    static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value &*= 10 }
        return value
    }
}
