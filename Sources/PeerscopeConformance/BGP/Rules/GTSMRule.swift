import PeerscopeAnalysis
import PeerscopeWire

/// BGP.IP.GTSM (RFC 5082): the TTL each end sends BGP with, against GTSM.
final class GTSMRule: BGPRule {
    override var events: BGPRuleEvents { .finishSession }

    /// RFC 5082 §3: with GTSM on, a speaker sends with TTL 255 and its peer discards anything less.
    /// Known on (`--gtsm`, `--gtsm-peer`): a TTL below 255 is proven to be discarded, a MUST. Not
    /// known: one end at 255 and the other below is a difference worth a SHOULD, except in iBGP
    /// (same AS) when the lower end is at 254, which is what a loopback peer one router away from
    /// the capture point shows whatever it sent.
    override func finishSession(_ session: BGPSession, _ out: inout BGPRuleOutput) {
        for (index, side) in session.sides.enumerated() where side.messagesSent > 0 {
            let peer = session.sides[1 - index]
            let ttl = side.ttlMinimum == side.ttlMaximum ? "\(side.ttlMinimum)" : "\(side.ttlMinimum)–\(side.ttlMaximum)"
            let ttlValue: FindingValue = side.ttlMinimum == side.ttlMaximum
                ? .number(Int64(side.ttlMinimum)) : .range(.number(Int64(side.ttlMinimum)), .number(Int64(side.ttlMaximum)))
            let frames = side.firstMessage.map { [$0.frame] } ?? []
            if out.options.gtsm.isOn(between: side.address, and: peer.address) {
                guard side.ttlMinimum < 255 else { continue }
                out.add(Finding(.BGP.IP.GTSM, level: .must, bgpSession: session.id, side: side.name, frames: frames,
                                     measured: .composite([.text("TTL "), ttlValue]),
                                     expected: .composite([.text("TTL "), .number(255), .text(" (GTSM on, as given to check)")]),
                                     message: "GTSM is on for this session (as given to check) and \(side.address) sends BGP with TTL \(ttl): "
                                         + "the peer discards it (RFC 5082 §3)"))
                continue
            }
            guard peer.messagesSent > 0, peer.ttlMinimum == 255, side.ttlMaximum < 255 else { continue }
            if side.ttlMaximum == 254, let mine = side.open?.autonomousSystem, mine == peer.open?.autonomousSystem { continue }
            out.add(Finding(.BGP.IP.GTSM, bgpSession: session.id, side: side.name, frames: frames,
                                 measured: .composite([.text("TTL "), ttlValue]), expected: .composite([.text("TTL "), .number(255)]),
                                 message: "\(peer.address) sends BGP with TTL 255 (GTSM) but \(side.address) sends TTL \(ttl) "
                                     + "(whether GTSM is configured is not on the wire: --gtsm makes this a MUST)"))
        }
    }
}
