import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// RFC 5880 §6.7 for all five authentication types, both directions.
@Suite("BFD authentication")
struct BFDAuthenticationTests {
    static let allTypes: [BFDAuthType] = [.simplePassword, .keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1]
    static let keyedTypes: [BFDAuthType] = [.keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1]

    static func key(_ type: BFDAuthType, keyID: UInt8 = 5, secret: String = "s3cret-key", start: UInt32 = 100) -> BFDAuthenticationKey {
        try! BFDAuthenticationKey(type: type, keyID: keyID, secret: Array(secret.utf8), startingSequenceNumber: start)
    }

    // RFC 5880 §6.7.2–§6.7.4: two endpoints with the same key come Up, each verifying the other.
    @Test(arguments: allTypes)
    func matchingKeysBringSessionUp(type: BFDAuthType) {
        let link = LinkSimulation(configuration(discriminator: 0x11, key: Self.key(type, start: 7)),
                                  configuration(discriminator: 0x22, key: Self.key(type, start: 90_000)))
        link.startBoth()
        link.run(until: 20 * second)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
        #expect(link.discards.isEmpty)
        #expect(link.sent.allSatisfy { $0.packet.authentication?.type == type && $0.packet.flags.contains(.authenticationPresent) })
        #expect(link.changes.filter { $0.to == .down }.isEmpty)
    }

    // RFC 5880 §6.7.2–§6.7.4: a different secret is discarded (password or digest mismatch).
    @Test(arguments: allTypes)
    func wrongSecretIsDiscarded(type: BFDAuthType) {
        let link = LinkSimulation(configuration(discriminator: 0x11, key: Self.key(type)),
                                  configuration(discriminator: 0x22, key: Self.key(type, secret: "other-key")))
        link.startBoth()
        link.run(until: 10 * second)
        #expect(link[.a].sessionState == .down && link[.b].sessionState == .down)
        let expected: BFDDiscardReason = type == .simplePassword ? .passwordMismatch : .digestMismatch
        #expect(!link.discards.isEmpty)
        #expect(link.discards.allSatisfy { $0.reason == expected })
    }

    // RFC 5880 §6.7.2–§6.7.4: a Key ID the session does not hold is discarded.
    @Test(arguments: allTypes)
    func wrongKeyIDIsDiscarded(type: BFDAuthType) {
        let key = Self.key(type)
        let session = upAuthenticatedEndpoint(key: key)
        let peer = PeerSigner(key: key, sequence: 1002)
        BFDReceptionDiscardTests.expectDiscard(.authKeyIDMismatch, bytes: peer.sign(peerPacket(.up), sequence: 1002, keyID: 6).encoded,
                                               session: session)
    }

    // RFC 5880 §6.7.1: an Auth Type other than the session's is discarded.
    @Test(arguments: allTypes)
    func wrongAuthTypeIsDiscarded(type: BFDAuthType) {
        let key = Self.key(type)
        let other: BFDAuthType = type == .keyedSHA1 ? .keyedMD5 : .keyedSHA1
        let peer = PeerSigner(key: key)
        BFDReceptionDiscardTests.expectDiscard(.authTypeMismatch, bytes: peer.sign(peerPacket(.up), sequence: 1002, type: other).encoded,
                                               session: upAuthenticatedEndpoint(key: key))
    }

    // RFC 5880 §6.8.6: an unauthenticated packet is discarded by an authenticating session.
    @Test(arguments: allTypes)
    func missingAuthenticationIsDiscarded(type: BFDAuthType) {
        BFDReceptionDiscardTests.expectDiscard(.authenticationMissing, bytes: peerPacket(.up).encoded,
                                               session: upAuthenticatedEndpoint(key: Self.key(type)))
    }

