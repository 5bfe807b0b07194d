import PeerscopeWire

/// The timer arithmetic of RFC 5880 §6.8.2–§6.8.4, §6.8.7 and §6.8.9 as pure functions of the
/// session variables, with no side assumed: the endpoint applies them to itself, the analyzer to
/// each side of a capture, the probe to a device it measures, and the sample generator to both
/// routers it plays. One formula per fact, so the five users cannot drift apart.
public enum BFDTimingModel {
    /// §6.8.3: "When bfd.SessionState is not Up, the system MUST set bfd.DesiredMinTxInterval to a
    /// value of not less than one second (1,000,000 microseconds)."
    public static let slowStartInterval: Microseconds = 1_000_000

    /// §6.8.3: the Desired Min TX Interval a system advertises: what it is configured for once Up,
    /// at least the slow-start second otherwise.
    public static func advertisedDesiredMinTx(configured: Microseconds, sessionUp: Bool) -> Microseconds {
        sessionUp ? configured : max(configured, slowStartInterval)
    }

    /// §6.8.2 / §6.8.7: a system transmits periodic Control packets no faster than the greater of
    /// its own bfd.DesiredMinTxInterval and bfd.RemoteMinRxInterval (the peer's Required Min RX).
    public static func transmitInterval(desiredMinTx: Microseconds, remoteMinRx: Microseconds) -> Microseconds {
        max(desiredMinTx, remoteMinRx)
    }

    /// §6.8.4, asynchronous mode: the Detection Time the *receiver* applies is the Detect Mult
    /// received from the sender times the greater of the receiver's bfd.RequiredMinRxInterval and
    /// the sender's last Desired Min TX Interval. Exact: 255 × (2^32 − 1) µs still fits an Int64
    /// in nanoseconds, so nothing is clamped.
    public static func detectionTime(remoteDetectMult: UInt8, localRequiredMinRx: Microseconds,
                                     remoteDesiredMinTx: Microseconds) -> UInt64 {
        UInt64(remoteDetectMult) * UInt64(max(localRequiredMinRx, remoteDesiredMinTx))
    }

    /// The same in nanoseconds.
    public static func detectionTimeNanoseconds(remoteDetectMult: UInt8, localRequiredMinRx: Microseconds,
                                                remoteDesiredMinTx: Microseconds) -> Int64 {
        Int64(detectionTime(remoteDetectMult: remoteDetectMult, localRequiredMinRx: localRequiredMinRx,
                            remoteDesiredMinTx: remoteDesiredMinTx)) * 1_000
    }

    /// §6.8.4, Demand mode: only an unanswered Poll detects a failure, after bfd.DetectMult (the
    /// local one) times the local negotiated transmit interval, counted from the first Poll packet.
    public static func demandDetectionTimeNanoseconds(localDetectMult: UInt8,
                                                      transmitInterval: Microseconds) -> Int64 {
        Int64(localDetectMult) * Int64(transmitInterval) * 1_000
    }

    /// §6.8.9: echo packets go no faster than the peer's Required Min Echo RX Interval allows.
    public static func echoTransmitInterval(desiredMinEchoTx: Microseconds,
                                            remoteMinEchoRx: Microseconds) -> Microseconds {
        max(desiredMinEchoTx, remoteMinEchoRx)
    }

    /// §6.8.1 bfd.AuthSeqKnown: "MUST be set to zero after no packets have been received on this
    /// session for at least twice the Detection Time", so a restarted peer's new numbers are taken.
    public static func authSequenceForgetAfterNanoseconds(detectionTimeNanoseconds: Int64) -> Int64 {
        2 * detectionTimeNanoseconds
    }
}

/// §6.8.7: "the interval between transmitted BFD Control packets MUST be reduced by a random value
/// of 0 to 25%" — so a gap lies in [75 %, 100 %] of the interval — and "If bfd.DetectMult is equal
/// to 1, the interval between transmitted BFD Control packets MUST be no more than 90% of the
/// negotiated transmission interval, and MUST be no less than 75%". §6.8.9 applies the same to echo.
/// Shares are in parts per million, so the arithmetic stays in integers.
public struct BFDJitterBounds: Hashable, Sendable {
    public static let partsPerMillion: Int64 = 1_000_000
    /// 75 %: the shortest gap a conforming sender leaves.
    public let lowerPartsPerMillion: Int64
    /// 100 %, or 90 % with Detect Mult 1.
    public let upperPartsPerMillion: Int64

    /// The bounds for a sender whose own bfd.DetectMult is `detectMultiplier`.
    public init(detectMultiplier: UInt8) {
        lowerPartsPerMillion = 750_000
        upperPartsPerMillion = detectMultiplier == 1 ? 900_000 : 1_000_000
    }

    /// The shortest and longest gap allowed for `interval` (ns); rounds toward the interval's
    /// inside so a gap on the boundary is in.
    public func range(ofNanoseconds interval: Int64) -> ClosedRange<Int64> {
        let lower = interval.multipliedReportingOverflow(by: lowerPartsPerMillion)
        let upper = interval.multipliedReportingOverflow(by: upperPartsPerMillion)
        guard !lower.overflow, !upper.overflow, interval >= 0 else { return 0...Int64.max }
        return lower.partialValue / Self.partsPerMillion ... upper.partialValue / Self.partsPerMillion
    }

    /// A gap drawn uniformly from the allowed share of `interval` (ns).
    public func draw<R: RandomNumberGenerator>(intervalNanoseconds interval: Int64, using random: inout R) -> Int64 {
        let parts = Int64.random(in: lowerPartsPerMillion...upperPartsPerMillion, using: &random)
        return interval * parts / Self.partsPerMillion
    }
}

extension BFDJitterBounds {
    /// §6.8.9: echo packets are jittered as §6.8.7 jitters Control packets, 75–100 % of the
    /// interval; the 90 % ceiling of a Detect Mult of 1 concerns Control packets only.
    public static let echo = BFDJitterBounds(detectMultiplier: 0)
}
