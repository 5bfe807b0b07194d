import PeerscopeAnalysis
import PeerscopeWire

/// Rules that look at a whole session or at all of them: flaps, jitter, TTL per direction,
/// port uniqueness (§2, §3, §4), and the echo function (§4, RFC 5880 §6.4, RFC 5881 §4).
extension BFDConformanceEngine {
    func sessionFinding(_ ruleID: String, _ session: BFDSession, side: Int?, level: RuleLevel? = nil,
                        frames: [Int], measured: String? = nil, expected: String? = nil, _ message: String,
                        time: Int64? = nil) -> Finding {
        Finding(ruleID, level: level, session: session.id, side: side.flatMap { sideName(session, $0) }, frames: frames,
                measured: measured, expected: expected, message: message,
                relativeTimeNanoseconds: time.map(relative))
    }

    mutating func finishSession(session: BFDSession, state: SessionRuleState) {
        for index in 0..<2 {
            guard let side = session.sides[index] else { continue }
            let flaps = session.flaps(side: index)
            if flaps > 0 {
                let downs = session.events.filter { event in
                    guard event.side == index, case .stateChange(.up, _, _) = event.kind else { return false }
                    return true
                }
                findings.add(sessionFinding("BFD.FSM.FLAP", session, side: index, frames: downs.map(\.frameNumber),
                                            measured: "\(flaps) flap(s)",
                                            "\(flaps) Up→Down→Up cycle(s); \(side.timesUp) time(s) Up",
                                            time: downs.first?.timeNanoseconds))
            }
            let gaps = side.gaps
            if gaps.count >= 20, let low = gaps.ratioQuantile(0.05), let median = gaps.ratioQuantile(0.5),
               let high = gaps.ratioQuantile(0.95) {
                let bands = gaps.bands.filter { $0.count > 0 }.map { "\($0.label): \($0.count)" }.joined(separator: ", ")
                findings.add(sessionFinding("BFD.TMR.JITTER.RANGE", session, side: index, level: .info,
                                            frames: [side.first.frameNumber],
                                            measured: "p5 \(percent(low)), median \(percent(median)), p95 \(percent(high)) of the interval over \(gaps.count) gaps",
                                            "Gap distribution: \(bands)"))
                if low >= 0.98, high <= 1.03 {
                    findings.add(sessionFinding("BFD.TMR.JITTER.RANGE", session, side: index, level: .should,
                                                frames: [side.first.frameNumber], measured: "p5 \(percent(low)), p95 \(percent(high))",
                                                expected: "random reduction of 0–25% (§6.8.7)",
                                                "No jitter applied: every gap is the full interval"))
                }
            }
            if session.transport == .multihop {
                let hops = Self.impliedHops(side.ttlMinimum)
                findings.add(sessionFinding("BFD.IP.TTL.MULTIHOP", session, side: index, frames: [side.first.frameNumber],
                                            measured: side.ttlMinimum == side.ttlMaximum ? "TTL \(side.ttlMinimum)" : "TTL \(side.ttlMinimum)–\(side.ttlMaximum)",
                                            "Received TTL \(side.ttlMinimum) implies \(hops) hop(s) from \(side.address) (RFC 5883 §2: configure a minimum TTL)"))
            }
        }
    }

    /// Hops from the nearest common initial TTL (255, 128, 64) above the received value.
    public static func impliedHops(_ ttl: UInt8) -> Int {
        let initial = [64, 128, 255].first { Int(ttl) <= $0 } ?? 255
        return initial - Int(ttl)
    }

    private func percent(_ ratio: Double) -> String { Units.percent(ratio) }

