import PeerscopeAnalysis
import PeerscopeWire

/// What a whole session shows, per side, at its end: BFD.FSM.FLAP (Up→Down→Up cycles, RFC 5880
/// §6.2), BFD.TMR.JITTER.RANGE (the gap distribution, §6.8.7) and BFD.IP.TTL.MULTIHOP (the TTL a
/// multihop receiver sees and the hops it implies, RFC 5883 §2). One side's three findings come
/// together, then the other's.
final class SessionSummaryRules: BFDRule {
    override var events: BFDRuleEvents { .finishSession }

    override func finishSession(_ session: BFDSession, slot: Int?, lastFrameTime: Int64, _ out: inout BFDRuleOutput) {
        for index in 0..<2 {
            guard let side = session.sides[index] else { continue }
            let flaps = session.flaps(side: index)
            if flaps > 0 {
                let downs = session.events.filter { event in
                    guard event.side == index, case .stateChange(.up, _, _) = event.kind else { return false }
                    return true
                }
                out.add(out.sessionFinding(.BFD.FSM.FLAP, session, side: index, frames: downs.map(\.frameNumber),
                                            measured: .count(flaps, noun: "flap"),
                                            "\(flaps) Up→Down→Up cycle(s); \(side.timesUp) time(s) Up",
                                            time: downs.first?.timeNanoseconds))
            }
            let gaps = side.gaps
            if gaps.count >= 20, let low = gaps.ratioQuantile(0.05), let median = gaps.ratioQuantile(0.5),
               let high = gaps.ratioQuantile(0.95) {
                let bands = gaps.bands.filter { $0.count > 0 }.map { "\($0.label): \($0.count)" }.joined(separator: ", ")
                out.add(out.sessionFinding(.BFD.TMR.JITTER.RANGE, session, side: index, level: .info,
                                            frames: [side.first.frameNumber],
                                            measured: .composite([.text("p5 "), .ratio(low), .text(", median "), .ratio(median), .text(", p95 "),
                                                                  .ratio(high), .text(" of the interval over "), .number(Int64(gaps.count)),
                                                                  .text(" gaps")]),
                                            "Gap distribution: \(bands)"))
                if low >= 0.98, high <= 1.03 {
                    out.add(out.sessionFinding(.BFD.TMR.JITTER.RANGE, session, side: index, level: .should,
                                                frames: [side.first.frameNumber], measured: .composite([.text("p5 "), .ratio(low), .text(", p95 "), .ratio(high)]),
                                                expected: .composite([.text("random reduction of "), .range(.ratio(0), .ratio(0.25)), .text(" (§6.8.7)")]),
                                                "No jitter applied: every gap is the full interval"))
                }
            }
            if session.transport == .multihop {
                let hops = Self.impliedHops(side.ttlMinimum)
                out.add(out.sessionFinding(.BFD.IP.TTL.MULTIHOP, session, side: index, frames: [side.first.frameNumber],
                                            measured: .composite([.text("TTL "), side.ttlMinimum == side.ttlMaximum ? .number(Int64(side.ttlMinimum))
                                                                      : .range(.number(Int64(side.ttlMinimum)), .number(Int64(side.ttlMaximum)))]),
                                            "Received TTL \(side.ttlMinimum) implies \(hops) hop(s) from \(side.address) (RFC 5883 §2: configure a minimum TTL)"))
            }
        }
    }

    /// Hops from the nearest common initial TTL (255, 128, 64) above the received value.
    static func impliedHops(_ ttl: UInt8) -> Int {
        let initial = [64, 128, 255].first { Int(ttl) <= $0 } ?? 255
        return initial - Int(ttl)
    }
}
