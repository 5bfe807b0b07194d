import PeerscopeWire

/// The authentication half of a session (RFC 5880 §6.7): the key, and the sequence variables
/// bfd.XmitAuthSeq, bfd.RcvAuthSeq and bfd.AuthSeqKnown.
///
/// Transmit policy: the sequence number advances on every packet for the keyed types too, not
/// only the meticulous ones. §6.7.3 lets keyed types advance "occasionally"; every packet is
/// always inside the peer's window and makes replays of old packets fail sooner.
struct BFDAuthenticator: Sendable {
    let key: BFDAuthenticationKey
    /// The sequence number the next packet carries.
    private(set) var xmitAuthSeq: UInt32
    private(set) var rcvAuthSeq: UInt32 = 0
    private(set) var authSeqKnown = false

    /// `randomStart` is used when the key names no starting sequence number (§6.8.1: random).
    init(key: BFDAuthenticationKey, randomStart: UInt32) {
        self.key = key
        xmitAuthSeq = key.startingSequenceNumber ?? randomStart
    }

    /// The section for the next packet, digest still zero.
    var nextSection: BFDAuthentication {
        switch key.type {
        case .simplePassword: .simplePassword(keyID: key.keyID, password: key.secret)
        case .keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1, .reserved:
            .keyed(key.type, keyID: key.keyID, sequenceNumber: xmitAuthSeq)
        }
    }

    /// Fills the digest of a keyed section over the packet as it stands (§6.7.3, §6.7.4). Packets
    /// without a keyed section are returned unchanged: a tester may send any section it likes.
    func sealed(_ packet: BFDControlPacket) -> BFDControlPacket {
        guard let type = packet.authentication?.type, let input = packet.digestInput(secret: key.secret)
        else { return packet }
        var packet = packet
        packet.authentication?.data = AuthBytes(Self.digest(type, input))
        return packet
    }

    /// Moves bfd.XmitAuthSeq past a sequence number just sent.
    mutating func didSend(_ packet: BFDControlPacket) {
        guard let sent = packet.authentication?.sequenceNumber, key.type.hasSequenceNumber else { return }
        // A tester may inject a packet ahead of the counter; never reuse a number after it.
        if sent &- xmitAuthSeq < 1 << 31 { xmitAuthSeq = sent &+ 1 }
    }

    /// The §6.7.2–§6.7.4 checks for a packet whose A bit is set; nil when it authenticates.
    /// `raw` holds the packet as received, so the digest covers the exact bytes sent.
    func verify(_ packet: BFDControlPacket, raw: UnsafeRawBufferPointer) -> BFDDiscardReason? {
        guard let section = packet.authentication else { return .authenticationMissing }
        guard section.type == key.type else { return .authTypeMismatch }
        guard section.keyID == key.keyID else { return .authKeyIDMismatch }
        switch key.type {
        case .simplePassword:
            return section.data.bytes == key.secret ? nil : .passwordMismatch
        case .keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1:
            guard let sequence = section.sequenceNumber else { return .authLengthInvalid }
            if authSeqKnown {
                let window = BFDAuthSequenceWindow(meticulous: key.type.isMeticulous,
                                                   detectMultiplier: packet.detectMultiplier)
                guard window.accepts(sequence, after: rcvAuthSeq) else { return .sequenceOutOfWindow }
            }
            return digestMatches(section, raw: raw, length: Int(packet.length)) ? nil : .digestMismatch
        case .reserved:
            return .authTypeMismatch
        }
    }

    /// Called once the whole packet has passed every check.
    mutating func accept(_ packet: BFDControlPacket) {
        guard let sequence = packet.authentication?.sequenceNumber, key.type.hasSequenceNumber else { return }
        rcvAuthSeq = sequence
        authSeqKnown = true
    }

    /// §6.8.1: after two Detection Times without a packet the peer may have restarted with a new
    /// sequence number, so the next one is taken as is.
    mutating func forgetReceiveSequence() { authSeqKnown = false }

    private func digestMatches(_ section: BFDAuthentication, raw: UnsafeRawBufferPointer, length: Int) -> Bool {
        // Auth Type, Auth Len, Key ID, Reserved and Sequence Number precede the digest.
        let digestOffset = BFDControlPacket.mandatoryLength + 8
        let digestLength = key.type.digestLength
        guard length >= digestOffset + digestLength, raw.count >= length else { return false }
        var input = Array(raw[0..<length])
        for index in 0..<digestLength {
            input[digestOffset + index] = index < key.secret.count ? key.secret[index] : 0
        }
        let expected = Self.digest(key.type, input)
        let received = section.data
        guard received.count == expected.count else { return false }
        // Compare every byte so the time taken says nothing about where a forgery went wrong.
        var difference: UInt8 = 0
        for index in 0..<expected.count { difference |= expected[index] ^ received[index] }
        return difference == 0
    }

    static func digest(_ type: BFDAuthType, _ input: [UInt8]) -> [UInt8] { BFDAuthDigest.digest(type, over: input) }
}
