import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Whole sessions over the simulated link, in virtual time.
@Suite("BFD sessions over a simulated link")
struct BFDSessionLinkTests {
    static let fastA = configuration(discriminator: 0x11, desired: 300_000, required: 300_000)
    static let fastB = configuration(discriminator: 0x22, desired: 300_000, required: 300_000)

    // RFC 5880 §6.2, §6.8.6: the three-way handshake Down → Init → Up on both sides.
    @Test func twoActiveEndpointsComeUpThroughThreeWayHandshake() {
        let link = LinkSimulation(Self.fastA, Self.fastB)
        link.startBoth()
        link.run(until: 5 * second)
        for side in LinkSimulation.Side.allCases {
            #expect(link[side].sessionState == .up)
            let path = link.changes(side).map(\.to)
            #expect(path.first == .`init` || path.first == .up)
            #expect(path.last == .up)
            #expect(link[side].variables.remoteDiscr == link[side.peer].configuration.localDiscriminator)
            #expect(link[side].variables.localDiag == .none)
        }
        // Both started at once and each saw the other's Down, so one side at least went through Init.
        #expect(link.changes.contains { $0.to == .`init` })
    }

    // RFC 5880 §6.8.4: 10 % random loss never loses three packets in a row often enough to expire.
    @Test func sessionStaysUpWithTenPercentLossOverManyDetectionWindows() {
        let link = LinkSimulation(Self.fastA, Self.fastB, seed: 42)
        link.lossPercent = [10, 10]
        link.startBoth()
        link.run(until: 5 * second)
        let upAt = link.now
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
        link.run(until: upAt + 60 * second)  // about 200 detection windows of 900 ms
        #expect(link.changes.filter { $0.time > upAt }.isEmpty)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
    }

    // RFC 5880 §6.8.4: a link that drops everything takes both sides Down with diag 1.
    @Test func totalLossTakesBothSidesDownWithDetectionTimeExpired() {
        let link = LinkSimulation(Self.fastA, Self.fastB)
        link.startBoth()
        link.run(until: 5 * second)
        let cut = link.now
        link.lossPercent = [100, 100]
        link.run(until: cut + 3 * second)
        for side in LinkSimulation.Side.allCases {
            let down = link.changes(side).filter { $0.time > cut }
            #expect(down.count == 1)
            #expect(down.first?.to == .down)
            #expect(down.first?.diagnostic == .controlDetectionTimeExpired)
            #expect(link[side].variables.localDiag == .controlDetectionTimeExpired)
            // §6.8.1: the Detection Time passing forgets the peer's discriminator.
            #expect(link[side].variables.remoteDiscr == 0)
        }
    }

    // RFC 5880 §6.8.6: after an outage the handshake runs again and the session returns Up.
    @Test func sessionRecoversAfterLinkIsRestored() {
        let link = LinkSimulation(Self.fastA, Self.fastB)
        link.startBoth()
        link.run(until: 5 * second)
        link.lossPercent = [100, 100]
        link.run(until: 10 * second)
        #expect(link[.a].sessionState == .down && link[.b].sessionState == .down)
        link.lossPercent = [0, 0]
        link.run(until: 15 * second)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
        #expect(link[.a].counters.upTransitions == 2)
        #expect(link[.a].counters.downTransitions == 1)
    }

    // RFC 5880 §6.1, §6.8.7: a passive endpoint sends nothing until it has heard its peer.
    @Test func passiveEndpointStaysSilentUntilItHearsItsPeer() {
        let passive = configuration(discriminator: 0x22, desired: 300_000, required: 300_000, role: .passive)
        let link = LinkSimulation(Self.fastA, passive)
        link.act(.b) { $0.start(now: $1) }
        link.run(until: 10 * second)
        #expect(link.sent.isEmpty)
        #expect(link[.b].sessionState == .down)
        link.act(.a) { $0.start(now: $1) }
        link.run(until: 15 * second)
        let firstFromB = link.sent.first { $0.side == .b }
        #expect(firstFromB != nil)
        #expect(firstFromB?.packet.yourDiscriminator == 0x11)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
    }

    // RFC 5880 §6.1: two passive endpoints wait for each other forever.
    @Test func twoPassiveEndpointsNeverComeUp() {
        let a = configuration(discriminator: 0x11, role: .passive)
        let b = configuration(discriminator: 0x22, role: .passive)
        let link = LinkSimulation(a, b)
        link.startBoth()
        link.run(until: 30 * second)
        #expect(link.sent.isEmpty)
        #expect(link.changes.isEmpty)
    }

    // RFC 5880 §6.8.16, §6.8.6: AdminDown on one side takes the other Down with diag 3, and it stays
    // Down while AdminDown lasts.
    @Test func adminDownTakesPeerDownWithNeighborSignaledDiagAndKeepsItDown() {
        let link = LinkSimulation(Self.fastA, Self.fastB)
        link.startBoth()
        link.run(until: 5 * second)
        let adminAt = link.now
        link.act(.a) { $0.adminDown(now: $1) }
        link.run(until: adminAt + 30 * second)
        #expect(link[.a].sessionState == .adminDown)
        #expect(link[.a].variables.localDiag == .administrativelyDown)
        #expect(link[.b].sessionState == .down)
        let bChanges = link.changes(.b).filter { $0.time >= adminAt }
        #expect(bChanges.count == 1)
        #expect(bChanges.first?.diagnostic == .neighborSignaledSessionDown)
        // The admin-down side keeps announcing it, periodically, with diag 7.
        let later = link.sent.filter { $0.side == .a && $0.time > adminAt + 10 * second }
        #expect(later.count >= 5)
        #expect(later.allSatisfy { $0.packet.state == .adminDown && $0.packet.diagnostic == .administrativelyDown })
    }

    // RFC 5880 §6.8.16: leaving AdminDown lets the session come Up again.
    @Test func adminUpLetsSessionComeBackUp() {
        let link = LinkSimulation(Self.fastA, Self.fastB)
        link.startBoth()
        link.run(until: 5 * second)
        link.act(.a) { $0.adminDown(now: $1) }
        link.run(until: 10 * second)
        link.act(.a) { $0.adminUp(now: $1) }
        #expect(link[.a].sessionState == .down)
        link.run(until: 15 * second)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
        #expect(link[.a].variables.localDiag == .none)
    }

    // RFC 5883 §2, RFC 5881 §5: a multihop session three routers away comes Up; a single-hop
    // configuration over the same path discards every packet for its TTL.
    @Test func multihopSessionComesUpAcrossRoutersWhereSingleHopCannot() {
        let a = configuration(discriminator: 0x11, hopMode: .multihop(minimumTTL: 250))
        let b = configuration(discriminator: 0x22, hopMode: .multihop(minimumTTL: 250))
        let link = LinkSimulation(a, b)
        link.hops = 3
        link.startBoth()
        link.run(until: 10 * second)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)

        let singleHop = LinkSimulation(configuration(discriminator: 0x11), configuration(discriminator: 0x22))
        singleHop.hops = 3
        singleHop.startBoth()
        singleHop.run(until: 10 * second)
        #expect(singleHop[.a].sessionState == .down)
        #expect(singleHop[.a].counters[.ttlBelowMinimum] > 0)
        #expect(singleHop.discards.allSatisfy { $0.reason == .ttlBelowMinimum })
    }
}
