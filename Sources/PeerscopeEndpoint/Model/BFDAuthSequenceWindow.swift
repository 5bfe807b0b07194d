/// The receive window for authentication sequence numbers, RFC 5880 §6.7.3 (Keyed MD5) and §6.7.4
/// (Keyed SHA1), the same for both digests. With bfd.AuthSeqKnown set, a packet is discarded when
/// its Sequence Number lies outside
/// - keyed:      bfd.RcvAuthSeq   … bfd.RcvAuthSeq + 3 × Detect Mult, inclusive;
/// - meticulous: bfd.RcvAuthSeq+1 … bfd.RcvAuthSeq + 3 × Detect Mult, inclusive;
/// "when treated as an unsigned 32-bit circular number space". Detect Mult is the one in the
/// received packet. A meticulous jump beyond the window is therefore a discard exactly as for the
/// keyed types: meticulous narrows the window's lower end, it does not remove its upper end.
public struct BFDAuthSequenceWindow: Hashable, Sendable {
    public let meticulous: Bool
    /// 3 × Detect Mult.
    public let width: UInt32

    public init(meticulous: Bool, detectMultiplier: UInt8) {
        self.meticulous = meticulous
        width = 3 * UInt32(detectMultiplier)
    }

    /// How far `sequence` is ahead of `rcvAuthSeq` in circular 32-bit space (0 = the same number).
    public static func distance(from rcvAuthSeq: UInt32, to sequence: UInt32) -> UInt32 { sequence &- rcvAuthSeq }

    /// True when a packet with `sequence` is inside the window after `rcvAuthSeq`; the wrap from
    /// 2^32 − 1 to 0 is just the next step.
    public func accepts(_ sequence: UInt32, after rcvAuthSeq: UInt32) -> Bool {
        let ahead = Self.distance(from: rcvAuthSeq, to: sequence)
        return ahead >= (meticulous ? 1 : 0) && ahead <= width
    }

    /// The inclusive range accepted, as sequence numbers (wrapping), for messages and reports.
    public func acceptedBounds(after rcvAuthSeq: UInt32) -> (first: UInt32, last: UInt32) {
        (rcvAuthSeq &+ (meticulous ? 1 : 0), rcvAuthSeq &+ width)
    }
}
