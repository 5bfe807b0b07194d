import CPeerscopeSocket

/// CLOCK_MONOTONIC in nanoseconds: the clock every deadline of the driver and the sans-IO machines
/// is expressed in. Never jumps with NTP or the wall clock; unrelated to capture timestamps
/// (CLOCK_REALTIME), which `wallNanoseconds` gives for correlating the two.
public enum MonotonicClock {
    @inline(__always)
    public static func nowNanoseconds() -> Int64 { ps_monotonic_ns() }

    /// CLOCK_REALTIME, the clock of kernel receive timestamps and pcap records.
    @inline(__always)
    public static func wallNanoseconds() -> Int64 { ps_realtime_ns() }
}
