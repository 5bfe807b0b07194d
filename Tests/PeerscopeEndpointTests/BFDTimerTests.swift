import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Transmission timing, negotiation and Poll Sequences, measured on the simulated link.
@Suite("BFD timers")
struct BFDTimerTests {
    /// Both sides Up at 300 ms with the slow-start Poll finished.
    static func upLink(_ a: BFDEndpointConfiguration = configuration(discriminator: 0x11, desired: 300_000, required: 300_000),
                       _ b: BFDEndpointConfiguration = configuration(discriminator: 0x22, desired: 300_000, required: 300_000),
                       seed: UInt64 = 7) -> LinkSimulation {
        let link = LinkSimulation(a, b, seed: seed)
        link.startBoth()
        link.run(until: 5 * second)
        precondition(link[.a].sessionState == .up && link[.b].sessionState == .up && !link[.a].isPollSequenceActive)
        return link
    }

    // RFC 5880 §6.8.3: while not Up, Desired Min TX is at least 1 s, so packets are no more frequent
    // than one per (jittered, §6.8.7) second even when 100 ms is configured.
    @Test func slowStartSendsAtMostOncePerSecondWhileNotUp() {
        let a = configuration(discriminator: 0x11, desired: 100_000, required: 100_000)
        let link = LinkSimulation(a, configuration(discriminator: 0x22))
        link.lossPercent = [100, 100]  // the peer is never heard: A stays Down
        link.startBoth()
        link.run(until: 30 * second)
        let fromA = link.sent.filter { $0.side == .a }
        #expect(fromA.count >= 30)
        #expect(fromA.allSatisfy { $0.packet.state == .down && $0.packet.desiredMinTxInterval >= 1_000_000 })
        let gaps = link.gaps(fromA.map(\.time))
        #expect(gaps.allSatisfy { $0 >= 750 * millisecond && $0 <= second })
        #expect(link[.a].negotiatedTransmitInterval == 1_000_000)
    }

    // RFC 5880 §6.8.3: coming Up leaves slow start through a Poll Sequence; after the Final the
    // configured 100 ms rate applies.
    @Test func comingUpStartsPollSequenceToLeaveSlowStart() {
        let a = configuration(discriminator: 0x11, desired: 100_000, required: 100_000)
        let b = configuration(discriminator: 0x22, desired: 100_000, required: 100_000)
        let link = LinkSimulation(a, b)
        link.startBoth()
        link.run(until: 5 * second)
        guard let upAt = link.firstTime(.a, reached: .up) else { Issue.record("never Up"); return }
        let firstUpPacket = link.sent.first { $0.side == .a && $0.time >= upAt }
        #expect(firstUpPacket?.packet.poll == true)
        #expect(firstUpPacket?.packet.desiredMinTxInterval == 100_000)
        #expect(link.pollsCompleted.contains { $0.side == .a })
        let gaps = link.gaps(link.periodicTimes(.a, from: upAt + second))
        #expect(!gaps.isEmpty && gaps.allSatisfy { $0 >= 75 * millisecond && $0 <= 100 * millisecond })
    }

    // RFC 5880 §6.8.3: raising Desired Min TX while Up keeps the old rate until the Final arrives.
    @Test func raisingDesiredMinTxWhileUpKeepsOldRateUntilFinal() throws {
        let link = Self.upLink()
        var finalsBlocked = true
        link.filter = { side, transmission in !(side == .b && transmission.packet.final && finalsBlocked) }
        let changeAt = link.now
        link.act(.a) { session, now in try! session.setTimers(desiredMinTxInterval: 1_000_000, requiredMinRxInterval: 300_000, now: now) }
        link.run(until: changeAt + 5 * second)
        let during = link.gaps(link.periodicTimes(.a, from: changeAt))
        #expect(during.count >= 10)
        #expect(during.allSatisfy { $0 <= 300 * millisecond })
        #expect(link[.a].isPollSequenceActive)
        finalsBlocked = false
        let releaseAt = link.now
        link.run(until: releaseAt + second)
        #expect(!link[.a].isPollSequenceActive)
        let finalAt = try #require(link.pollsCompleted.last { $0.side == .a }?.time)
        link.run(until: finalAt + 20 * second)
        let slower = link.gaps(link.periodicTimes(.a, from: finalAt))
        #expect(slower.count >= 15)
        #expect(slower.allSatisfy { $0 >= 750 * millisecond && $0 <= second })
    }

    // RFC 5880 §6.5: every packet of a Poll Sequence carries P until a Final ends it; then none does.
    @Test func pollSequenceRepeatsPollBitUntilFinalArrives() {
        let link = Self.upLink()
        var finalsBlocked = true
        link.filter = { side, transmission in !(side == .b && transmission.packet.final && finalsBlocked) }
        let changeAt = link.now
        link.act(.a) { session, now in try! session.setTimers(desiredMinTxInterval: 200_000, requiredMinRxInterval: 300_000, now: now) }
        link.run(until: changeAt + 3 * second)
        let during = link.sent.filter { $0.side == .a && $0.time >= changeAt }
        #expect(during.count >= 10)
        #expect(during.allSatisfy { $0.packet.poll && !$0.packet.final })
        finalsBlocked = false
        link.run(until: changeAt + 4 * second)
        let completedAt = link.pollsCompleted.last { $0.side == .a }?.time ?? .max
        let after = link.sent.filter { $0.side == .a && $0.time > completedAt }
        #expect(!after.isEmpty)
        #expect(after.allSatisfy { !$0.packet.poll })
    }