    /// §4 (RFC 5881 §4): sessions of one system should use distinct source ports.
    mutating func checkPortUniqueness(_ sessions: [BFDSession]) {
        struct PortKey: Hashable { var address: IPAddress; var port: UInt16 }
        var users: [PortKey: [(session: BFDSession, side: Int)]] = [:]
        for session in sessions {
            for index in 0..<2 {
                guard let side = session.sides[index], !(session.transport == .seamless && side.sourcePort == BFDTransport.seamlessPort)
                else { continue }
                users[PortKey(address: side.address, port: side.sourcePort), default: []].append((session, index))
            }
        }
        for (key, list) in users where list.count > 1 {
            // Only sessions alive at the same time share a port in a way that matters. Sorted by
            // first packet, a side overlaps only those starting before its last packet: a sweep, not
            // every pair (a peer restarting on one port 20,000 times took minutes). The pairs are
            // then reported in the order the pairwise loop used.
            let order = list.indices.sorted {
                list[$0].session.sides[list[$0].side]!.first.timeNanoseconds
                    < list[$1].session.sides[list[$1].side]!.first.timeNanoseconds
            }
            var overlapping: [(Int, Int)] = []
            for (rank, i) in order.enumerated() {
                let a = list[i].session.sides[list[i].side]!
                for j in order[(rank + 1)...] {
                    let b = list[j].session.sides[list[j].side]!
                    guard b.first.timeNanoseconds <= a.last.timeNanoseconds else { break }
                    if a.first.timeNanoseconds <= b.last.timeNanoseconds { overlapping.append((min(i, j), max(i, j))) }
                }
            }
            overlapping.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for (i, j) in overlapping {
                let first = list[i], second = list[j]
                guard let a = first.session.sides[first.side], let b = second.session.sides[second.side],
                      first.session.previousSessionID != second.session.id, second.session.previousSessionID != first.session.id
                else { continue }
                findings.add(sessionFinding("BFD.IP.PORT.UNIQUE", second.session, side: second.side,
                                            frames: [a.first.frameNumber, b.first.frameNumber],
                                            measured: "port \(key.port) also used by session \(first.session.id)",
                                            "Two concurrent sessions from \(key.address) use source port \(key.port)"))
            }
        }
    }

    /// One echo packet. The first sighting of a payload is the original; a second one with the same
    /// payload is its copy coming back through the peer.
    public mutating func echo(frame: Int, time: Int64, source: IPAddress, ttl: UInt8, echo: BFDEchoPacket,
                              tracker: BFDSessionTracker) {
        var sender = echoState[source] ?? EchoSenderState()
        if let sent = sender.outstanding.removeValue(forKey: echo.payloadDigest) {
            sender.looped += 1
            if sender.roundTrips.count < 100_000 { sender.roundTrips.append(time - sent) }
            echoState[source] = sender
            return
        }
        sender.originals += 1
        if sender.outstanding.count < 4_096 { sender.outstanding[echo.payloadDigest] = time }
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
                findings.add(Finding("BFD.IP.ECHO.UP", session: session.id, side: source.description, frames: [frame],
                                     measured: "state \(myState?.description ?? "unknown"), peer echo rx \(peerEchoRx.map { Units.interval(microseconds: $0) } ?? "unknown")",
                                     expected: "Up and peer Required Min Echo RX > 0",
                                     message: "Echo packet sent while the session is not Up or the peer does not want echoes",
                                     relativeTimeNanoseconds: relative(time)))
            } else if let peerEchoRx, let last = sender.lastOriginalTime,
                      time - last < Int64(peerEchoRx) * 750 - options.toleranceNanoseconds {
                // §6.8.9: echo transmission is jittered as in §6.8.7, so a gap down to 75% of the
                // peer's Required Min Echo RX is allowed.
                findings.add(Finding("BFD.IP.ECHO.RATE", session: session.id, side: source.description, frames: [frame],
                                     measured: Units.duration(nanoseconds: time - last),
                                     expected: "≥ 75% of \(Units.interval(microseconds: peerEchoRx)) (jitter, RFC 5880 §6.8.9)", tolerance: toleranceText,
                                     message: "Echo packets sent faster than the peer's Required Min Echo RX",
                                     relativeTimeNanoseconds: relative(time)))
            }
        }
        sender.lastOriginalTime = time
        echoState[source] = sender
    }

    mutating func finishEcho(sessions: [BFDSession]) {
        for (address, sender) in echoState.sorted(by: { $0.key < $1.key }) {
            let trips = sender.roundTrips.sorted()
            let rtt = trips.isEmpty ? "no looped copies seen"
                : "RTT min \(Units.duration(nanoseconds: trips[0])), median \(Units.duration(nanoseconds: trips[trips.count / 2])), max \(Units.duration(nanoseconds: trips[trips.count - 1]))"
            let lost = sender.originals - sender.looped
            findings.add(Finding("BFD.IP.ECHO.LOOP", session: sender.sessionID, side: address.description, frames: [],
                                 measured: "\(sender.originals) sent, \(sender.looped) looped back, \(lost) not seen back",
                                 message: "Echo from \(address): \(rtt)"))
        }
    }
}
