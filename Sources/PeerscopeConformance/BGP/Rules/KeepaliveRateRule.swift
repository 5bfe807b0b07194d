import PeerscopeAnalysis
import PeerscopeWire

/// BGP.TMR.KEEPALIVE.RATE (RFC 4271 §4.4): KEEPALIVEs neither faster than one a second nor much
/// slower than a third of the hold time.
final class KeepaliveRateRule: BGPRule {
    override var events: BGPRuleEvents { .finishSession }

    /// RFC 4271 §4.4: KEEPALIVEs no more often than once a second, and a third of the hold time is
    /// a reasonable interval. The §10 jitter (75–100 %) may shorten a 1 s keepalive to 750 ms.
    override func finishSession(_ session: BGPSession, _ out: inout BGPRuleOutput) {
        guard session.establishedTime != nil, let hold = session.negotiatedHoldTime, hold > 0 else { return }
        let tolerance = out.options.toleranceNanoseconds
        let third = Int64(hold) * 1_000_000_000 / 3
        for side in session.sides {
            // The evidence is the two KEEPALIVEs that came too close, not the OPEN.
            if let shortest = side.shortestKeepaliveGap, shortest.nanoseconds < 750_000_000 - tolerance {
                out.add(Finding(.BGP.TMR.KEEPALIVE.RATE, bgpSession: session.id, side: side.name,
                                     frames: [shortest.fromFrame, shortest.toFrame],
                                     measured: .duration(nanoseconds: shortest.nanoseconds),
                                     expected: .composite([.atLeast(.duration(nanoseconds: 1_000_000_000)), .text(" ("),
                                                           .atLeast(.duration(nanoseconds: 750_000_000)), .text(" with jitter)")]),
                                     message: "\(side.address) sent KEEPALIVEs \(.duration(nanoseconds: shortest.nanoseconds)) apart"), kind: "fast")
            }
            let frames = side.keepalives.last.map { [$0.frame] } ?? []
            if let typical = side.keepaliveInterval, typical > third + third / 4 + tolerance {
                out.add(Finding(.BGP.TMR.KEEPALIVE.RATE, bgpSession: session.id, side: side.name,
                                     frames: frames, measured: .duration(nanoseconds: typical),
                                     expected: .composite([.text("about "), .duration(nanoseconds: third), .text(" (hold "),
                                                           .seconds(Int64(hold)), .text(" ÷ 3)")]),
                                     message: "\(side.address) sends KEEPALIVEs every \(.duration(nanoseconds: typical)), "
                                         + "more than a third of the \(hold) s hold time: one lost KEEPALIVE nearly expires the peer's hold timer"),
                             kind: "slow")
            }
        }
    }
}
