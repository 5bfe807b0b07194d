import PeerscopeAnalysis
import PeerscopeWire

/// BFD.FSM.NEVER.UP: a session that never reached Up, explained in one finding. A side that
/// accepts its peer's packets learns the peer's discriminator (RFC 5880 §6.8.6: Your Discriminator
/// is set from the received My Discriminator) and leaves Down; one that stays Down with Your
/// Discriminator 0 while the peer's packets keep arriving discards them. What the packets show of
/// why: authentication the side does not take (§6.7), a TTL a single-hop receiver discards
/// (RFC 5881 §5: 255 only) or one below a multihop minimum (RFC 5883 §2; FRR's default is 254).
final class NeverUpRule: BFDRule {
    override var events: BFDRuleEvents { .finishSession }
    /// What each side's authentication came to, for the causes.
    private let digest: AuthenticationDigestRule

    init(digest: AuthenticationDigestRule) { self.digest = digest }

    override func finishSession(_ session: BFDSession, slot: Int?, lastFrameTime: Int64, _ out: inout BFDRuleOutput) {
        guard let a = session.a, let b = session.b,
              a.timesUp == 0, b.timesUp == 0, !Self.everUp(session) else {
            // One side alone: only worth saying once it kept trying (three packets, one detection
            // time at the slow-start rate), not for a stray packet.
            if let only = session.a ?? session.b, session.a == nil || session.b == nil, only.timesUp == 0, only.packets >= 3 {
                let index = session.a == nil ? 1 : 0
                out.add(out.sessionFinding(.BFD.FSM.NEVER.UP, session, side: index, frames: [only.first.frameNumber, only.last.frameNumber],
                                            measured: .composite([.count(only.packets, noun: "packet"), .text(", none from "), .address("\(only.peerAddress)")]),
                                            "Never Up: \(only.address) sent \(only.packets) packet(s) and the capture shows nothing from \(only.peerAddress) (no BFD session configured there, or its packets do not pass this capture point)",
                                            time: only.first.timeNanoseconds))
            }
            return
        }
        // A side held in AdminDown (§6.8.16) explains everything: nobody discards anything.
        if let held = [a, b].first(where: { $0.state == .adminDown }) {
            out.add(out.sessionFinding(.BFD.FSM.NEVER.UP, session, side: held === a ? 0 : 1, frames: [held.first.frameNumber, held.last.frameNumber],
                                        measured: .composite([.address("\(held.address)"), .text(" "), .word("AdminDown")]),
                                        "Never Up: \(held.address) is administratively down (AdminDown, RFC 5880 §6.8.16) up to its last packet",
                                        time: min(a.first.timeNanoseconds, b.first.timeNanoseconds)))
            return
        }
        let heard = [Self.heardPeer(session, side: 0), Self.heardPeer(session, side: 1)]
        var causes: [String] = []
        var deaf: [Int] = []
        for index in 0..<2 where !heard[index] {
            deaf.append(index)
            causes.append(reason(session, discarding: index, slot: slot))
        }
        let sides = [a, b]
        guard !deaf.isEmpty else {
            // Each side heard the other, yet neither reached Up: the capture ends mid-handshake, or
            // a side stays in Init although its peer says Init or Up (§6.8.6 would take it Up).
            out.add(out.sessionFinding(.BFD.FSM.NEVER.UP, session, side: nil, frames: [a.last.frameNumber, b.last.frameNumber],
                                        measured: Self.states(a, b),
                                        "Never Up although each side heard the other (last states \(a.address) \(a.state), \(b.address) \(b.state)): the capture ends inside the handshake, or a side does not complete it",
                                        time: min(a.first.timeNanoseconds, b.first.timeNanoseconds)))
            return
        }
        let what: String
        if deaf.count == 2 {
            what = "neither side accepted the other's packets (both stayed Down with Your Discriminator 0)"
        } else {
            let me = deaf[0]
            what = "\(sides[me].address) never accepted \(sides[1 - me].address)'s packets: it stayed Down with Your Discriminator 0 "
                + "while \(sides[1 - me].address) heard it (\(sides[1 - me].state))"
        }
        let frames = deaf.flatMap { [sides[1 - $0].first.frameNumber, sides[$0].last.frameNumber] }
        out.add(out.sessionFinding(.BFD.FSM.NEVER.UP, session, side: deaf.count == 1 ? deaf[0] : nil, frames: frames,
                                    measured: Self.states(a, b),
                                    "Never Up: \(what); \(causes.joined(separator: "; "))",
                                    time: min(a.first.timeNanoseconds, b.first.timeNanoseconds)))
    }

