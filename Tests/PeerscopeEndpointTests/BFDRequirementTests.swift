import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Cases written for rows of the requirement ledger (`conformance/requirements/`) that no other
/// test covered. Each names the RFC clause it proves; `withKnownIssue` marks where the endpoint
/// does not (yet) do what the clause asks — the ledger row says so too.
@Suite("BFD requirement ledger cases")
struct BFDRequirementTests {
    static let keyedTypes: [BFDAuthType] = [.keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1]

    /// Runs every timer up to `end` and collects what came out.
    static func drain(_ session: inout BFDEndpoint, until end: BFDNanoseconds) -> [BFDEndpointAction] {
        var actions: [BFDEndpointAction] = []
        while let next = session.nextDeadline, next <= end { actions += session.advance(to: next) }
        return actions
    }

    // MARK: Echo (RFC 5880 §6.8.6, §6.8.9, §6.8.16; RFC 5883 §3)

    // RFC 5880 §6.8.6: a Required Min Echo RX of zero in a received packet stops our echo packets.
    @Test func echoCeasesWhenPeerWithdrawsEchoInterval() {
        var session = upEndpoint(configuration(echo: 50_000), peerEchoRx: 50_000)
        #expect(session.isEchoActive)
        #expect(!Self.drain(&session, until: 500 * millisecond).echoes.isEmpty)
        _ = session.receive(peerPacket(.up, echoRx: 0), now: 600 * millisecond)
        #expect(!session.isEchoActive)
        #expect(Self.drain(&session, until: 2 * second).echoes.isEmpty)
    }

    // RFC 5880 §6.8.9: no echo packet leaves while the session is Down or Init, even when the
    // peer offers to loop them.
    @Test func noEchoBeforeSessionIsUp() {
        var session = endpoint(configuration(echo: 50_000))
        var actions = session.start(now: 0)
        actions += session.receive(peerPacket(.down, your: 0, echoRx: 50_000), now: 1 * millisecond)
        #expect(session.sessionState == .`init`)
        actions += Self.drain(&session, until: 2 * second)
        #expect(actions.echoes.isEmpty)
        #expect(!session.isEchoActive)
    }

    // RFC 5880 §6.8.16: going AdminDown stops the echo function.
    @Test func adminDownCeasesEcho() {
        var session = upEndpoint(configuration(echo: 50_000), peerEchoRx: 50_000)
        #expect(session.isEchoActive)
        let actions = session.adminDown(now: 100 * millisecond)
        #expect(session.sessionState == .adminDown && !session.isEchoActive)
        #expect((actions + Self.drain(&session, until: 5 * second)).echoes.isEmpty)
    }