    // RFC 5880 §4.3/§4.4, §6.7.3: an Auth Len wrong for the type is discarded.
    @Test(arguments: keyedTypes)
    func wrongAuthLengthIsDiscarded(type: BFDAuthType) {
        let key = Self.key(type)
        var bytes = PeerSigner(key: key).sign(peerPacket(.up), sequence: 1002).encoded
        bytes[BFDControlPacket.mandatoryLength + 1] -= 1
        BFDReceptionDiscardTests.expectDiscard(.authLengthInvalid, bytes: bytes, session: upAuthenticatedEndpoint(key: key))
    }

    // RFC 5880 §6.7.3/§6.7.4: meticulous types need a strictly larger sequence number: a replay of
    // the last one is discarded.
    @Test(arguments: [BFDAuthType.meticulousKeyedMD5, .meticulousKeyedSHA1])
    func meticulousRejectsReplayedSequenceNumber(type: BFDAuthType) {
        let key = Self.key(type)
        let session = upAuthenticatedEndpoint(key: key)  // last accepted sequence: 1001
        let replay = PeerSigner(key: key).sign(peerPacket(.up), sequence: 1001)
        BFDReceptionDiscardTests.expectDiscard(.sequenceOutOfWindow, bytes: replay.encoded, session: session)
    }

    // RFC 5880 §6.7.3/§6.7.4: non-meticulous keyed types accept the same sequence number again.
    @Test(arguments: [BFDAuthType.keyedMD5, .keyedSHA1])
    func keyedAcceptsRepeatedSequenceNumber(type: BFDAuthType) {
        let key = Self.key(type)
        var session = upAuthenticatedEndpoint(key: key)
        let repeated = PeerSigner(key: key).sign(peerPacket(.up), sequence: 1001)
        #expect(session.receive(repeated, now: 10 * millisecond).discards.isEmpty)
        #expect(session.variables.rcvAuthSeq == 1001)
    }

    // RFC 5880 §6.7.3/§6.7.4: the window is RcvAuthSeq … +3×Detect Mult; one beyond, or behind, is out.
    @Test(arguments: keyedTypes)
    func sequenceOutsideWindowIsDiscarded(type: BFDAuthType) {
        let key = Self.key(type)
        let peer = PeerSigner(key: key)
        let ahead = peer.sign(peerPacket(.up, mult: 3), sequence: 1001 + 10)  // window is 9
        BFDReceptionDiscardTests.expectDiscard(.sequenceOutOfWindow, bytes: ahead.encoded, session: upAuthenticatedEndpoint(key: key))
        let behind = peer.sign(peerPacket(.up, mult: 3), sequence: 1000)
        BFDReceptionDiscardTests.expectDiscard(.sequenceOutOfWindow, bytes: behind.encoded, session: upAuthenticatedEndpoint(key: key))
        var session = upAuthenticatedEndpoint(key: key)
        let edge = peer.sign(peerPacket(.up, mult: 3), sequence: 1001 + 9)
        #expect(session.receive(edge, now: 10 * millisecond).discards.isEmpty)
    }

    // RFC 5880 §6.7.3/§6.7.4: sequence numbers are circular; 2^32−1 is followed by 0 on both sides.
    @Test(arguments: keyedTypes)
    func sequenceNumbersWrapAroundAtTwoToThe32(type: BFDAuthType) {
        let link = LinkSimulation(configuration(discriminator: 0x11, desired: 100_000, required: 100_000,
                                                key: Self.key(type, start: UInt32.max - 20)),
                                  configuration(discriminator: 0x22, desired: 100_000, required: 100_000,
                                                key: Self.key(type, start: UInt32.max - 5)))
        link.startBoth()
        link.run(until: 30 * second)
        #expect(link[.a].sessionState == .up && link[.b].sessionState == .up)
        #expect(link.discards.isEmpty)
        let sequences = link.sent.filter { $0.side == .a }.compactMap { $0.packet.authentication?.sequenceNumber }
        #expect(sequences.contains(UInt32.max) && sequences.contains(0))
        #expect(link[.b].variables.rcvAuthSeq < 1_000)  // B followed A past the wrap
    }

