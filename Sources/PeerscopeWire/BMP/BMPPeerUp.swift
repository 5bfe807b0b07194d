/// Peer Up Notification (RFC 7854 §4.10), after the per-peer header:
///
///     | local address (128) | local port (16) | remote port (16) |
///     | sent OPEN message (a whole BGP message) | received OPEN message | information TLVs |
///
/// The local address is IPv4 in the last four octets when the peer's is (the V flag). The OPENs are
/// kept as their bytes and decoded by the BGP codec (`sentOpen`, `receivedOpen`).
public struct BMPPeerUp: Hashable, Sendable {
    public var peer: BMPPerPeerHeader
    public var localAddress: IPAddress
    public var localPort: UInt16
    public var remotePort: UInt16
    public var sentOpenMessage: [UInt8]
    public var receivedOpenMessage: [UInt8]
    public var information: [BMPTLV]

    public init(peer: BMPPerPeerHeader, localAddress: IPAddress, localPort: UInt16, remotePort: UInt16,
                sentOpenMessage: [UInt8], receivedOpenMessage: [UInt8], information: [BMPTLV] = []) {
        self.peer = peer
        self.localAddress = localAddress
        self.localPort = localPort
        self.remotePort = remotePort
        self.sentOpenMessage = sentOpenMessage
        self.receivedOpenMessage = receivedOpenMessage
        self.information = information
    }

    public var sentOpen: Result<BGPMessage, WireError> { BMPMessage.decodeBGP(sentOpenMessage, fourOctetAS: true) }
    public var receivedOpen: Result<BGPMessage, WireError> { BMPMessage.decodeBGP(receivedOpenMessage, fourOctetAS: true) }

    static func decode(_ body: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> BMPPeerUp {
        var cursor = ByteCursor(body)
        let peer = try BMPPerPeerHeader.decode(cursor, at: offset)
        cursor.offset = BMPPerPeerHeader.length
        guard cursor.remaining >= 20 else {
            throw WireError(.bmp, .truncated(needed: 20, available: cursor.remaining), at: offset + cursor.offset)
        }
        // ByteCursor's `word…(at:)` count from the cursor's offset.
        let localAddress: IPAddress = peer.isIPv6
            ? .v6(IPv6Address(high: cursor.word64(at: 0), low: cursor.word64(at: 8)))
            : .v4(IPv4Address(cursor.word32(at: 12)))
        let localPort = cursor.word16(at: 16), remotePort = cursor.word16(at: 18)
        cursor.offset += 20
        let sent = try bgpMessage(&cursor, offset: offset)
        let received = try bgpMessage(&cursor, offset: offset)
        let information = try BMPTLV.decodeList(cursor.rest, offset: offset + cursor.offset)
        return BMPPeerUp(peer: peer, localAddress: localAddress, localPort: localPort, remotePort: remotePort,
                         sentOpenMessage: sent, receivedOpenMessage: received, information: information)
    }

    /// One whole BGP message, its length from its own header (RFC 4271 §4.1).
    private static func bgpMessage(_ cursor: inout ByteCursor, offset: Int) throws(WireError) -> [UInt8] {
        guard cursor.remaining >= BGPHeader.length else {
            throw WireError(.bmp, .truncated(needed: BGPHeader.length, available: cursor.remaining), at: offset + cursor.offset)
        }
        let length = Int(cursor.word16(at: 16))
        guard length >= BGPHeader.length, let message = cursor.readSlice(length) else {
            throw WireError(.bmp, .lengthBeyondData(declared: length, available: cursor.remaining), at: offset + cursor.offset)
        }
        return Array(message)
    }

    func encode(into bytes: inout [UInt8]) {
        var peer = self.peer
        if case .v6 = localAddress { peer.flags |= 0x80 }
        peer.encode(into: &bytes)
        BMPPerPeerHeader.encode(localAddress, into: &bytes)
        bytes.appendUInt16(localPort)
        bytes.appendUInt16(remotePort)
        bytes += sentOpenMessage
        bytes += receivedOpenMessage
        for tlv in information { tlv.encode(into: &bytes) }
    }
}

/// Peer Down Notification (RFC 7854 §4.9): the per-peer header, a reason and its data.
/// Reasons: 1 local system closed, NOTIFICATION follows; 2 local system closed, FSM event code
/// (16 bits) follows; 3 remote system closed, NOTIFICATION follows; 4 remote closed without one;
/// 5 peer de-configured (RFC 9069).
public struct BMPPeerDown: Hashable, Sendable {
    public var peer: BMPPerPeerHeader
    public var reason: UInt8
    public var data: [UInt8]

    public init(peer: BMPPerPeerHeader, reason: UInt8, data: [UInt8] = []) {
        self.peer = peer
        self.reason = reason
        self.data = data
    }

    public var reasonName: String {
        switch reason {
        case 1: "Local system closed, NOTIFICATION PDU follows"
        case 2: "Local system closed, FSM Event follows"
        case 3: "Remote system closed, NOTIFICATION PDU follows"
        case 4: "Remote system closed, no data"
        case 5: "Peer de-configured"
        default: "reason \(reason)"
        }
    }

    /// The NOTIFICATION of reasons 1 and 3, decoded by the BGP codec.
    public var notification: Result<BGPMessage, WireError>? {
        reason == 1 || reason == 3 ? BMPMessage.decodeBGP(data, fourOctetAS: true) : nil
    }

    static func decode(_ body: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> BMPPeerDown {
        let cursor = ByteCursor(body)
        let peer = try BMPPerPeerHeader.decode(cursor, at: offset)
        guard body.count > BMPPerPeerHeader.length else {
            throw WireError(.bmp, .truncated(needed: BMPPerPeerHeader.length + 1, available: body.count), at: offset)
        }
        let reason = cursor.byte(at: BMPPerPeerHeader.length)
        let data = Array(body[(BMPPerPeerHeader.length + 1)...])
        // RFC 7854 §4.9: reason 2 carries exactly the 2-octet FSM event code.
        if reason == 2, data.count != 2 {
            throw WireError(.bmp, .lengthBeyondData(declared: 2, available: data.count), at: offset + BMPPerPeerHeader.length + 1)
        }
        return BMPPeerDown(peer: peer, reason: reason, data: data)
    }

    func encode(into bytes: inout [UInt8]) {
        peer.encode(into: &bytes)
        bytes.append(reason)
        bytes += data
    }
}