    // RFC 5880 §6.8.3: lowering Required Min RX while Up keeps the old Detection Time until the Final.
    @Test func loweringRequiredMinRxWhileUpKeepsOldDetectionTimeUntilFinal() {
        let link = Self.upLink(configuration(discriminator: 0x11, desired: 300_000, required: 1_000_000))
        #expect(link[.a].detectionTime == 3 * second)
        var finalsBlocked = true
        link.filter = { side, transmission in !(side == .b && transmission.packet.final && finalsBlocked) }
        let changeAt = link.now
        link.act(.a) { session, now in try! session.setTimers(desiredMinTxInterval: 300_000, requiredMinRxInterval: 300_000, now: now) }
        link.run(until: changeAt + 2 * second)
        #expect(link[.a].variables.requiredMinRxInterval == 300_000)
        #expect(link[.a].detectionTime == 3 * second)
        finalsBlocked = false
        link.run(until: changeAt + 3 * second)
        #expect(link[.a].detectionTime == 900 * millisecond)
    }

    // RFC 5880 §6.8.3: a change while not Up needs no Poll; the next packets just carry it.
    @Test func timerChangeWhileDownStartsNoPollSequence() throws {
        var session = endpoint(configuration())
        _ = session.start(now: 0)
        let actions = try session.setTimers(desiredMinTxInterval: 2_000_000, requiredMinRxInterval: 500_000, now: 10)
        #expect(actions.isEmpty)
        #expect(!session.isPollSequenceActive)
        let next = session.advance(to: session.nextDeadline!)
        #expect(next.packets.first?.poll == false)
        #expect(next.packets.first?.desiredMinTxInterval == 2_000_000)
        #expect(next.packets.first?.requiredMinRxInterval == 500_000)
    }

    // RFC 5880 §6.8.7: periodic gaps are 75–100 % of the interval, spread across that range.
    @Test func jitterKeepsPeriodicGapsBetween75And100Percent() {
        let link = Self.upLink(configuration(discriminator: 0x11, desired: 100_000, required: 100_000),
                               configuration(discriminator: 0x22, desired: 100_000, required: 100_000))
        let from = link.now
        link.run(until: from + 100 * second)
        let gaps = link.gaps(link.periodicTimes(.a, from: from))
        #expect(gaps.count > 900)
        #expect(gaps.allSatisfy { $0 >= 75 * millisecond && $0 <= 100 * millisecond })
        let mean = Double(gaps.reduce(0, +)) / Double(gaps.count) / Double(millisecond)
        #expect(abs(mean - 87.5) < 1.5)
        #expect(gaps.min()! < 77 * millisecond && gaps.max()! > 98 * millisecond)
    }

    // RFC 5880 §6.8.7: with Detect Mult 1 no gap exceeds 90 % of the interval.
    @Test func jitterWithDetectMultOneKeepsGapsAtMost90Percent() {
        let link = Self.upLink(configuration(discriminator: 0x11, desired: 100_000, required: 100_000, mult: 1),
                               configuration(discriminator: 0x22, desired: 100_000, required: 100_000))
        let from = link.now
        link.run(until: from + 100 * second)
        let gaps = link.gaps(link.periodicTimes(.a, from: from))
        #expect(gaps.count > 900)
        #expect(gaps.allSatisfy { $0 >= 75 * millisecond && $0 <= 90 * millisecond })
        #expect(gaps.max()! > 88 * millisecond)
    }

    // RFC 5880 §6.8.4: the receiver declares Down Detect Mult (sender's) × max(its Required Min RX,
    // the sender's Desired Min TX) after the last packet — measured within one TX interval of the cut.
    @Test(arguments: [UInt8(3), 5])
    func detectionTimeMatchesRemoteMultTimesAgreedInterval(mult: UInt8) throws {
        let link = Self.upLink(configuration(discriminator: 0x11, desired: 200_000, required: 300_000, mult: mult),
                               configuration(discriminator: 0x22, desired: 300_000, required: 150_000))
        let expected = BFDNanoseconds(mult) * 200 * millisecond  // A's mult × max(150 ms, 200 ms)
        #expect(link[.b].detectionTime == expected)
        let cut = link.now
        link.lossPercent = [100, 0]  // only A → B dies
        link.run(until: cut + 5 * second)
        let lastArrival = try #require(link.sent.last { $0.side == .a && $0.time <= cut }?.time) + link.delay
        let downAt = try #require(link.firstTime(.b, reached: .down, after: cut))
        #expect(downAt - lastArrival == expected)
        #expect(downAt - cut <= expected && downAt - cut >= expected - 200 * millisecond)
        #expect(link.changes(.b).last?.diagnostic == .controlDetectionTimeExpired)
    }

