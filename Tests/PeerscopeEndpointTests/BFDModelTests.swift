import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// The public RFC 5880 model, checked against the RFC's own words (quoted at each test), not
/// against the endpoint that uses it.
@Suite("RFC 5880 model")
struct BFDModelTests {
    // §6.8.6, reception pseudocode, written out as a table from the RFC text:
    //   "If received state is AdminDown: If bfd.SessionState is not Down: Set bfd.LocalDiag to 3
    //    (Neighbor signaled session down), Set bfd.SessionState to Down
    //    Else: If bfd.SessionState is Down: If received State is Down, set bfd.SessionState to Init
    //          Else if received State is Init, set bfd.SessionState to Up
    //    Else if bfd.SessionState is Init: If received State is Init or Up, set bfd.SessionState to Up
    //    Else (bfd.SessionState is Up): If received State is Down: Set bfd.LocalDiag to 3
    //          (Neighbor signaled session down), Set bfd.SessionState to Down"
    // and "If bfd.SessionState is AdminDown: Discard the packet".
    static let rfcTable: [BFDState: [BFDState: BFDState?]] = [
        .adminDown: [.adminDown: nil, .down: nil, .`init`: nil, .up: nil],
        .down: [.adminDown: nil, .down: .`init`, .`init`: .up, .up: nil],
        .`init`: [.adminDown: .down, .down: nil, .`init`: .up, .up: .up],
        .up: [.adminDown: .down, .down: .down, .`init`: nil, .up: nil],
    ]

    @Test(arguments: [BFDState.adminDown, .down, .`init`, .up])
    func receptionTransitionsFollowSection6_8_6(local: BFDState) {
        for received in [BFDState.adminDown, .down, .`init`, .up] {
            let expected = Self.rfcTable[local]![received]!
            let change = BFDTransitionTable.onReceive(local: local, received: received)
            #expect(change?.next == expected, "\(local) hearing \(received)")
            if expected == .down {
                // Both ways down by a packet set diag 3, Neighbor Signaled Session Down.
                #expect(change?.diagnostic == .neighborSignaledSessionDown)
                #expect(change?.diagnostic?.rawValue == 3)
            }
        }
    }

    // §6.8.4: "If a period of a Detection Time passes without the receipt of a valid,
    // authenticated BFD packet from the remote system, this system MUST set bfd.SessionState
    // to Down" with "Control Detection Time Expired" (diag 1, §4.1) — for a session that was
    // Init or Up; §6.2: Down and AdminDown have no timer edge.
    @Test func detectionTimeExpiryTakesInitAndUpDownWithDiag1() {
        for local in [BFDState.`init`, .up] {
            let change = BFDTransitionTable.onDetectionTimeExpired(local: local)
            #expect(change?.next == .down)
            #expect(change?.diagnostic?.rawValue == 1)
        }
        #expect(BFDTransitionTable.onDetectionTimeExpired(local: .down) == nil)
        #expect(BFDTransitionTable.onDetectionTimeExpired(local: .adminDown) == nil)
    }

    // §6.8.3: "When bfd.SessionState is not Up, the system MUST set bfd.DesiredMinTxInterval to a
    // value of not less than one second (1,000,000 microseconds)."
    @Test func slowStartIsOneSecondWhileNotUp() {
        #expect(BFDTimingModel.slowStartInterval == 1_000_000)
        #expect(BFDTimingModel.advertisedDesiredMinTx(configured: 50_000, sessionUp: false) == 1_000_000)
        #expect(BFDTimingModel.advertisedDesiredMinTx(configured: 2_000_000, sessionUp: false) == 2_000_000)
        #expect(BFDTimingModel.advertisedDesiredMinTx(configured: 50_000, sessionUp: true) == 50_000)
    }

