import PeerscopeProbe
import PeerscopeWire
import Testing

/// A stand-in for the BFD machine: sends a numbered packet every `interval` (the last one with
/// TTL 254), records what comes back, stops when all came back.
struct PingSession: DatagramSession {
    var interval: Int64
    var count: Int
    var nextSend: Int64
    var sent = 0
    var received: [(number: UInt8, ttl: UInt8?, at: Int64)] = []

    var nextDeadlineNanoseconds: Int64? { sent < count ? nextSend : nil }

    mutating func received(_ datagram: ReceivedDatagram, now: Int64) -> [DatagramAction] {
        received.append((datagram.bytes[0], datagram.ttl, now))
        return received.count == count ? [.stop] : []
    }

    mutating func deadlineReached(now: Int64) -> [DatagramAction] {
        defer { sent += 1; nextSend += interval }
        return [.send([UInt8(sent)], ttl: sent == count - 1 ? 254 : nil)]
    }
}

@Suite("Datagram driver")
struct DatagramDriverTests {
    @Test("runs a sans-IO session at 3.3 ms over loopback: deadlines, sends through the guard, receives with TTL")
    func pingSession() async throws {
        let local = addr("127.77.0.30")
        let session = try await onOwnThread { () -> PingSession in
            let receiver = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let start = MonotonicClock.nowNanoseconds()
            let driver = try DatagramDriver(
                session: PingSession(interval: 3_300_000, count: 30, nextSend: start), receiver: receiver,
                transmitter: transmitter)
            try driver.run(until: start + 5_000_000_000)
            return driver.session
        }
        #expect(session.received.map(\.number) == (0..<30).map(UInt8.init))
        #expect(session.received.map(\.ttl) == Array(repeating: 255, count: 29) + [254])
        // 29 intervals of 3.3 ms on a fixed schedule: about 96 ms (the first send may itself be late,
        // which shortens the span by up to one interval).
        let span = session.received.last!.at - session.received.first!.at
        #expect(span >= 28 * 3_300_000 && span < 29 * 3_300_000 + 20_000_000, "span \(span) ns")
    }

    @Test("a session that outruns the guard's rate stops the run with the refusal")
    func rateLimitStopsRun() async throws {
        let local = addr("127.77.0.31")
        let error = try await onOwnThread { () -> SendError? in
            let receiver = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current(),
                                          packetsPerSecond: 100, burst: 5)
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let start = MonotonicClock.nowNanoseconds()
            // 10,000 packets/s asked for, 100/s allowed.
            let driver = try DatagramDriver(session: PingSession(interval: 100_000, count: 50, nextSend: start),
                                            receiver: receiver, transmitter: transmitter)
            do {
                try driver.run(until: start + 2_000_000_000)
                return nil
            } catch let error as SendError {
                return error
            }
        }
        #expect(error == .refused(.rateLimited(peer: local, packetsPerSecond: 100)))
    }
}