    // RFC 5883 §3: the echo function must not run over multiple hops. A multihop configuration
    // that asks for echo is refused, so no multihop session can run it; the same echo request on
    // a single hop is accepted and runs once the peer offers to loop.
    @Test func echoIsNotRunOnMultihopSessions() throws {
        let echo = try BFDEchoConfiguration(desiredMinEchoTxInterval: 50_000)
        #expect(throws: BFDConfigurationError.echoOnMultihop) {
            try BFDEndpointConfiguration(localDiscriminator: localDiscriminator, echo: echo,
                                         hopMode: .multihop(minimumTTL: 250))
        }
        let multihop = upEndpoint(configuration(hopMode: .multihop(minimumTTL: 250)), peerEchoRx: 50_000)
        #expect(!multihop.isEchoActive)
        let singleHop = upEndpoint(configuration(echo: 50_000), peerEchoRx: 50_000)
        #expect(singleHop.isEchoActive)
    }

    // MARK: Timers (RFC 5880 §6.5, §6.8.3, §6.8.7, §6.8.14, §6.8.18)

    // RFC 5880 §6.8.3: a lower Required Min RX from the peer applies at once; when the new interval
    // has already passed since our last packet, the next one goes out now.
    @Test func reducedRemoteMinRxIsHonouredAtOnce() {
        var session = upEndpoint(configuration(desired: 100_000, required: 100_000), peerRequired: 1_000_000)
        #expect(session.negotiatedTransmitInterval == 1_000_000)
        let received = session.receive(peerPacket(.up, required: 100_000), now: 500 * millisecond)
        #expect(received.transmissions.isEmpty)
        #expect(session.negotiatedTransmitInterval == 100_000)
        #expect(session.nextDeadline == 500 * millisecond)
        #expect(session.advance(to: 500 * millisecond).transmissions.map(\.cause) == [.periodic])
        let next = session.nextDeadline ?? .max
        #expect(next - 500 * millisecond >= 75 * millisecond && next - 500 * millisecond <= 100 * millisecond)
    }

    // RFC 5880 §6.8.7: a Poll is answered whatever the session state, Demand mode or Required Min RX 0.
    @Test func finalIsSentInAnyStateAndDespiteTransmitLimits() {
        var down = endpoint(configuration())
        _ = down.start(now: 0)
        let fromDown = down.receive(peerPacket(.down, your: 0, flags: .poll), now: 10 * millisecond)
        #expect(fromDown.transmissions.contains { $0.cause == .final && $0.packet.final && !$0.packet.poll })

        var quiet = upEndpoint(peerFlags: .demand)
        #expect(Self.drain(&quiet, until: 500 * millisecond).transmissions.isEmpty)
        let inDemand = quiet.receive(peerPacket(.up, flags: [.demand, .poll]), now: 600 * millisecond)
        #expect(inDemand.transmissions.map(\.cause) == [.final])

        var silenced = upEndpoint()
        _ = silenced.receive(peerPacket(.up, required: 0), now: 10 * millisecond)
        let despiteZero = silenced.receive(peerPacket(.up, flags: .poll, required: 0), now: 20 * millisecond)
        #expect(despiteZero.transmissions.map(\.cause) == [.final])
    }

    // RFC 5880 §6.8.14, §6.8.6: when the peer clears D, periodic packets start again at once.
    @Test func peerLeavingDemandModeResumesPeriodicTransmission() {
        var session = upEndpoint(peerFlags: .demand)
        var sent: [BFDEndpointAction] = []
        for step in 1...10 {
            let now = BFDNanoseconds(step) * 500 * millisecond
            sent += Self.drain(&session, until: now)
            sent += session.receive(peerPacket(.up, flags: .demand), now: now)
        }
        #expect(sent.transmissions.isEmpty)
        #expect(session.sessionState == .up)
        let resumed = session.receive(peerPacket(.up), now: 5_100 * millisecond)
        #expect(resumed.transmissions.map(\.cause) == [.resumed])
        #expect(Self.drain(&session, until: 8 * second).transmissions.allSatisfy { $0.cause == .periodic })
    }

    // RFC 5880 §6.5: while periodic packets flow, a Poll rides on the next scheduled packet; no
    // extra packet is sent for it.
    // When nothing periodic flows (the peer is in Demand mode) the Poll needs a packet of its own.
    @Test func explicitPollRidesOnScheduledPeriodicPacket() throws {
        var session = upEndpoint()
        let scheduled = try #require(session.nextDeadline)
        let actions = session.poll(now: 100 * millisecond)
        #expect(session.isPollSequenceActive)
        #expect(actions.transmissions.isEmpty)
        #expect(session.nextDeadline == scheduled)
        let next = session.advance(to: scheduled)
        #expect(next.transmissions.map(\.cause) == [.periodic])
        #expect(next.packets.first?.poll == true)

        var quiet = upEndpoint(peerFlags: .demand)
        #expect(Self.drain(&quiet, until: 500 * millisecond).transmissions.isEmpty)
        let polled = quiet.poll(now: 600 * millisecond)
        #expect(polled.transmissions.map(\.cause) == [.pollStart])
        #expect(polled.packets.first?.poll == true)
    }

    // RFC 5880 §6.6: changing the D bit is announced with a Poll Sequence.
    @Test func demandBitChangeStartsPollSequence() {
        // Desired Min TX 1 s: coming Up needs no slow-start Poll, so only the D bit changes.
        var session = endpoint(configuration(demand: true))
        _ = session.start(now: 0)
        let toInit = session.receive(peerPacket(.down, your: 0), now: 1 * millisecond)
        #expect(toInit.packets.allSatisfy { !$0.flags.contains(.demand) })
        let toUp = session.receive(peerPacket(.up), now: 2 * millisecond)
        let first = toUp.packets.first
        #expect(first?.flags.contains(.demand) == true)
        #expect(first?.poll == true)
        #expect(session.isPollSequenceActive)
        // The Final ends it; D stays set and, with nothing else changing, no further Poll follows.
        let final = session.receive(peerPacket(.up, flags: .final), now: 3 * millisecond)
        #expect(final.contains(.pollSequenceCompleted) && !final.contains(.pollSequenceStarted))
        let later = Self.drain(&session, until: 3 * second)
        #expect(!later.packets.isEmpty)
        #expect(later.packets.allSatisfy { $0.flags.contains(.demand) && !$0.poll })

        // D set only once the peer reports Up: that change, made while already Up, is polled at once.
        var late = endpoint(configuration(demand: true))
        _ = late.start(now: 0)
        _ = late.receive(peerPacket(.`init`), now: 1 * millisecond)
        #expect(late.sessionState == .up && !late.isPollSequenceActive)
        let peerUp = late.receive(peerPacket(.up), now: 2 * millisecond)
        #expect(peerUp.transmissions.map(\.cause) == [.pollStart])
        #expect(peerUp.packets.first?.flags.contains(.demand) == true && peerUp.packets.first?.poll == true)

        // Without Demand mode D never changes, and coming Up at 1 s (no slow-start change) polls nothing.
        var plain = endpoint(configuration())
        _ = plain.start(now: 0)
        _ = plain.receive(peerPacket(.down, your: 0), now: 1 * millisecond)
        let plainUp = plain.receive(peerPacket(.up), now: 2 * millisecond)
        #expect(plainUp.packets.allSatisfy { !$0.flags.contains(.demand) && !$0.poll })
        #expect(!plain.isPollSequenceActive)
    }

    // RFC 5880 §6.8.3: after a Final, a further Poll for a change made mid-Poll waits for a round
    // trip or a packet with F clear, so its Final cannot be confused with a late answer to the first.
    @Test func secondPollWaitsForRoundTripOrFinalClearPacket() throws {
        var session = upEndpoint()
        _ = try session.setTimers(desiredMinTxInterval: 500_000, requiredMinRxInterval: 1_000_000, now: 5 * millisecond)
        _ = try session.setTimers(desiredMinTxInterval: 400_000, requiredMinRxInterval: 1_000_000, now: 6 * millisecond)
        let actions = session.receive(peerPacket(.up, flags: .final), now: 10 * millisecond)
        #expect(actions.contains(.pollSequenceCompleted))
        #expect(!actions.contains(.pollSequenceStarted))
        #expect(!session.isPollSequenceActive && session.isPollSequenceQueued)
        // A further change meanwhile waits too.
        _ = try session.setTimers(desiredMinTxInterval: 300_000, requiredMinRxInterval: 1_000_000, now: 11 * millisecond)
        #expect(!session.isPollSequenceActive)
        // A packet with F clear disambiguates: the Poll starts and rides on the next periodic packet.
        var clear = session
        let fClear = clear.receive(peerPacket(.up), now: 12 * millisecond)
        #expect(fClear.contains(.pollSequenceStarted) && fClear.transmissions.isEmpty)
        let next = clear.advance(to: try #require(clear.nextDeadline))
        #expect(next.packets.first?.poll == true && next.packets.first?.desiredMinTxInterval == 300_000)
        // Without one, the round trip bound does: Final at 10 ms, first Poll at 5 ms, so 15 ms.
        var quiet = session
        #expect(quiet.nextDeadline == 15 * millisecond)
        #expect(quiet.advance(to: 14 * millisecond).isEmpty)
        #expect(quiet.advance(to: 15 * millisecond).contains(.pollSequenceStarted))
    }

    // RFC 5880 §6.8.18: after a Detection Time of silence bfd.RemoteMinRxInterval goes back to 1,
    // so a peer that asked for no packets (Required Min RX 0) and vanished does not silence us.
    @Test func remoteMinRxResetsAfterDetectionTimeOfSilence() {
        var session = upEndpoint()
        _ = session.receive(peerPacket(.up, required: 0), now: 10 * millisecond)
        let actions = Self.drain(&session, until: 10 * second)
        #expect(actions.stateChanges.map(\.diagnostic) == [.controlDetectionTimeExpired])
        #expect(session.variables.remoteMinRxInterval == 1)
        #expect(!actions.transmissions.isEmpty)
        #expect(actions.transmissions.first?.packet.state == .down)
    }

    // MARK: Packet contents and transport (RFC 5880 §4.1, §6.8.7; RFC 5881 §5)

    // RFC 5880 §6.8.7: C is set exactly when the configuration says BFD survives a control-plane outage.
    @Test func controlPlaneIndependentBitFollowsConfiguration() throws {
        var independent = endpoint(try BFDEndpointConfiguration(localDiscriminator: 7, controlPlaneIndependent: true))
        #expect(independent.start(now: 0).packets.first?.flags.contains(.controlPlaneIndependent) == true)
        var shared = endpoint(try BFDEndpointConfiguration(localDiscriminator: 7))
        #expect(shared.start(now: 0).packets.first?.flags.contains(.controlPlaneIndependent) == false)
    }

    // RFC 5881 §5: with authentication in use packets still leave with TTL 255.
    @Test func authenticatedSessionSendsTTL255() throws {
        let key = try BFDAuthenticationKey(type: .meticulousKeyedSHA1, keyID: 1, secret: Array("k".utf8))
        var session = endpoint(configuration(key: key))
        var actions = session.start(now: 0)
        actions += Self.drain(&session, until: 5 * second)
        #expect(actions.transmissions.count >= 4)
        #expect(actions.transmissions.allSatisfy { $0.ttl == 255 })
    }

    // MARK: Authentication (RFC 5880 §4.3, §4.4, §6.7.2–§6.7.4, §6.8.1)

    // RFC 5880 §6.7.3/§6.7.4: the digest replaces the key; the key itself never goes on the wire.
    @Test(arguments: keyedTypes)
    func keyedSecretNeverAppearsInTransmittedBytes(type: BFDAuthType) throws {
        let secret = Array("s3cret-key".utf8)
        var session = endpoint(configuration(key: try BFDAuthenticationKey(type: type, keyID: 1, secret: secret)))
        let bytes = try #require(session.start(now: 0).transmissions.first?.bytes)
        let found = (0...(bytes.count - secret.count)).contains { Array(bytes[$0..<$0 + secret.count]) == secret }
        #expect(!found)
    }

    // RFC 5880 §4.3/§4.4: the Reserved byte is zero on transmit and ignored on receipt (a peer that
    // sets it and signs over it is accepted).
    @Test(arguments: keyedTypes)
    func keyedReservedByteIsZeroOnTransmitAndIgnoredOnReceipt(type: BFDAuthType) throws {
        let secret = Array("s3cret-key".utf8)
        let key = try BFDAuthenticationKey(type: type, keyID: 5, secret: secret)
        let reservedOffset = BFDControlPacket.mandatoryLength + 3
        var sender = endpoint(configuration(key: key))
        #expect(sender.start(now: 0).transmissions.first?.bytes[reservedOffset] == 0)

        var bytes = PeerSigner(key: key).sign(peerPacket(.up), sequence: 1002).encoded
        bytes[reservedOffset] = 0xA5
        let digestOffset = BFDControlPacket.mandatoryLength + 8
        var input = bytes
        for index in 0..<type.digestLength { input[digestOffset + index] = index < secret.count ? secret[index] : 0 }
        bytes.replaceSubrange(digestOffset..<digestOffset + type.digestLength, with: referenceDigest(type, input))
        var session = upAuthenticatedEndpoint(key: key)
        #expect(session.receive(payload: bytes, ttl: 255, now: 10 * millisecond).discards.isEmpty)
        #expect(session.variables.rcvAuthSeq == 1002)
    }

    // RFC 5880 §6.7.2: an Auth Len that is not the configured password's length + 3 is discarded.
    @Test func simplePasswordWithWrongAuthLenIsDiscarded() throws {
        let key = try BFDAuthenticationKey(type: .simplePassword, keyID: 5, secret: Array("s3cret-key".utf8))
        let shorter = PeerSigner(key: key).sign(peerPacket(.up), sequence: 0, secret: Array("s3cret-ke".utf8))
        #expect(shorter.authentication?.length == 12)
        BFDReceptionDiscardTests.expectDiscard(.passwordMismatch, bytes: shorter.encoded,
                                               session: upAuthenticatedEndpoint(key: key))
    }

    // RFC 5880 §6.7.2: the password and Key ID go in every packet, with Auth Type 1 and Auth Len 3 + N.
    @Test func simplePasswordSectionIsInEveryPacket() throws {
        let secret = Array("s3cret-key".utf8)
        let key = try BFDAuthenticationKey(type: .simplePassword, keyID: 9, secret: secret)
        var session = endpoint(configuration(key: key))
        var actions = session.start(now: 0)
        actions += Self.drain(&session, until: 5 * second)
        #expect(actions.packets.count >= 4)
        for packet in actions.packets {
            #expect(packet.flags.contains(.authenticationPresent))
            #expect(packet.authentication?.type == .simplePassword && packet.authentication?.keyID == 9)
            #expect(packet.authentication?.length == UInt8(3 + secret.count))
            #expect(packet.authentication?.data.bytes == secret)
        }
    }

    // RFC 5880 §6.8.1: bfd.XmitAuthSeq starts at a random value. The key alone cannot draw it (it
    // has no generator); the endpoint does, from the generator it is given, so a seed repeats.
    @Test func defaultStartingSequenceNumberIsRandom() throws {
        let key = try BFDAuthenticationKey(type: .keyedSHA1, keyID: 1, secret: [1])
        #expect(key.startingSequenceNumber == nil)
        let starts = (1...8).map { endpoint(configuration(key: key), seed: $0).variables.xmitAuthSeq }
        #expect(Set(starts).count == starts.count)
        #expect(endpoint(configuration(key: key), seed: 3).variables.xmitAuthSeq == starts[2])
        var session = endpoint(configuration(key: key), seed: 5)
        let first = session.start(now: 0).packets.first?.authentication?.sequenceNumber
        #expect(first == starts[4])
        // A start the caller picks is used as given.
        let chosen = try BFDAuthenticationKey(type: .keyedSHA1, keyID: 1, secret: [1], startingSequenceNumber: 9)
        #expect(endpoint(configuration(key: chosen), seed: 5).variables.xmitAuthSeq == 9)
    }
}
