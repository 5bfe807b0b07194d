import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Packet contents of §6.8.7 and the hooks the active tester uses.
@Suite("BFD packet contents and tester hooks")
struct BFDTesterHookTests {
    // RFC 5880 §6.8.7: every field of a transmitted packet comes from the session variables.
    @Test func transmittedPacketCarriesSessionVariables() {
        var session = upEndpoint(configuration(desired: 1_000_000, required: 700_000, echoRx: 50_000, mult: 4))
        let packet = session.advance(to: session.nextDeadline!).packets[0]
        #expect(packet.version == 1)
        #expect(packet.state == .up && packet.diagnostic == .none)
        #expect(packet.detectMultiplier == 4)
        #expect(packet.myDiscriminator == localDiscriminator && packet.yourDiscriminator == peerDiscriminator)
        #expect(packet.desiredMinTxInterval == 1_000_000 && packet.requiredMinRxInterval == 700_000)
        #expect(packet.requiredMinEchoRxInterval == 50_000)
        #expect(packet.flags == [])  // no P, F, C, A, D, M
        #expect(packet.length == 24)
    }

    // RFC 5880 §6.8.7: the first packet of an active endpoint has Your Discriminator 0 and State Down.
    @Test func firstPacketAnnouncesDownWithYourDiscriminatorZero() {
        var session = endpoint(configuration())
        let first = session.start(now: 0).packets
        #expect(first.count == 1)
        #expect(first[0].state == .down && first[0].yourDiscriminator == 0)
    }

    // The tester's template is exactly the next periodic packet.
    @Test func packetTemplateMatchesNextPeriodicPacket() throws {
        let key = try BFDAuthenticationKey(type: .meticulousKeyedSHA1, keyID: 2, secret: Array("k".utf8), startingSequenceNumber: 9)
        var session = upAuthenticatedEndpoint(key: key)
        let template = session.packetTemplate()
        let sent = session.advance(to: session.nextDeadline!).packets[0]
        #expect(template == sent)
    }

    // A mutated template is re-signed with the session key and consumes its sequence number.
    @Test func sealedMutatedPacketCarriesValidDigest() throws {
        let key = try BFDAuthenticationKey(type: .keyedMD5, keyID: 2, secret: Array("k".utf8), startingSequenceNumber: 9)
        var session = upAuthenticatedEndpoint(key: key)
        var probe = session.packetTemplate()
        probe.detectMultiplier = 0
        probe.diagnostic = .unknown(31)
        let transmission = session.seal(probe)
        #expect(transmission.cause == .injected)
        #expect(transmission.packet.detectMultiplier == 0)
        #expect(transmission.packet == signed(probe, secret: Array("k".utf8)))
        let next = session.advance(to: session.nextDeadline!).packets[0]
        #expect(next.authentication?.sequenceNumber == (probe.authentication?.sequenceNumber ?? 0) + 1)
    }

    // RFC 5881 §5 probe: the tester can send with a TTL other than 255.
    @Test func transmitTTLOverrideAppliesToEveryPacket() {
        var session = endpoint(configuration())
        session.transmitTTL = 254
        let first = session.start(now: 0).transmissions
        let next = session.advance(to: session.nextDeadline!).transmissions
        #expect((first + next).map(\.ttl) == [254, 254])
        var normal = endpoint(configuration())
        #expect(normal.start(now: 0).transmissions.map(\.ttl) == [255])
    }

    // RFC 5880 §6.8.1: the session variables are exposed read-only, with their RFC initial values.
    @Test func sessionVariablesStartAtRFCInitialValues() {
        let variables = endpoint(configuration(desired: 100_000, required: 200_000, mult: 5)).variables
        #expect(variables.sessionState == .down && variables.remoteSessionState == .down)
        #expect(variables.localDiscr == localDiscriminator && variables.remoteDiscr == 0)
        #expect(variables.localDiag == .none)
        #expect(variables.desiredMinTxInterval == 1_000_000)  // slow start until Up
        #expect(variables.requiredMinRxInterval == 200_000)
        #expect(variables.remoteMinRxInterval == 1)
        #expect(!variables.demandMode && !variables.remoteDemandMode)
        #expect(variables.detectMult == 5)
        #expect(variables.authType == nil && !variables.authSeqKnown)
    }

    // RFC 5880 §6.8.1: configuration rejects discriminator 0, Detect Mult 0 and Desired Min TX 0.
    @Test func configurationRejectsValuesRFCForbids() {
        #expect(throws: BFDConfigurationError.localDiscriminatorZero) { try BFDEndpointConfiguration(localDiscriminator: 0) }
        #expect(throws: BFDConfigurationError.detectMultiplierZero) {
            try BFDEndpointConfiguration(localDiscriminator: 1, detectMultiplier: 0)
        }
        #expect(throws: BFDConfigurationError.desiredMinTxIntervalZero) {
            try BFDEndpointConfiguration(localDiscriminator: 1, desiredMinTxInterval: 0)
        }
        var session = endpoint(configuration())
        #expect(throws: BFDConfigurationError.desiredMinTxIntervalZero) {
            try session.setTimers(desiredMinTxInterval: 0, requiredMinRxInterval: 1, now: 0)
        }
    }

    // The driver never has to guess: after every input the next wakeup is known and in the future.
    @Test func nextDeadlineIsAlwaysAheadOfNow() {
        let link = LinkSimulation(configuration(discriminator: 0x11, desired: 50_000, required: 50_000),
                                  configuration(discriminator: 0x22, desired: 50_000, required: 50_000))
        link.lossPercent = [20, 20]
        link.startBoth()
        var now: BFDNanoseconds = 0
        while now < 20 * second {
            link.run(until: now)
            for side in LinkSimulation.Side.allCases {
                #expect((link[side].nextDeadline ?? .max) > link.now)
            }
            now += 37 * millisecond
        }
    }
}
