import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// The echo function (RFC 5880 §6.4, §6.8.9; RFC 5881 §4): BFD.IP.ECHO.UP (echoes only while Up and
/// wanted), BFD.IP.ECHO.RATE (not faster than the peer's Required Min Echo RX allows) and
/// BFD.IP.ECHO.LOOP (each echo paired with its looped copy: round trip and loss, per sender).
final class EchoRules: BFDRule {
    override var events: BFDRuleEvents { [.echo, .finishAfterSessions] }
    private struct Sender {
        var originals = 0
        var looped = 0
        var lastOriginalTime: Int64?
        var outstanding: [UInt64: Int64] = [:]
        var roundTrips: [Int64] = []
        var sessionID: Int?
    }
    @exclusivity(unchecked) private var senders: [IPAddress: Sender] = [:]

    /// One echo packet. The first sighting of a payload is the original; a second one with the same
    /// payload is its copy coming back through the peer.
    override func echo(_ echo: ObservedEcho, tracker: BFDSessionTracker, _ out: inout BFDRuleOutput) {
        let (frame, time, source) = (echo.frame, echo.time, echo.source)
        var sender = senders[source] ?? Sender()
        if let sent = sender.outstanding.removeValue(forKey: echo.packet.payloadDigest) {
            sender.looped += 1
            if sender.roundTrips.count < 100_000 { sender.roundTrips.append(time - sent) }
            senders[source] = sender
            return
        }
        sender.originals += 1
        if sender.outstanding.count < 4_096 { sender.outstanding[echo.packet.payloadDigest] = time }
        // The session whose end is the sender (the newest: highest ID, since slots are reused once
        // the tracker folds sessions at its cap), and the peer's echo request.
        let session = tracker.sessions.lazy.filter { session in
            session.transport == .singleHop && (session.a?.address == source || session.b?.address == source)
        }.max { $0.id < $1.id }
        sender.sessionID = session?.id
        if let session {
            let mine = session.a?.address == source ? 0 : 1
            let myState = session.sides[mine]?.state
            let peerEchoRx = session.sides[1 - mine]?.parameters.requiredMinEchoRxInterval
            if myState != .up || peerEchoRx == 0 {
                out.add(Finding(.BFD.IP.ECHO.UP, session: session.id, side: source.description, frames: [frame],
                                     measured: .composite([.text("state "), .word(myState?.description ?? "unknown"), .text(", peer echo rx "),
                                                           peerEchoRx.map { .interval(microseconds: Int64($0)) } ?? .text("unknown")]),
                                     expected: .text("Up and peer Required Min Echo RX > 0"),
                                     message: "Echo packet sent while the session is not Up or the peer does not want echoes",
                                     relativeTimeNanoseconds: out.relative(time)))
            } else if let peerEchoRx, let last = sender.lastOriginalTime,
                      time - last < BFDJitterBounds.echo.range(ofNanoseconds: Int64(peerEchoRx) * 1_000).lowerBound - out.options.toleranceNanoseconds {
                // §6.8.9: echo transmission is jittered as in §6.8.7, so a gap down to 75% of the
                // peer's Required Min Echo RX is allowed.
                out.add(Finding(.BFD.IP.ECHO.RATE, session: session.id, side: source.description, frames: [frame],
                                     measured: .duration(nanoseconds: time - last),
                                     expected: .composite([.atLeast(.ratio(0.75)), .text(" of "), .interval(microseconds: Int64(peerEchoRx)),
                                                           .text(" (jitter, RFC 5880 §6.8.9)")]),
                                     tolerance: out.tolerance,
                                     message: "Echo packets sent faster than the peer's Required Min Echo RX",
                                     relativeTimeNanoseconds: out.relative(time)))
            }
        }
        sender.lastOriginalTime = time
        senders[source] = sender
    }

    override func finishAfterSessions(_ sessions: [BFDSession], _ out: inout BFDRuleOutput) {
        for (address, sender) in senders.sorted(by: { $0.key < $1.key }) {
            let trips = sender.roundTrips.sorted()
            let rtt: FindingMessage = trips.isEmpty ? "no looped copies seen"
                : "RTT min \(.duration(nanoseconds: trips[0])), median \(.duration(nanoseconds: trips[trips.count / 2])), max \(.duration(nanoseconds: trips[trips.count - 1]))"
            let lost = sender.originals - sender.looped
            out.add(Finding(.BFD.IP.ECHO.LOOP, session: sender.sessionID, side: address.description, frames: [],
                                 measured: .composite([.number(Int64(sender.originals)), .text(" sent, "), .number(Int64(sender.looped)), .text(" looped back, "),
                                                       .number(Int64(lost)), .text(" not seen back")]),
                                 message: "Echo from \(address): \(rtt)"))
        }
    }
}
