import PeerscopeWire

/// The RFC 5880 constants and formulas the BFD rules judge by, in one place: when the RFC 5880
/// model moves into PeerscopeEndpoint (issue 13 item 2), the rules switch to it here.
enum RFC5880Facts {
    /// §6.8.3: while not Up, a system sends at most one packet per second (Desired Min TX ≥ 1 s).
    static let slowStartMinimumMicroseconds: Microseconds = 1_000_000

    /// §6.8.7: the transmit interval is reduced by a random 0–25 %: a gap below 75 % is too fast.
    static func jitterFloor(nanoseconds interval: Int64) -> Int64 { interval * 3 / 4 }

    /// §6.8.7: with Detect Mult 1 the reduction is at least 10 %: a gap above 90 % is too regular.
    static func multiplierOneCeiling(nanoseconds interval: Int64) -> Int64 { interval * 9 / 10 }

    /// §6.8.4: the detection time is the remote Detect Mult × the agreed interval, the larger of the
    /// local Required Min RX and the remote Desired Min TX.
    static func detectionTime(remoteMultiplier: UInt8, localRequiredMinRx: Microseconds,
                              remoteDesiredMinTx: Microseconds) -> Microseconds {
        Microseconds(clamping: UInt64(remoteMultiplier) * UInt64(max(localRequiredMinRx, remoteDesiredMinTx)))
    }

    /// §6.7.3, §6.7.4: a non-meticulous receiver accepts sequence numbers up to 3 × Detect Mult ahead.
    static func sequenceWindow(detectMultiplier: UInt8) -> UInt32 { 3 * UInt32(max(detectMultiplier, 1)) }

    /// §6.8.9: echo packets are jittered as in §6.8.7: a gap down to 75 % of the peer's Required
    /// Min Echo RX (µs), in ns.
    static func echoFloorNanoseconds(requiredMinEchoRx: Microseconds) -> Int64 { Int64(requiredMinEchoRx) * 750 }
}
