import PeerscopeAnalysis
import PeerscopeWire

/// BFD.IP.PORT.UNIQUE (RFC 5881 §4): concurrent sessions of one system use distinct source ports.
/// Judged at the end, over all sessions.
final class PortUniqueRule: BFDRule {
    override var events: BFDRuleEvents { .finishAfterSessions }

    override func finishAfterSessions(_ sessions: [BFDSession], _ out: inout BFDRuleOutput) {
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
                out.add(out.sessionFinding(.BFD.IP.PORT.UNIQUE, second.session, side: second.side,
                                            frames: [a.first.frameNumber, b.first.frameNumber],
                                            measured: .composite([.text("port "), .number(Int64(key.port)), .text(" also used by session \(first.session.id)")]),
                                            "Two concurrent sessions from \(key.address) use source port \(key.port)"))
            }
        }
    }
}
