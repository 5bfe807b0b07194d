import PeerscopeWire

/// Time as the driver supplies it; never read from a clock here.
public typealias BFDNanoseconds = EndpointTime.Nanoseconds

extension Microseconds {
    var nanoseconds: BFDNanoseconds { BFDNanoseconds(self) * 1_000 }
}

/// A type-erased generator, so the endpoint stays one concrete type whatever randomness it is given.
struct BFDJitterSource: RandomNumberGenerator, Sendable {
    private var base: any RandomNumberGenerator & Sendable
    init(_ base: any RandomNumberGenerator & Sendable) { self.base = base }
    mutating func next() -> UInt64 { base.next() }

    /// §6.8.7: each interval is reduced by a random 0–25 %, so peers do not lock step; with Detect
    /// Mult 1 by at least 10 %, so one late packet alone cannot expire the peer's Detection Time.
    mutating func jittered(_ interval: BFDNanoseconds, detectMultiplier: UInt8) -> BFDNanoseconds {
        BFDJitterBounds(detectMultiplier: detectMultiplier).draw(intervalNanoseconds: interval, using: &self)
    }
}

/// A Poll Sequence in flight (§6.5): the values it announces, applied when the Final arrives.
struct BFDPollSequence: Hashable, Sendable {
    var announcedDesiredMinTx: Microseconds
    var announcedRequiredMinRx: Microseconds
    /// The D bit when the Poll began; a D change is announced by a Poll too (§6.6).
    var announcedDemand: Bool
    /// The first packet with P. While periodic packets flow the Poll rides on the next scheduled
    /// one (§6.5), so this may lag the start; nil until then, and a Final before it cannot be an
    /// answer to this Poll. Demand mode measures its Detection Time from here (§6.8.4).
    var firstSentAt: BFDNanoseconds?
}

/// §6.8.3: after a Poll Sequence ends, the next may start only once a packet with F clear has
/// arrived or a round trip has passed, or its Final could be mistaken for a late answer to the
/// previous one.
struct BFDPollHold: Hashable, Sendable {
    /// When the round trip is safely over: the Final's time plus the longest round trip it can
    /// have taken (from the first Poll packet to the Final).
    var until: BFDNanoseconds
    /// A Poll was asked for meanwhile; it starts when the hold ends.
    var queued = false
}

/// The echo function while it runs (§6.4, §6.8.9): only ever inside an Up session.
struct BFDEchoFunction: Hashable, Sendable {
    var interval: BFDNanoseconds
    var nextTransmit: BFDNanoseconds
    /// Echo detection: no echo back for bfd.DetectMult intervals means the path is broken.
    var deadline: BFDNanoseconds
    var sequence: UInt32 = 0

    /// Our private echo format: My Discriminator then a counter. Only we ever read it.
    func payload(localDiscriminator: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        bytes.appendUInt32(localDiscriminator)
        bytes.appendUInt32(sequence)
        return bytes
    }

    static func isOurs(_ payload: [UInt8], localDiscriminator: UInt32) -> Bool {
        guard payload.count == 8 else { return false }
        let discriminator = payload[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return discriminator == localDiscriminator
    }
}