    // RFC 5880 §6.8.4: the slower of our Required Min RX and the peer's Desired Min TX sets the time.
    @Test func detectionTimeUsesLargerOfRequiredMinRxAndRemoteDesiredMinTx() {
        let link = Self.upLink(configuration(discriminator: 0x11, desired: 500_000, required: 300_000),
                               configuration(discriminator: 0x22, desired: 300_000, required: 200_000))
        #expect(link[.b].detectionTime == 1_500 * millisecond)  // 3 × A's 500 ms beats B's 200 ms
        #expect(link[.a].detectionTime == 900 * millisecond)    // 3 × A's 300 ms beats B's 300 ms tie
    }

    // RFC 5880 §6.8.7: the sender transmits at max(its Desired Min TX, the peer's Required Min RX).
    @Test func transmitIntervalIsLargerOfDesiredMinTxAndRemoteRequiredMinRx() {
        let link = Self.upLink(configuration(discriminator: 0x11, desired: 100_000, required: 300_000),
                               configuration(discriminator: 0x22, desired: 300_000, required: 400_000))
        #expect(link[.a].negotiatedTransmitInterval == 400_000)
        let from = link.now
        link.run(until: from + 20 * second)
        let gaps = link.gaps(link.periodicTimes(.a, from: from))
        #expect(gaps.count > 40)
        #expect(gaps.allSatisfy { $0 >= 300 * millisecond && $0 <= 400 * millisecond })
    }

    // RFC 5880 §6.8.7: a peer advertising Required Min RX 0 gets no periodic packets; lifting it
    // resumes them at once. The peer keeps talking meanwhile: a Detection Time of silence would
    // reset bfd.RemoteMinRxInterval (§6.8.18, remoteMinRxResetsAfterDetectionTimeOfSilence).
    @Test func remoteRequiredMinRxZeroStopsPeriodicTransmission() {
        var session = upEndpoint()
        _ = session.receive(peerPacket(.up, required: 0), now: 10 * millisecond)
        var sent = 0
        var now = 10 * millisecond
        var peerNext = 500 * millisecond
        while let next = session.nextDeadline, min(next, peerNext) < 20 * second {
            if peerNext <= next {
                now = peerNext
                sent += session.receive(peerPacket(.up, required: 0), now: now).transmissions.count
                peerNext += 500 * millisecond
            } else {
                now = next
                sent += session.advance(to: now).transmissions.count
            }
        }
        #expect(sent == 0)
        #expect(session.sessionState == .up && session.variables.remoteMinRxInterval == 0)
        let resumed = session.receive(peerPacket(.up, required: 1_000_000), now: 20 * second)
        #expect(resumed.transmissions.map(\.cause) == [.resumed])
    }

    // RFC 5880 §6.8.7: a Poll is answered with F at once, outside the periodic timer.
    @Test func finalIsSentImmediatelyNotAtPeriodicTimer() {
        var session = upEndpoint()
        let deadlineBefore = session.nextDeadline
        let actions = session.receive(peerPacket(.up, flags: .poll), now: 100 * millisecond)
        #expect(actions.transmissions.count == 1)
        #expect(actions.transmissions.first?.cause == .final)
        #expect(actions.packets.first?.final == true && actions.packets.first?.poll == false)
        #expect(session.nextDeadline == deadlineBefore)
        #expect(session.counters.finalsSent == 1)
    }

    // RFC 5880 §6.5: P and F are never both set, even when a Poll arrives during our own Poll.
    @Test func finalDuringOwnPollSequenceCarriesNoPollBit() throws {
        var session = upEndpoint()
        _ = try session.setTimers(desiredMinTxInterval: 500_000, requiredMinRxInterval: 1_000_000, now: 5 * millisecond)
        #expect(session.isPollSequenceActive)
        let actions = session.receive(peerPacket(.up, flags: .poll), now: 10 * millisecond)
        #expect(actions.packets.count == 1)
        #expect(actions.packets[0].final && !actions.packets[0].poll)
        let periodic = session.advance(to: session.nextDeadline!)
        #expect(periodic.packets.first?.poll == true && periodic.packets.first?.final == false)
    }

    // RFC 5880 §6.8.7: a state change is sent at once, not at the next periodic slot.
    @Test func stateChangeIsAnnouncedImmediately() {
        var session = endpoint(configuration())
        _ = session.start(now: 0)
        let actions = session.receive(peerPacket(.down, your: 0), now: 400 * millisecond)
        #expect(actions.stateChanges.map(\.to) == [.`init`])
        #expect(actions.transmissions.map(\.cause) == [.stateChange])
        #expect(actions.packets.first?.state == .`init`)
        #expect(actions.packets.first?.yourDiscriminator == peerDiscriminator)
    }
}