    // RFC 5880 §6.7.3 (policy documented in BFDAuthenticator): bfd.XmitAuthSeq advances by one on
    // every packet, so meticulous peers always see a strictly increasing sequence.
    @Test(arguments: keyedTypes)
    func transmitSequenceIncrementsOnEveryPacket(type: BFDAuthType) {
        let link = LinkSimulation(configuration(discriminator: 0x11, key: Self.key(type, start: 500)),
                                  configuration(discriminator: 0x22, key: Self.key(type)))
        link.startBoth()
        link.run(until: 10 * second)
        let sequences = link.sent.filter { $0.side == .a }.compactMap { $0.packet.authentication?.sequenceNumber }
        #expect(sequences.count > 5)
        #expect(sequences == Array(500..<500 + UInt32(sequences.count)))
    }

    // RFC 5880 §6.7.3/§6.7.4: the digest on the wire is MD5/SHA1 over the packet with the key in
    // the digest field, as computed independently here.
    @Test(arguments: keyedTypes)
    func transmittedDigestMatchesIndependentComputation(type: BFDAuthType) {
        var session = endpoint(configuration(key: Self.key(type)))
        let packet = session.start(now: 0).packets[0]
        var zeroed = packet
        zeroed.authentication?.data = AuthBytes(repeatElement(0, count: type.digestLength))
        let input = zeroed.digestInput(secret: Array("s3cret-key".utf8))!
        #expect(packet.authentication?.data.bytes == referenceDigest(type, input))
        #expect(packet.length == UInt8(type.fixedLength! + 24))
    }

    // RFC 5880 §6.8.1: after twice the Detection Time without packets the sequence resynchronises,
    // so a restarted peer with a lower sequence number is accepted.
    @Test(arguments: keyedTypes)
    func authSequenceResynchronisesAfterTwiceDetectionTime(type: BFDAuthType) {
        let key = Self.key(type)
        var session = upAuthenticatedEndpoint(key: key)  // detection time 3 s, last packet at 2 ms
        let restarted = PeerSigner(key: key).sign(peerPacket(.down, your: 0), sequence: 3)
        #expect(session.receive(restarted, now: 3 * second).discards == [.sequenceOutOfWindow])
        let later = PeerSigner(key: key).sign(peerPacket(.down, your: 0), sequence: 4)
        #expect(session.receive(later, now: 2 * millisecond + 6 * second).discards.isEmpty)
        #expect(session.variables.rcvAuthSeq == 4)
    }

    // Never expose the secret in descriptions, debug output or mirrors.
    @Test func descriptionsNeverRevealTheSecret() {
        let key = Self.key(.keyedSHA1, secret: "TopSecretValue")
        let config = configuration(key: key)
        var dumped = ""
        dump(config, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), String(describing: config),
                     String(reflecting: config), dumped, String(describing: endpoint(config).variables)] {
            #expect(!text.contains("TopSecretValue"))
            #expect(!text.contains(String(describing: Array("TopSecretValue".utf8))))
        }
    }

    // RFC 5880 §4.2–§4.4: secrets outside the allowed lengths are rejected at configuration time.
    @Test func keyConfigurationRejectsInvalidSecrets() {
        #expect(throws: BFDConfigurationError.secretLength(type: .keyedMD5, length: 17)) {
            try BFDAuthenticationKey(type: .keyedMD5, keyID: 1, secret: Array(repeating: 1, count: 17))
        }
        #expect(throws: BFDConfigurationError.secretLength(type: .simplePassword, length: 0)) {
            try BFDAuthenticationKey(type: .simplePassword, keyID: 1, secret: [])
        }
        #expect(throws: BFDConfigurationError.reservedAuthType(9)) {
            try BFDAuthenticationKey(type: .reserved(9), keyID: 1, secret: [1])
        }
        #expect((try? BFDAuthenticationKey(type: .keyedSHA1, keyID: 1, secret: Array(repeating: 1, count: 20))) != nil)
    }
}
