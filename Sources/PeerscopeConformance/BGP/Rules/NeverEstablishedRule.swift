import PeerscopeAnalysis
import PeerscopeWire

/// BGP.FSM.NEVER.UP: why a BGP session never reached Established, in one finding per address
/// pair: connections never answered (RFC 4271 §8: the peer stays in Connect/Active), refused
/// with RST, TCP MD5 (RFC 2385, option 19) or TCP-AO (RFC 5925, option 29) on one side only (a
/// speaker with a key drops segments without one, and the reverse), or the NOTIFICATION that
/// ended the attempt.
final class NeverEstablishedRule: BGPRule {
    override var events: BGPRuleEvents { [.transport, .finishAfterSessions, .fold] }
    private let options: CheckOptions
    /// The lowest TTL of the SYNs that opened each BGP session (by session ID): what a GTSM
    /// receiver (RFC 5082) would have judged, for sessions that never got further.
    @exclusivity(unchecked) private var connectTTL: [Int: UInt8] = [:]

    init(options: CheckOptions) { self.options = options }

    override func transport(_ event: BGPTransportEvent, session: BGPSession, side: Int, _ out: inout BGPRuleOutput) {
        if case .connect = event.kind { connectTTL[session.id] = min(connectTTL[session.id] ?? .max, event.ttl) }
    }

    override func fold(_ session: BGPSession) { connectTTL[session.id] = nil }

    override func finishAfterSessions(_ sessions: [BGPSession], _ out: inout BGPRuleOutput) {
        struct Pair: Hashable { var low: IPAddress; var high: IPAddress }
        let everEstablished = Set(sessions.filter { $0.establishedTime != nil }.map { Pair(low: $0.a.address, high: $0.b.address) })
        var attempts: [Pair: [BGPSession]] = [:]
        var order: [Pair] = []
        for session in sessions where session.establishedTime == nil {
            let pair = Pair(low: session.a.address, high: session.b.address)
            // A pair that did come up: earlier failed attempts are the usual race of two speakers
            // connecting at once (RFC 4271 §6.8 collision), not a failure.
            guard !everEstablished.contains(pair) else { continue }
            // A connection picked up mid-stream has no beginning to judge.
            guard session.initiator != nil || session.sides.contains(where: { $0.open != nil }) else { continue }
            if attempts[pair] == nil { order.append(pair) }
            attempts[pair, default: []].append(session)
        }
        for pair in order {
            guard let list = attempts[pair], let last = list.last else { continue }
            let frames = list.compactMap { session in session.events.first.map(\.frameNumber) }
            out.add(Finding(.BGP.FSM.NEVER.UP, bgpSession: last.id, side: last.initiator.map { last.sides[$0].name },
                                 frames: Array(frames.prefix(FindingSink.framesKept)),
                                 measured: .count(list.count, noun: "connection attempt"),
                                 message: "Never Established between \(pair.low) and \(pair.high): \(cause(list))",
                                 relativeTimeNanoseconds: list.first?.events.first.map { out.relative($0.timeNanoseconds) }))
        }
    }

    private func cause(_ attempts: [BGPSession]) -> String {
        var parts: [String] = []
        // TCP segment authentication on one side only.
        for session in attempts {
            let options = session.sides.map(\.tcpAuthentication)
            for index in 0..<2 where options[index] != nil && options[1 - index] == nil {
                let name = session.sides[index].tcpAuthenticationName ?? "TCP option \(options[index] ?? 0)"
                let peer = session.sides[1 - index]
                let peerSent = peer.messagesSent > 0 || session.events.contains { $0.side == 1 - index }
                parts.append("\(session.sides[index].address)'s segments carry \(name) and "
                    + (peerSent ? "\(peer.address)'s carry none" : "\(peer.address) never answered")
                    + ": the key is configured on one side only (a speaker with a key discards segments without one)")
                break
            }
            if !parts.isEmpty { break }
        }
        let connects = attempts.filter { $0.initiator != nil }
        let answered = connects.filter { session in
            session.events.contains { event in
                if case .accept = event.kind { return true }
                return false
            }
        }
        let refused = connects.filter { session in
            session.events.contains { event in
                if case .reset = event.kind { return event.side != session.initiator }
                return false
            }
        }
        if !connects.isEmpty, answered.isEmpty {
            let from = Set(connects.compactMap { session in session.initiator.map { session.sides[$0].address } })
                .sorted().map(\.description)
            let ttl = connects.compactMap { connectTTL[$0.id] }.min()
            // RFC 5082 §3: a GTSM receiver discards anything below 255 (one hop) without an answer.
            let gtsm: String
            if let ttl, ttl < 255 {
                let on = connects.contains { session in options.gtsm.isOn(between: session.a.address, and: session.b.address) }
                gtsm = on ? "; the SYNs carry TTL \(ttl) and GTSM is on (as given to check): the peer discards them (RFC 5082 §3)"
                    : "; the SYNs carry TTL \(ttl): a peer running GTSM (RFC 5082) would discard them"
            } else {
                gtsm = ""
            }
            if refused.count == connects.count {
                parts.append("every connection from \(from.joined(separator: ", ")) was refused with RST (nothing listens on port 179, or the peer is not configured for it)")
            } else {
                parts.append("\(connects.count) SYN(s) from \(from.joined(separator: ", ")) to port 179 never answered (no SYN-ACK in the capture: "
                    + "the peer is unreachable, filtered, or drops them)" + gtsm)
            }
        }
        for session in attempts {
            if let teardown = session.teardown, case .notification(let notification) = teardown.cause {
                parts.append("\(session.sides[teardown.side].address) closed the attempt with NOTIFICATION \(notification)")
                break
            }
        }
        if parts.isEmpty {
            let opens = attempts.map { session in session.sides.filter { $0.open != nil }.count }.max() ?? 0
            parts.append(opens == 2 ? "both OPENs were sent but not both confirmed by a KEEPALIVE"
                : "the connection closed before both OPENs were exchanged")
        }
        return parts.joined(separator: "; ")
    }
}
