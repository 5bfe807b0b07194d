import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// CONFORMANCE.md §6: what BGP does when the BFD session protecting it goes Down, and the failover
/// chain peerscope rebuilds from it.
@Suite("BFD client rules and the failover chain")
struct ClientRuleTests {
    /// A BGP session protected by BFD; then B falls silent (both protocols), A's BFD declares Down
    /// after the detection time (900 ms) and A closes BGP `teardownAfter` seconds later with
    /// `notification` (nil: BGP carries on).
    static func failover(notification: BGPNotification?, teardownAfter: Double = 0.002) -> BGPExchange {
        var exchange = BGPExchange.clean()
        exchange.bfdUp(seconds: 3)
        // B's last BFD packet reaches A; then silence from B.
        exchange.bfd(.b)
        exchange.advance(seconds: 0.9)
        exchange.a.bfdState = .down
        exchange.bfd(.a, diagnostic: .controlDetectionTimeExpired)
        if let notification {
            exchange.advance(seconds: teardownAfter)
            exchange.send(.a, .notification(notification))
            exchange.segment(.a, flags: [.fin, .ack])
        } else {
            exchange.keepalives(seconds: 4, only: .a)
        }
        return exchange
    }

    @Test("BFD.CLIENT.TEARDOWN: the failover chain with its timings")
    func teardown() throws {
        let analysis = try Self.failover(notification: BGPNotification(code: 6, subcode: 10)).analyse()
        let failover = try #require(analysis.failovers.first)
        #expect(analysis.failovers.count == 1)
        #expect(failover.bgpSessionID == 1)
        #expect(failover.declaredBy == IPAddress("192.0.2.1"))
        #expect(failover.diagnostic == .controlDetectionTimeExpired)
        #expect(failover.teardownDelayNanoseconds == 2_000_000)
        #expect(failover.teardownBy == IPAddress("192.0.2.1"))
        #expect(failover.routesLost == 2, "B had announced two routes to A")
        // Detection time 3 × 300 ms: the last packet that reached A is the last one captured.
        #expect(failover.lastReceivedEstimateNanoseconds == failover.lastHeardNanoseconds)
        let finding = try #require(analysis.findings.first { $0.rule.id == "BFD.CLIENT.TEARDOWN" })
        #expect(finding.measured == .duration(nanoseconds: 2_000_000))
        #expect(finding.bgpSessionID == 1 && finding.sessionID == 1)
        #expect(!analysis.findings.contains { $0.rule.id == "BGP.NOTIF.BFD.CEASE" })
        #expect(!analysis.findings.contains { $0.rule.id == "BFD.CLIENT.ADMINDOWN" })
    }

    @Test("BGP.NOTIF.BFD.CEASE: a BFD-caused teardown with another Cease subcode")
    func ceaseSubcode() throws {
        let bent = try Self.failover(notification: BGPNotification(code: 6, subcode: 0)).analyse()
        let finding = try #require(bent.findings.first { $0.rule.id == "BGP.NOTIF.BFD.CEASE" })
        #expect(finding.level == .should)
        #expect(finding.measured == .composite([.number(6), .text("/"), .number(0)]))
        let clean = try Self.failover(notification: BGPNotification(code: 6, subcode: 10)).analyse()
        #expect(!clean.findings.contains { $0.rule.id == "BGP.NOTIF.BFD.CEASE" })
    }

    @Test("a BGP session that carries on after BFD Down: no teardown, no Cease finding")
    func stayedUp() throws {
        let analysis = try Self.failover(notification: nil).analyse()
        let failover = try #require(analysis.failovers.first)
        guard case .stayedUp? = failover.teardown else {
            Issue.record("expected the BGP session to be reported as staying up, got \(String(describing: failover.teardown))")
            return
        }
        #expect(failover.teardownDelayNanoseconds == nil)
    }

    @Test("BFD.CLIENT.ADMINDOWN: the peer's AdminDown must not by itself take BGP down")
    func adminDown() throws {
        func exchange(tearDown: Bool) -> BGPExchange {
            var exchange = BGPExchange.clean()
            exchange.bfdUp(seconds: 2)
            exchange.b.bfdState = .adminDown
            exchange.bfd(.b, diagnostic: .administrativelyDown)
            exchange.advance(seconds: 0.001)
            exchange.a.bfdState = .down
            exchange.bfd(.a, diagnostic: .neighborSignaledSessionDown)
            if tearDown {
                exchange.advance(seconds: 0.0005)
                exchange.send(.a, .notification(BGPNotification(code: 6, subcode: 10)))
            } else {
                exchange.keepalives(seconds: 6)
            }
            return exchange
        }
        let bent = try exchange(tearDown: true).analyse()
        let finding = try #require(bent.findings.first { $0.rule.id == "BFD.CLIENT.ADMINDOWN" })
        #expect(finding.side == "192.0.2.1")
        #expect(!bent.findings.contains { $0.rule.id == "BGP.NOTIF.BFD.CEASE" })
        let clean = try exchange(tearDown: false).analyse()
        #expect(!clean.findings.contains { $0.rule.id == "BFD.CLIENT.ADMINDOWN" })
        #expect(clean.failovers.first?.diagnostic == .neighborSignaledSessionDown)
    }

    @Test("withdrawals on another session after the failover are part of the chain")
    func withdrawalsElsewhere() throws {
        var main = Self.failover(notification: BGPNotification(code: 6, subcode: 10))
        // A also peers with C (192.0.2.3) and withdraws there what it had learnt from B.
        var other = BGPExchange()
        other.b = BGPExchange.Speaker(address: IPAddress("192.0.2.3")!, port: 179, asn: 65_003,
                                      identifier: IPv4Address(192, 0, 2, 3), sequence: 5_000, discriminator: 33)
        other.establish()
        other.announce(.a, ["203.0.113.0/24", "203.0.113.128/25"])
        other.now = main.now + 5_000_000
        other.withdraw(.a, ["203.0.113.0/24", "203.0.113.128/25"])
        main.frames += other.frames
        let analysis = try main.analyse()
        #expect(analysis.bgpSessions.count == 2)
        let failover = try #require(analysis.failovers.first)
        let elsewhere = try #require(failover.withdrawalsElsewhere)
        #expect(elsewhere.prefixes == 2)
        #expect(elsewhere.sessions == [2])
        #expect(elsewhere.timeNanoseconds - failover.downNanoseconds == 2_000_000 + 5_000_000)
        let held = analysis.bgpSessions[1].a
        #expect(held.routes.isEmpty)
        #expect(held.ribHistory.map(\.size) == [2, 0])
        #expect(held.routesHeld(at: failover.downNanoseconds) == 2)
    }
}
