/// A BMP message (RFC 7854 §4.1), TCP port 11019 from the monitored router to the collector:
///
///     | version (8) = 3 | message length (32), header included | message type (8) | body |
///
/// Types: 0 Route Monitoring, 1 Statistics Report, 2 Peer Down, 3 Peer Up, 4 Initiation,
/// 5 Termination, 6 Route Mirroring. The BGP PDUs inside are kept as their bytes and read by the
/// same BGP codec as everything else (`bgpMessage`), so a bad inner PDU is the BGP codec's error
/// and the BMP framing around it still decodes.
public enum BMPMessage: Hashable, Sendable {
    /// §4.6: the per-peer header, then one whole BGP UPDATE message.
    case routeMonitoring(BMPPerPeerHeader, bgpMessage: [UInt8])
    /// §4.8: the per-peer header, a count, then that many statistics TLVs.
    case statisticsReport(BMPPerPeerHeader, [BMPTLV])
    case peerDown(BMPPeerDown)
    case peerUp(BMPPeerUp)
    /// §4.3: information TLVs only.
    case initiation([BMPTLV])
    /// §4.5: information TLVs only.
    case termination([BMPTLV])
    /// §4.7: the per-peer header, then TLVs (type 0 a BGP message, type 1 information).
    case routeMirroring(BMPPerPeerHeader, [BMPTLV])
    case unknown(type: UInt8, body: [UInt8])

    public static let version: UInt8 = 3
    public static let headerLength = 6

    public var type: UInt8 {
        switch self {
        case .routeMonitoring: 0
        case .statisticsReport: 1
        case .peerDown: 2
        case .peerUp: 3
        case .initiation: 4
        case .termination: 5
        case .routeMirroring: 6
        case .unknown(let type, _): type
        }
    }

    public static func typeName(_ type: UInt8) -> String {
        switch type {
        case 0: "Route Monitoring"
        case 1: "Statistics Report"
        case 2: "Peer Down Notification"
        case 3: "Peer Up Notification"
        case 4: "Initiation Message"
        case 5: "Termination Message"
        case 6: "Route Mirroring"
        default: "type \(type)"
        }
    }

    public var peer: BMPPerPeerHeader? {
        switch self {
        case .routeMonitoring(let peer, _), .statisticsReport(let peer, _), .routeMirroring(let peer, _): peer
        case .peerDown(let down): down.peer
        case .peerUp(let up): up.peer
        case .initiation, .termination, .unknown: nil
        }
    }

    /// Decodes one whole message (`bytes` holds exactly the header's length).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> BMPMessage {
        let cursor = ByteCursor(bytes)
        guard bytes.count >= headerLength else {
            throw WireError(.bmp, .truncated(needed: headerLength, available: bytes.count), at: 0)
        }
        // RFC 7854 §4.1: version 3 (earlier drafts' versions 1 and 2 are not this format).
        guard cursor.byte(at: 0) == version else { throw WireError(.bmp, .badVersion(cursor.byte(at: 0)), at: 0) }
        let length = Int(cursor.word32(at: 1))
        guard length == bytes.count else {
            throw WireError(.bmp, .lengthBeyondData(declared: length, available: bytes.count), at: 1)
        }
        let type = cursor.byte(at: 5)
        let body = UnsafeRawBufferPointer(rebasing: bytes[headerLength...])
        let offset = headerLength
        switch type {
        case 0:
            let peer = try BMPPerPeerHeader.decode(ByteCursor(body), at: offset)
            return .routeMonitoring(peer, bgpMessage: Array(body[BMPPerPeerHeader.length...]))
        case 1:
            let peer = try BMPPerPeerHeader.decode(ByteCursor(body), at: offset)
            let countOffset = BMPPerPeerHeader.length
            guard body.count >= countOffset + 4 else {
                throw WireError(.bmp, .truncated(needed: countOffset + 4, available: body.count), at: offset + countOffset)
            }
            let count = Int(ByteCursor(body).word32(at: countOffset))
            let tlvs = try BMPTLV.decodeList(UnsafeRawBufferPointer(rebasing: body[(countOffset + 4)...]),
                                             offset: offset + countOffset + 4)
            // §4.8: the count says how many statistics follow.
            guard tlvs.count == count else {
                throw WireError(.bmp, .lengthBeyondData(declared: count, available: tlvs.count), at: offset + countOffset)
            }
            return .statisticsReport(peer, tlvs)
        case 2: return .peerDown(try BMPPeerDown.decode(body, offset: offset))
        case 3: return .peerUp(try BMPPeerUp.decode(body, offset: offset))
        case 4: return .initiation(try BMPTLV.decodeList(body, offset: offset))
        case 5: return .termination(try BMPTLV.decodeList(body, offset: offset))
        case 6:
            let peer = try BMPPerPeerHeader.decode(ByteCursor(body), at: offset)
            return .routeMirroring(peer, try BMPTLV.decodeList(UnsafeRawBufferPointer(rebasing: body[BMPPerPeerHeader.length...]),
                                                               offset: offset + BMPPerPeerHeader.length))
        default:
            return .unknown(type: type, body: Array(body))
        }
    }

    /// The whole message with its common header.
    public func encoded() -> [UInt8] {
        var body: [UInt8] = []
        switch self {
        case .routeMonitoring(let peer, let message):
            peer.encode(into: &body)
            body += message
        case .statisticsReport(let peer, let tlvs):
            peer.encode(into: &body)
            body.appendUInt32(UInt32(truncatingIfNeeded: tlvs.count))
            for tlv in tlvs { tlv.encode(into: &body) }
        case .peerDown(let down): down.encode(into: &body)
        case .peerUp(let up): up.encode(into: &body)
        case .initiation(let tlvs), .termination(let tlvs): for tlv in tlvs { tlv.encode(into: &body) }
        case .routeMirroring(let peer, let tlvs):
            peer.encode(into: &body)
            for tlv in tlvs { tlv.encode(into: &body) }
        case .unknown(_, let raw): body = raw
        }
        var bytes = [BMPMessage.version]
        bytes.appendUInt32(UInt32(truncatingIfNeeded: body.count + BMPMessage.headerLength))
        bytes.append(type)
        return bytes + body
    }

    /// The BGP message inside a Route Monitoring message, read by the BGP codec; 4-octet AS unless
    /// the per-peer header's A flag says 2 (RFC 7854 §4.2).
    public var bgpMessage: Result<BGPMessage, WireError>? {
        guard case .routeMonitoring(let peer, let message) = self else { return nil }
        return BMPMessage.decodeBGP(message, fourOctetAS: !peer.usesTwoOctetAS)
    }

    static func decodeBGP(_ bytes: [UInt8], fourOctetAS: Bool) -> Result<BGPMessage, WireError> {
        bytes.withUnsafeBytes { view in
            do throws(WireError) {
                let (header, message) = try BGPMessage.decode(view, options: BGPDecodingOptions(fourOctetAS: fourOctetAS))
                // The PDU fills what BMP framed for it (RFC 7854 §4.6).
                guard header.length == view.count else {
                    throw WireError(.bgp, .lengthBeyondData(declared: header.length, available: view.count), at: 16)
                }
                return .success(message)
            } catch {
                return .failure(error)
            }
        }
    }
}