    // §6.8.7: "a system MUST NOT transmit BFD Control packets at an interval less than the larger
    // of bfd.DesiredMinTxInterval and bfd.RemoteMinRxInterval".
    @Test func transmitIntervalIsTheLargerOfOwnDesiredAndPeerRequired() {
        #expect(BFDTimingModel.transmitInterval(desiredMinTx: 300_000, remoteMinRx: 200_000) == 300_000)
        #expect(BFDTimingModel.transmitInterval(desiredMinTx: 100_000, remoteMinRx: 500_000) == 500_000)
    }

    // §6.8.4: "In Asynchronous mode, the Detection Time calculated in the local system is equal to
    // the value of Detect Mult received from the remote system, multiplied by the agreed transmit
    // interval of the remote system (the greater of bfd.RequiredMinRxInterval and the last
    // received Desired Min TX Interval)."
    @Test func asynchronousDetectionTimeUsesTheRemoteMultiplier() {
        // Remote mult 5 at 200 ms, we require 300 ms: 5 × 300 ms.
        #expect(BFDTimingModel.detectionTime(remoteDetectMult: 5, localRequiredMinRx: 300_000,
                                             remoteDesiredMinTx: 200_000) == 1_500_000)
        // Remote sends slower than we require: its Desired Min TX counts.
        #expect(BFDTimingModel.detectionTimeNanoseconds(remoteDetectMult: 3, localRequiredMinRx: 50_000,
                                                        remoteDesiredMinTx: 1_000_000) == 3_000_000_000)
        // The largest values the fields can hold do not overflow (8-bit mult × 32-bit µs).
        #expect(BFDTimingModel.detectionTime(remoteDetectMult: 255, localRequiredMinRx: .max, remoteDesiredMinTx: 0)
            == 255 * UInt64(UInt32.max))
    }

    // §6.8.4: "In Demand mode, the Detection Time calculated in the local system is equal to
    // bfd.DetectMult, multiplied by the agreed transmit interval of the local system".
    @Test func demandDetectionTimeUsesTheLocalMultiplier() {
        #expect(BFDTimingModel.demandDetectionTimeNanoseconds(localDetectMult: 4, transmitInterval: 250_000)
            == 1_000_000_000)
    }

    // §6.8.7: "The periodic transmission of BFD Control packets MUST be jittered on a per-packet
    // basis by up to 25%, that is, the interval MUST be reduced by a random value of 0 to 25%"
    // and "If bfd.DetectMult is equal to 1, the interval between transmitted BFD Control packets
    // MUST be no more than 90% of the negotiated transmission interval, and MUST be no less than
    // 75% of the negotiated transmission interval."
    @Test func jitterBoundsAre75To100PercentAnd75To90WithMultiplierOne() {
        #expect(BFDJitterBounds(detectMultiplier: 3).range(ofNanoseconds: 1_000_000_000) == 750_000_000...1_000_000_000)
        #expect(BFDJitterBounds(detectMultiplier: 1).range(ofNanoseconds: 1_000_000_000) == 750_000_000...900_000_000)
        #expect(BFDJitterBounds(detectMultiplier: 2).range(ofNanoseconds: 300_000_000) == 225_000_000...300_000_000)
    }

    @Test(arguments: [UInt8(1), 3])
    func drawnGapsStayInsideTheBounds(mult: UInt8) {
        let bounds = BFDJitterBounds(detectMultiplier: mult)
        var random = SplitMix64(seed: 42)
        let allowed = bounds.range(ofNanoseconds: 100_000_000)
        let gaps = (0..<2_000).map { _ in bounds.draw(intervalNanoseconds: 100_000_000, using: &random) }
        #expect(gaps.allSatisfy { allowed.contains($0) })
        // Random, not constant: the reduction spreads over most of the allowed share.
        #expect(gaps.max()! - gaps.min()! > (allowed.upperBound - allowed.lowerBound) * 9 / 10)
    }

    // §6.7.3 (and §6.7.4 in the same words): "For Keyed MD5 Authentication, if the sequence number
    // lies outside of the range of bfd.RcvAuthSeq to bfd.RcvAuthSeq+(3*Detect Mult) inclusive
    // (when treated as an unsigned 32-bit circular number space), the received packet MUST be
    // discarded. For Meticulous Keyed MD5 Authentication, if the sequence number lies outside of
    // the range of bfd.RcvAuthSeq+1 to bfd.RcvAuthSeq+(3*Detect Mult) inclusive (when treated as
    // an unsigned 32-bit circular number space) the received packet MUST be discarded."
    @Test func keyedWindowIsRcvAuthSeqToPlusThreeTimesDetectMult() {
        let window = BFDAuthSequenceWindow(meticulous: false, detectMultiplier: 3)
        #expect(window.width == 9)
        #expect(window.accepts(1000, after: 1000))
        #expect(window.accepts(1009, after: 1000))
        #expect(!window.accepts(1010, after: 1000))
        #expect(!window.accepts(999, after: 1000))
        #expect(window.acceptedBounds(after: 1000) == (1000, 1009))
    }

    @Test func meticulousWindowStartsOneAfterAndKeepsTheUpperEnd() {
        let window = BFDAuthSequenceWindow(meticulous: true, detectMultiplier: 3)
        #expect(!window.accepts(1000, after: 1000))
        #expect(window.accepts(1001, after: 1000))
        #expect(window.accepts(1009, after: 1000))
        // The disagreement issue 13 named: a meticulous jump beyond 3 × Detect Mult is a discard.
        #expect(!window.accepts(1010, after: 1000))
        #expect(window.acceptedBounds(after: 1000) == (1001, 1009))
    }

    @Test func windowWrapsInCircularSpace() {
        let meticulous = BFDAuthSequenceWindow(meticulous: true, detectMultiplier: 1)
        // Detect Mult 1: a window of 3 past 2^32 − 1 is 0, 1, 2.
        #expect(meticulous.accepts(0, after: .max))
        #expect(meticulous.accepts(2, after: .max))
        #expect(!meticulous.accepts(3, after: .max))
        #expect(!meticulous.accepts(.max - 1, after: .max))
    }

    // §6.8.1 bfd.AuthSeqKnown: "MUST be set to zero after no packets have been received on this
    // session for at least twice the Detection Time."
    @Test func sequenceIsForgottenAfterTwoDetectionTimes() {
        #expect(BFDTimingModel.authSequenceForgetAfterNanoseconds(detectionTimeNanoseconds: 900_000_000) == 1_800_000_000)
    }

    // §6.7.3 uses MD5 (RFC 1321), §6.7.4 SHA1 (RFC 3174), the meticulous types the same; the
    // expected values are the RFCs' own test vectors for "abc" (RFC 1321 A.5, RFC 3174 §7.3).
    @Test func digestsAreMD5AndSHA1() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        let abc = Array("abc".utf8)
        for type in [BFDAuthType.keyedMD5, .meticulousKeyedMD5] {
            #expect(hex(BFDAuthDigest.digest(type, over: abc)) == "900150983cd24fb0d6963f7d28e17f72")
        }
        for type in [BFDAuthType.keyedSHA1, .meticulousKeyedSHA1] {
            #expect(hex(BFDAuthDigest.digest(type, over: abc)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        }
        #expect(BFDAuthDigest.digest(.simplePassword, over: abc).isEmpty)
        #expect(BFDAuthDigest.expected(for: peerPacket(.up), secret: [1]) == nil)
    }

    // §6.8.9: echo packets are not sent faster than the peer's Required Min Echo RX Interval.
    @Test func echoIntervalHonoursThePeersMinimum() {
        #expect(BFDTimingModel.echoTransmitInterval(desiredMinEchoTx: 50_000, remoteMinEchoRx: 100_000) == 100_000)
        #expect(BFDTimingModel.echoTransmitInterval(desiredMinEchoTx: 200_000, remoteMinEchoRx: 100_000) == 200_000)
    }
}

