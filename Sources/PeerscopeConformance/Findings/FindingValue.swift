/// A finding's measured, expected or tolerance value, typed (issue 13 item 4): the numbers stay
/// numbers in the unit the capture or the wire gives them, so a renderer can draw or compare them.
/// Nothing here formats; PeerscopeReport's `FindingValueText` writes the text the user reads.
public enum FindingValue: Sendable, Hashable {
    /// A time on the capture's clock, in ns (gaps, latencies, delays).
    case duration(nanoseconds: Int64)
    /// A BFD timer field as the wire carries it, in µs (RFC 5880 §4.1).
    case interval(microseconds: Int64)
    /// A moment on the capture's clock, ns since its first frame, with the `decimals` of a second
    /// the rule vouches for (6 for a frame's own time, 3 for an estimate between frames).
    case timestamp(nanoseconds: Int64, decimals: Int)
    /// Whole seconds as a BGP OPEN carries the hold time (RFC 4271 §4.2).
    case seconds(Int64)
    /// How many of something: `count(3, "frame")` is three frames. `noun` is singular.
    case count(Int, noun: String)
    /// A share, 1 = 100 %.
    case ratio(Double)
    /// A plain number the wire carries: port, TTL, version, AS number, message type, length, code.
    case number(Int64)
    /// A bit field as the wire carries it, read in hex: BGP attribute flags `0x40`.
    case bits(UInt64)
    /// A BFD authentication sequence number (RFC 5880 §6.7.3), wrapping at 2³².
    case sequence(UInt32)
    /// A BFD discriminator (RFC 5880 §4.1).
    case discriminator(UInt32)
    /// An IP address or BGP identifier in its usual text form.
    case address(String)
    /// A state, flag or code word as the RFCs write it: `Up`, `M=1`, `A=0`, `6/10`.
    case word(String)
    /// Both ends included, as a code space: `0–9`.
    indirect case range(FindingValue, FindingValue)
    /// Both ends included, as a window a value must fall in: `within [a, b]`.
    indirect case within(FindingValue, FindingValue)
    /// `≥ x`
    indirect case atLeast(FindingValue)
    /// `≤ x`
    indirect case atMost(FindingValue)
    /// `< x`
    indirect case below(FindingValue)
    /// A value that changed between two packets: `a → b`.
    indirect case change(FindingValue, FindingValue)
    /// A state transition: `Up→Down`.
    indirect case transition(FindingValue, FindingValue)
    /// The slack a timing check allowed either way: `±x`.
    indirect case plusMinus(FindingValue)
    /// Frame numbers (1-based, as Wireshark counts them).
    case frames([Int])
    /// Prose that carries no number.
    case text(String)
    /// Prose around typed values, read in order; the first number in it is the one that leads.
    case composite([FindingValue])
}
