/// RFC 4271 §10 jitter: "multiplying the base value of the appropriate timer by a random factor,
/// which is uniformly distributed in the range from 0.75 to 1.0". The generator is SplitMix64 over an
/// injected seed, so a run is reproducible from its seed and the FSM reads no system randomness.
struct BGPTimerJitter: Hashable, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// `nanoseconds` scaled by a fresh factor in [0.75, 1.0].
    mutating func apply(_ nanoseconds: Int64) -> Int64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        let unit = Double(mixed >> 11) / Double(UInt64(1) << 53)
        return nanoseconds - Int64(Double(nanoseconds) * 0.25 * unit)
    }
}

/// Seconds to the nanoseconds the FSM's clock runs on.
@inline(__always)
func bgpNanoseconds(seconds: UInt16) -> Int64 { Int64(seconds) * 1_000_000_000 }