    /// Each side's address and last state: `192.0.2.1 Down, 192.0.2.2 Init`.
    private static func states(_ a: BFDSide, _ b: BFDSide) -> FindingValue {
        .composite([.address("\(a.address)"), .text(" "), .word("\(a.state)"), .text(", "),
                    .address("\(b.address)"), .text(" "), .word("\(b.state)")])
    }

    private static func everUp(_ session: BFDSession) -> Bool {
        session.events.contains { event in
            if case .stateChange(_, .up, _) = event.kind { return true }
            if case .firstSeen(.up, _, _) = event.kind { return true }
            return false
        }
    }

    /// Whether `side` ever showed it accepted a packet from its peer: a non-zero Your
    /// Discriminator or a state only a received packet leads to (Init, Up).
    private static func heardPeer(_ session: BFDSession, side: Int) -> Bool {
        if let last = session.sides[side]?.last.packet, last.yourDiscriminator != 0 || last.state == .`init` || last.state == .up {
            return true
        }
        return session.events.contains { event in
            guard event.side == side else { return false }
            switch event.kind {
            case .yourDiscriminator(_, let to): return to != 0
            case .firstSeen(let state, _, _), .stateChange(_, let state, _): return state == .`init` || state == .up
            default: return false
            }
        }
    }

    /// Why `index` discards its peer's packets, as far as the packets show.
    private func reason(_ session: BFDSession, discarding index: Int, slot: Int?) -> String {
        guard let me = session.sides[index], let peer = session.sides[1 - index] else { return "" }
        let mine = digest.tally(slot: slot, side: index)
        let theirs = digest.tally(slot: slot, side: 1 - index)
        var causes: [String] = []
        if let theirs {
            var text = "\(peer.address) authenticates (\(theirs.type), key \(theirs.keyID))"
            if mine == nil { text += " and \(me.address) sends none: \(me.address) has no authentication configured for it (RFC 5880 §6.7)" }
            else if let mine, mine.type != theirs.type || mine.keyID != theirs.keyID {
                text += " but \(me.address) uses \(mine.type), key \(mine.keyID)"
            }
            if theirs.verified > 0, theirs.failed == 0 {
                text += "; its digest verifies with the key given for key \(theirs.keyID), so \(me.address)'s key or type differs"
            } else if theirs.failed > 0 {
                text += "; its digest does not verify with the key given for key \(theirs.keyID): \(peer.address)'s secret is wrong"
            } else {
                text += " (not verified: give --key \(theirs.keyID):SECRET to check the digest)"
            }
            causes.append(text)
        } else if let mine {
            causes.append("\(me.address) authenticates (\(mine.type), key \(mine.keyID)) and \(peer.address) sends no authentication: \(me.address) discards its packets (RFC 5880 §6.8.6)")
        }
        switch session.transport {
        case .singleHop, .microBFD:
            if peer.ttlMinimum != 255 {
                causes.append("\(peer.address)'s packets have TTL \(peer.ttlMinimum == peer.ttlMaximum ? "\(peer.ttlMinimum)" : "\(peer.ttlMinimum)–\(peer.ttlMaximum)"): a single-hop receiver discards anything but 255 (RFC 5881 §5)")
            }
        case .multihop:
            if peer.ttlMaximum < 254 {
                causes.append("\(peer.address)'s packets are seen with TTL \(peer.ttlMaximum) at most (\(SessionSummaryRules.impliedHops(peer.ttlMaximum)) hop(s) below a common initial TTL), so they arrive below a multihop minimum TTL such as FRR's default 254 (RFC 5883 §2) and are discarded")
            }
        case .seamless, .echo:
            break
        }
        if causes.isEmpty { causes.append("the packets show no cause (no authentication or TTL difference): a session not configured on \(me.address), or a filter") }
        return causes.joined(separator: "; ")
    }
}
