import PeerscopeWire

/// RFC 4271 §10 jitter: "multiplying the base value of the appropriate timer by a random factor,
/// which is uniformly distributed in the range from 0.75 to 1.0". The generator is SplitMix64 over an
/// injected seed, so a run is reproducible from its seed and the FSM reads no system randomness.
struct BGPTimerJitter: Hashable, Sendable {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// `nanoseconds` scaled by a fresh factor in [0.75, 1.0].
    mutating func apply(_ nanoseconds: Int64) -> Int64 {
        nanoseconds - Int64(Double(nanoseconds) * 0.25 * generator.nextUnit())
    }
}

/// Seconds to the nanoseconds the FSM's clock runs on.
@inline(__always)
func bgpNanoseconds(seconds: UInt16) -> Int64 { Int64(seconds) * 1_000_000_000 }
