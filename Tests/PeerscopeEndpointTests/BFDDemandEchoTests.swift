import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Demand mode (RFC 5880 §6.6) and the echo function (§6.4, §6.8.9) basics.
@Suite("BFD demand mode and echo")
struct BFDDemandEchoTests {
    static let demandA = configuration(discriminator: 0x11, desired: 300_000, required: 300_000, demand: true)
    static let plainB = configuration(discriminator: 0x22, desired: 300_000, required: 300_000)

    // RFC 5880 §6.8.7: D is set only while both sides are Up.
    @Test func demandBitSetOnlyWhileBothSidesUp() {
        let link = LinkSimulation(Self.demandA, Self.plainB)
        link.startBoth()
        link.run(until: 10 * second)
        let fromA = link.sent.filter { $0.side == .a }
        #expect(fromA.contains { $0.packet.flags.contains(.demand) })
        #expect(fromA.allSatisfy { !$0.packet.flags.contains(.demand) || $0.packet.state == .up })
        #expect(link.sent.filter { $0.side == .b }.allSatisfy { !$0.packet.flags.contains(.demand) })
    }

    // RFC 5880 §6.8.6/§6.8.7: a peer in Demand mode gets no periodic packets while both are Up, yet
    // the session stays Up on the demanding side (no Detection Time in Demand mode, §6.8.4).
    @Test func remoteDemandModeStopsPeriodicTransmission() {
        let link = LinkSimulation(Self.demandA, Self.plainB)
        link.startBoth()
        link.run(until: 10 * second)
        let quietFrom = link.now
        link.run(until: quietFrom + 30 * second)
        #expect(link.sent.filter { $0.side == .b && $0.time > quietFrom }.isEmpty)
        #expect(link.sent.filter { $0.side == .a && $0.time > quietFrom }.count > 50)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
        #expect(link[.a].detectionTime != nil && link[.a].nextDeadline != nil)
    }

    // RFC 5880 §6.6: in Demand mode a Poll checks the peer; a live peer answers with F.
    @Test func demandModePollCompletesWithLivePeer() {
        let link = LinkSimulation(Self.demandA, Self.plainB)
        link.startBoth()
        link.run(until: 10 * second)
        link.act(.a) { $0.poll(now: $1) }
        #expect(link[.a].isPollSequenceActive)
        link.run(until: link.now + second)
        #expect(!link[.a].isPollSequenceActive)
        #expect(link[.a].sessionState == .up)
    }

    // RFC 5880 §6.8.4: in Demand mode an unanswered Poll takes the session Down with diag 1 after
    // bfd.DetectMult × the local negotiated interval, counted from the first packet with P (which
    // rides on A's next periodic packet, §6.5, as B still wants them).
    @Test func demandModeUnansweredPollDetectsFailure() throws {
        let link = LinkSimulation(Self.demandA, Self.plainB)
        link.startBoth()
        link.run(until: 10 * second)
        link.lossPercent = [100, 100]
        let pollAt = link.now
        link.act(.a) { $0.poll(now: $1) }
        link.run(until: pollAt + 5 * second)
        let firstPoll = try #require(link.sent.first { $0.side == .a && $0.time >= pollAt && $0.packet.poll })
        #expect(firstPoll.transmission.cause == .periodic)
        let down = try #require(link.changes(.a).first { $0.time > pollAt })
        #expect(down.to == .down && down.diagnostic == .controlDetectionTimeExpired)
        #expect(down.time - firstPoll.time == 900 * millisecond)
    }

    // RFC 5880 §6.8.9, §6.4: echo starts only once Up and only if the peer's Required Min Echo RX is
    // nonzero; it never runs faster than that interval.
    @Test func echoRunsOnlyWhileUpAndNoFasterThanPeerAllows() {
        let a = configuration(discriminator: 0x11, desired: 300_000, required: 300_000, echo: 50_000)
        let b = configuration(discriminator: 0x22, desired: 300_000, required: 300_000, echoRx: 100_000)
        let link = LinkSimulation(a, b)
        link.startBoth()
        link.run(until: 10 * second)
        #expect(link[.a].isEchoActive)
        #expect(!link[.b].isEchoActive)  // B runs no echo function
        let sentBefore = link.echoesSent[0]
        let from = link.now
        link.run(until: from + 10 * second)
        let echoes = link.echoesSent[0] - sentBefore
        #expect(echoes >= 99 && echoes <= 101)  // every 100 ms, not every 50 ms
        #expect(link[.a].counters.echoReturned >= 99)
        #expect(link[.a].sessionState == .up)
    }

    // RFC 5880 §6.8.9: a peer advertising Required Min Echo RX 0 gets no echo packets.
    @Test func noEchoWhenPeerRequiredMinEchoRxIsZero() {
        let a = configuration(discriminator: 0x11, desired: 300_000, required: 300_000, echo: 50_000)
        let link = LinkSimulation(a, Self.plainB)
        link.startBoth()
        link.run(until: 10 * second)
        #expect(link[.a].sessionState == .up)
        #expect(!link[.a].isEchoActive)
        #expect(link.echoesSent == [0, 0])
    }

    // RFC 5880 §6.8.4/§6.4: echo packets that stop coming back take the session Down with diag 2,
    // even while Control packets still arrive.
    @Test func echoLossTakesSessionDownWithEchoFunctionFailed() throws {
        let a = configuration(discriminator: 0x11, desired: 300_000, required: 300_000, echo: 50_000)
        let b = configuration(discriminator: 0x22, desired: 300_000, required: 300_000, echoRx: 100_000)
        let link = LinkSimulation(a, b)
        link.startBoth()
        link.run(until: 10 * second)
        let breakAt = link.now
        link.loopsEcho = [true, false]  // B's forwarding plane stops looping A's echo
        link.run(until: breakAt + 2 * second)
        let down = try #require(link.changes(.a).first { $0.time > breakAt })
        #expect(down.to == .down && down.diagnostic == .echoFunctionFailed)
        #expect(down.time - breakAt <= 300 * millisecond + 2 * link.delay)
        #expect(link.changes(.b).first { $0.time > breakAt }?.diagnostic == .neighborSignaledSessionDown)
    }

    // RFC 5880 §6.4: echo packets this session did not send are ignored.
    @Test func foreignEchoIsDiscarded() {
        var session = upEndpoint(configuration(echo: 50_000), peerEchoRx: 50_000)
        #expect(session.isEchoActive)
        #expect(session.receiveEcho(payload: [0, 0, 0, 9, 0, 0, 0, 1], now: 10 * millisecond) == [.discarded(.echoForeign)])
        var idle = upEndpoint()
        #expect(idle.receiveEcho(payload: [0, 0, 0xA0, 0x01, 0, 0, 0, 1], now: 10 * millisecond) == [.discarded(.echoNotActive)])
    }
}
