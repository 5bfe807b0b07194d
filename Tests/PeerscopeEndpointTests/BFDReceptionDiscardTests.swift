import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// One test per discard rule of RFC 5880 §6.8.6 (and the transport's TTL rule). Each feeds an Up
/// session one bad packet and checks it was dropped for that reason only and disturbed nothing.
@Suite("BFD reception discards")
struct BFDReceptionDiscardTests {
    /// Feeds `bytes` to an Up session and checks the discard left every variable and timer alone.
    static func expectDiscard(_ reason: BFDDiscardReason, bytes: [UInt8], ttl: UInt8 = 255,
                              session: BFDEndpoint = upEndpoint(), sourceLocation: SourceLocation = #_sourceLocation) {
        var session = session
        let variablesBefore = session.variables
        let deadlineBefore = session.nextDeadline
        let detectionBefore = session.detectionTime
        let actions = session.receive(payload: bytes, ttl: ttl, now: 50 * millisecond)
        #expect(actions == [.discarded(reason)], sourceLocation: sourceLocation)
        #expect(session.counters[reason] == 1, sourceLocation: sourceLocation)
        #expect(session.counters.totalDiscarded == 1, sourceLocation: sourceLocation)
        #expect(session.variables == variablesBefore, sourceLocation: sourceLocation)
        #expect(session.nextDeadline == deadlineBefore, sourceLocation: sourceLocation)
        #expect(session.detectionTime == detectionBefore, sourceLocation: sourceLocation)
    }

    static var goodUp: [UInt8] { peerPacket(.up).encoded }

    // RFC 5881 §5: single hop requires TTL 255; 254 means the packet crossed a router.
    @Test func discardsTTL254OnSingleHop() {
        Self.expectDiscard(.ttlBelowMinimum, bytes: Self.goodUp, ttl: 254)
    }

    // RFC 5883 §2: multihop discards below the configured minimum and accepts at or above it.
    @Test func multihopAcceptsConfiguredMinimumTTLAndDiscardsBelow() {
        let multihop = upEndpoint(configuration(hopMode: .multihop(minimumTTL: 250)))
        Self.expectDiscard(.ttlBelowMinimum, bytes: Self.goodUp, ttl: 249, session: multihop)
        var session = multihop
        for ttl: UInt8 in [250, 254, 255] {
            #expect(session.receive(payload: Self.goodUp, ttl: ttl, now: 60 * millisecond).discards.isEmpty)
        }
        #expect(session.counters.controlAccepted >= 3)
    }

    // RFC 5880 §6.8.6: a version other than 1 is discarded.
    @Test(arguments: [UInt8(0), 2, 7])
    func discardsUnsupportedVersion(version: UInt8) {
        var packet = peerPacket(.up)
        packet.version = version
        Self.expectDiscard(.unsupportedVersion, bytes: packet.encoded)
    }

    // RFC 5880 §6.8.6: Length below 24 is discarded.
    @Test func discardsLengthBelowMinimum() {
        var bytes = Self.goodUp
        bytes[3] = 23
        Self.expectDiscard(.lengthBelowMinimum, bytes: bytes)
    }

    // RFC 5880 §6.8.6: with the A bit set Length must be at least 26.
    @Test func discardsLengthBelowMinimumWithAuthenticationBit() {
        var bytes = Self.goodUp + [1, 3]
        bytes[1] |= BFDFlags.authenticationPresent.rawValue
        bytes[3] = 25
        Self.expectDiscard(.lengthBelowMinimum, bytes: bytes)
    }

    // RFC 5880 §6.8.6: Length larger than the payload is discarded (and so is a stub payload).
    @Test func discardsLengthBeyondPayload() {
        var bytes = Self.goodUp
        bytes[3] = 30
        Self.expectDiscard(.lengthBeyondPayload, bytes: bytes)
        Self.expectDiscard(.lengthBeyondPayload, bytes: Array(Self.goodUp.prefix(20)))
        Self.expectDiscard(.lengthBeyondPayload, bytes: [])
    }

    // RFC 5880 §6.8.6: Detect Mult 0 is discarded.
    @Test func discardsDetectMultZero() {
        Self.expectDiscard(.detectMultiplierZero, bytes: peerPacket(.up, mult: 0).encoded)
    }

    // RFC 5880 §6.8.6: the Multipoint bit set is discarded.
    @Test func discardsMultipointBit() {
        Self.expectDiscard(.multipointSet, bytes: peerPacket(.up, flags: .multipoint).encoded)
    }

    // RFC 5880 §6.8.6: My Discriminator 0 is discarded.
    @Test func discardsMyDiscriminatorZero() {
        Self.expectDiscard(.myDiscriminatorZero, bytes: peerPacket(.up, my: 0).encoded)
    }

    // RFC 5880 §6.8.6: a nonzero Your Discriminator that selects no session is discarded.
    @Test func discardsUnknownYourDiscriminator() {
        Self.expectDiscard(.yourDiscriminatorUnknown, bytes: peerPacket(.up, your: localDiscriminator + 1).encoded)
    }

    // RFC 5880 §6.8.6: Your Discriminator 0 with State Init or Up is discarded.
    @Test(arguments: [BFDState.`init`, .up])
    func discardsYourDiscriminatorZeroUnlessDownOrAdminDown(state: BFDState) {
        Self.expectDiscard(.yourDiscriminatorZeroNotDown, bytes: peerPacket(state, your: 0).encoded)
    }

    // RFC 5880 §6.8.6: the A bit set while no authentication is in use is discarded.
    @Test func discardsAuthenticationBitWithoutConfiguredAuthentication() {
        let packet = peerPacket(.up, authentication: .simplePassword(keyID: 1, password: Array("secret".utf8)))
        Self.expectDiscard(.authenticationUnexpected, bytes: packet.encoded)
    }