/// §6.8.6's checklist through the public, side-agnostic entry point: the receiver is described by
/// a view, not by an endpoint.
@Suite("RFC 5880 §6.8.6 checklist")
struct BFDReceptionChecklistTests {
    static let receiver = BFDReceiverView(hopMode: .singleHop, localDiscriminator: localDiscriminator,
                                          authenticationInUse: false)

    static func check(_ bytes: [UInt8], ttl: UInt8 = 255, receiver: BFDReceiverView = receiver)
        -> BFDDiscardReason?
    {
        switch BFDReceptionChecks.check(bytes, ttl: ttl, receiver: receiver) {
        case .success: nil
        case .failure(let reason): reason
        }
    }

    @Test func aValidPacketPasses() {
        let bytes = peerPacket(.up).encoded
        guard case .success(let packet) = BFDReceptionChecks.check(bytes, ttl: 255, receiver: Self.receiver) else {
            Issue.record("discarded")
            return
        }
        #expect(packet.myDiscriminator == peerDiscriminator)
    }

    // Each clause quoted from §6.8.6 (and RFC 5881 §5 for the TTL).
    @Test func eachClauseDiscards() {
        let valid = peerPacket(.up).encoded
        // RFC 5881 §5: "the received TTL/Hop Limit MUST be 255" (single hop, GTSM).
        #expect(Self.check(valid, ttl: 254) == .ttlBelowMinimum)
        // "If the version number is not correct (1), the packet MUST be discarded."
        var version2 = valid
        version2[0] = 2 << 5
        #expect(Self.check(version2) == .unsupportedVersion)
        // "If the Length field is less than the minimum correct value (24 if the A bit is clear ...)"
        var short = valid
        short[3] = 23
        #expect(Self.check(short) == .lengthBelowMinimum)
        // "If the Length field is greater than the payload of the encapsulating protocol"
        #expect(Self.check(Array(valid.prefix(20))) == .lengthBeyondPayload)
        // "If the Detect Mult field is zero, the packet MUST be discarded."
        #expect(Self.check(peerPacket(.up, mult: 0).encoded) == .detectMultiplierZero)
        // "If the Multipoint (M) bit is nonzero, the packet MUST be discarded."
        var multipoint = valid
        multipoint[1] |= 0x01
        #expect(Self.check(multipoint) == .multipointSet)
        // "If the My Discriminator field is zero, the packet MUST be discarded."
        #expect(Self.check(peerPacket(.up, my: 0).encoded) == .myDiscriminatorZero)
        // "If the Your Discriminator field is nonzero, it MUST be used to select the session ...
        // If no session is found, the packet MUST be discarded."
        #expect(Self.check(peerPacket(.up, your: 0xDEAD).encoded) == .yourDiscriminatorUnknown)
        // "If the Your Discriminator field is zero and the State field is not Down or AdminDown,
        // the packet MUST be discarded."
        #expect(Self.check(peerPacket(.`init`, your: 0).encoded) == .yourDiscriminatorZeroNotDown)
        #expect(Self.check(peerPacket(.down, your: 0).encoded) == nil)
        // "If the A bit is set and no authentication is in use (bfd.AuthType is zero), the packet
        // MUST be discarded." / "If the A bit is clear and authentication is in use ..."
        let authenticated = BFDReceiverView(hopMode: .singleHop, localDiscriminator: localDiscriminator,
                                            authenticationInUse: true)
        #expect(Self.check(valid, receiver: authenticated) == .authenticationMissing)
        let withAuth = peerPacket(.up, authentication: .simplePassword(keyID: 1, password: Array("secret".utf8))).encoded
        #expect(Self.check(withAuth) == .authenticationUnexpected)
    }

    // RFC 5883 §2: multihop accepts any TTL at or above the configured minimum.
    @Test func multihopAcceptsTheConfiguredMinimum() {
        let multihop = BFDReceiverView(hopMode: .multihop(minimumTTL: 250), localDiscriminator: localDiscriminator,
                                       authenticationInUse: false)
        #expect(Self.check(peerPacket(.up).encoded, ttl: 250, receiver: multihop) == nil)
        #expect(Self.check(peerPacket(.up).encoded, ttl: 249, receiver: multihop) == .ttlBelowMinimum)
    }
}