    // RFC 5880 §6.8.6: the A bit clear while authentication is in use is discarded.
    @Test func discardsMissingAuthenticationWhenConfigured() throws {
        let key = try BFDAuthenticationKey(type: .keyedSHA1, keyID: 1, secret: Array("k".utf8))
        let session = upAuthenticatedEndpoint(key: key)
        Self.expectDiscard(.authenticationMissing, bytes: Self.goodUp, session: session)
    }

    // RFC 5880 §6.8.6: a session in AdminDown discards what it receives (after the checks).
    @Test func discardsEverythingWhileAdminDown() {
        var session = upEndpoint()
        _ = session.adminDown(now: 10 * millisecond)
        for state in BFDState.allCases {
            let actions = session.receive(peerPacket(state, your: state == .up || state == .`init` ? localDiscriminator : 0),
                                          now: 20 * millisecond)
            #expect(actions == [.discarded(.sessionAdminDown)])
        }
        #expect(session.sessionState == .adminDown)
        #expect(session.counters[.sessionAdminDown] == 4)
    }

    // Packets before `start` are not processed at all.
    @Test func discardsBeforeStart() {
        var session = endpoint(configuration())
        #expect(session.receive(peerPacket(.down, your: 0), now: 0) == [.discarded(.sessionNotStarted)])
        #expect(session.nextDeadline == nil)
    }

    // RFC 5880 §6.8.6 order: the first failing check names the reason (version before length).
    @Test func firstFailingCheckInRFCOrderIsReported() {
        var packet = peerPacket(.up, my: 0, mult: 0)
        packet.version = 2
        Self.expectDiscard(.unsupportedVersion, bytes: packet.encoded)
        Self.expectDiscard(.detectMultiplierZero, bytes: peerPacket(.up, my: 0, flags: .multipoint, mult: 0).encoded)
    }

    // RFC 5880 §6.8.4: a discarded packet does not refresh the Detection Time — a session fed only
    // bad packets still goes Down with diag 1.
    @Test func discardedPacketsDoNotKeepSessionUp() {
        var session = upEndpoint()
        var bad = peerPacket(.up)
        bad.detectMultiplier = 0
        var actions: [BFDEndpointAction] = []
        for step in 1...40 {
            let now = BFDNanoseconds(step) * 100 * millisecond
            actions += session.advance(to: now)
            actions += session.receive(bad, now: now)
        }
        #expect(actions.stateChanges.map(\.diagnostic) == [.controlDetectionTimeExpired])
        #expect(session.sessionState == .down)
    }

    // A router-style counter table: each reason counted in its own slot.
    @Test func countersTallyEachDiscardReasonSeparately() {
        var session = upEndpoint()
        _ = session.receive(payload: Self.goodUp, ttl: 1, now: 10)
        _ = session.receive(payload: Self.goodUp, ttl: 1, now: 11)
        _ = session.receive(peerPacket(.up, mult: 0), now: 12)
        _ = session.receive(peerPacket(.up), now: 13)
        #expect(session.counters[.ttlBelowMinimum] == 2)
        #expect(session.counters[.detectMultiplierZero] == 1)
        #expect(session.counters.totalDiscarded == 3)
        #expect(session.counters.nonzeroDiscards.map(\.reason) == [.ttlBelowMinimum, .detectMultiplierZero])
        #expect(session.counters.controlReceived == 6)  // two from `upEndpoint` plus four here
        #expect(session.counters.controlAccepted == 3)
    }
}

/// An endpoint with `key` brought Up by a scripted peer that signs with the same key.
func upAuthenticatedEndpoint(key: BFDAuthenticationKey) -> BFDEndpoint {
    var session = endpoint(configuration(key: key))
    _ = session.start(now: 0)
    var peer = PeerSigner(key: key)
    _ = session.receive(peer.next(peerPacket(.down, your: 0)), now: 1 * millisecond)
    _ = session.receive(peer.next(peerPacket(.up)), now: 2 * millisecond)
    precondition(session.sessionState == .up)
    return session
}

/// A scripted peer's authentication: adds the section, signs, and counts its sequence.
struct PeerSigner {
    let key: BFDAuthenticationKey
    var sequence: UInt32

    init(key: BFDAuthenticationKey, sequence: UInt32 = 1000) {
        self.key = key
        self.sequence = sequence
    }

    func section(sequence: UInt32, keyID: UInt8? = nil, type: BFDAuthType? = nil) -> BFDAuthentication {
        let type = type ?? key.type
        return type == .simplePassword
            ? .simplePassword(keyID: keyID ?? key.keyID, password: key.secret)
            : .keyed(type, keyID: keyID ?? key.keyID, sequenceNumber: sequence)
    }

    /// Signs with the next sequence number.
    mutating func next(_ packet: BFDControlPacket) -> BFDControlPacket {
        defer { sequence &+= 1 }
        return sign(packet, sequence: sequence)
    }

    func sign(_ packet: BFDControlPacket, sequence: UInt32, secret: [UInt8]? = nil, keyID: UInt8? = nil,
              type: BFDAuthType? = nil) -> BFDControlPacket {
        var packet = packet
        var section = section(sequence: sequence, keyID: keyID, type: type)
        if section.type == .simplePassword, let secret { section = .simplePassword(keyID: section.keyID, password: secret) }
        packet.authentication = section
        packet.flags.insert(.authenticationPresent)
        packet.length = UInt8(BFDControlPacket.mandatoryLength + Int(section.length))
        return signed(packet, secret: secret ?? key.secret)
    }
}
