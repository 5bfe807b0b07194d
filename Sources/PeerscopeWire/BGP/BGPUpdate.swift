/// BGP UPDATE (RFC 4271 §4.3):
///
///     | withdrawn routes length (16) | withdrawn routes | total path attribute length (16) |
///     | path attributes | NLRI (the rest) |
public struct BGPUpdate: Hashable, Sendable {
    public var withdrawn: [BGPPrefix]
    public var attributes: [BGPPathAttribute]
    public var announced: [BGPPrefix]

    public init(withdrawn: [BGPPrefix] = [], attributes: [BGPPathAttribute] = [], announced: [BGPPrefix] = []) {
        self.withdrawn = withdrawn
        self.attributes = attributes
        self.announced = announced
    }

    /// An UPDATE with no routes and no attributes is the IPv4 unicast End-of-RIB (RFC 4724 §2); one
    /// with only an empty MP_UNREACH is the End-of-RIB of that family.
    public var endOfRIB: BGPAddressFamily? {
        if withdrawn.isEmpty, attributes.isEmpty, announced.isEmpty { return .ipv4Unicast }
        if withdrawn.isEmpty, announced.isEmpty, attributes.count == 1,
           case .mpUnreach(let family, let nlri) = attributes[0].value, nlri.isEmpty {
            return family
        }
        return nil
    }

    public static func decode(_ body: UnsafeRawBufferPointer, options: BGPDecodingOptions = BGPDecodingOptions())
        throws(WireError) -> BGPUpdate
    {
        var cursor = ByteCursor(body)
        guard let withdrawnLength = cursor.readUInt16().map(Int.init) else {
            throw WireError(.bgp, .truncated(needed: 2, available: body.count), at: 0)
        }
        guard let withdrawnBytes = cursor.readSlice(withdrawnLength) else {
            throw WireError(.bgp, .lengthBeyondData(declared: withdrawnLength, available: cursor.remaining), at: 0)
        }
        let v4AddPath = options.addPath.contains(.ipv4Unicast)
        let withdrawn = try BGPPrefix.decodeList(withdrawnBytes, afi: 1, addPath: v4AddPath, offset: 2)
        let attributesStart = cursor.offset
        guard let attributesLength = cursor.readUInt16().map(Int.init) else {
            throw WireError(.bgp, .truncated(needed: 2, available: cursor.remaining), at: attributesStart)
        }
        guard let attributeBytes = cursor.readSlice(attributesLength) else {
            throw WireError(.bgp, .lengthBeyondData(declared: attributesLength, available: cursor.remaining),
                            at: attributesStart)
        }
        var attributes: [BGPPathAttribute] = []
        // Sized once: growing the array one attribute at a time reallocated it three or four times
        // per UPDATE.
        attributes.reserveCapacity(Self.attributeCount(attributeBytes))
        var attributeCursor = ByteCursor(attributeBytes)
        while attributeCursor.remaining > 0 {
            let start = attributeCursor.offset
            guard let flags = attributeCursor.readUInt8(), let type = attributeCursor.readUInt8(),
                  let length = flags & BGPPathAttribute.extendedLength != 0
                    ? attributeCursor.readUInt16().map(Int.init) : attributeCursor.readUInt8().map(Int.init)
            else {
                throw WireError(.bgp, .truncated(needed: 3, available: attributeCursor.remaining),
                                at: attributesStart + 2 + start)
            }
            guard let value = attributeCursor.readSlice(length) else {
                throw WireError(.bgp, .lengthBeyondData(declared: length, available: attributeCursor.remaining),
                                at: attributesStart + 2 + start)
            }
            let decoded = try BGPPathAttribute.decodeValue(type: type, value, fourOctetAS: options.fourOctetAS,
                                                           addPath: options.addPath, multipleLabels: options.multipleLabels,
                                                           offset: attributesStart + 2 + start)
            attributes.append(BGPPathAttribute(flags: flags, value: decoded))
        }
        let nlriOffset = cursor.offset
        let announced = try BGPPrefix.decodeList(cursor.rest, afi: 1, addPath: v4AddPath, offset: nlriOffset)
        return BGPUpdate(withdrawn: withdrawn, attributes: attributes, announced: announced)
    }

    /// How many attribute headers the Path Attributes field holds (RFC 4271 §4.3: flags, type, a
    /// length of one octet, two with Extended Length), counting the last even when its value runs
    /// past the end; the decoder reports that one. Only sizes the array.
    static func attributeCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var index = 0
        while index < bytes.count {
            count += 1
            let extended = bytes[index] & BGPPathAttribute.extendedLength != 0
            let header = extended ? 4 : 3
            guard bytes.count - index >= header else { break }
            let length = extended ? Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]) : Int(bytes[index + 2])
            index += header + length
        }
        return count
    }

    public func encode(into bytes: inout [UInt8], fourOctetAS: Bool = true) {
        var withdrawnBytes: [UInt8] = []
        for prefix in withdrawn { prefix.encode(into: &withdrawnBytes) }
        var attributeBytes: [UInt8] = []
        for attribute in attributes { attribute.encode(into: &attributeBytes, fourOctetAS: fourOctetAS) }
        bytes.appendUInt16(UInt16(withdrawnBytes.count))
        bytes += withdrawnBytes
        bytes.appendUInt16(UInt16(attributeBytes.count))
        bytes += attributeBytes
        for prefix in announced { prefix.encode(into: &bytes) }
    }
}

/// What the decoder must know from the session to read UPDATEs (negotiated in the OPENs).
public struct BGPDecodingOptions: Hashable, Sendable {
    /// Both ends announced the 4-octet AS capability (RFC 6793): AS_PATH carries 4-byte ASNs.
    public var fourOctetAS: Bool
    /// Families with add-path receive negotiated (RFC 7911): NLRI carry path identifiers.
    public var addPath: Set<BGPAddressFamily>
    /// Both ends announced Extended Message (RFC 8654): lengths up to 65535.
    public var extendedMessage: Bool
    /// Families for which the Multiple Labels capability (RFC 8277 §2.1, code 8) lets NLRI carry a
    /// label stack; elsewhere labeled NLRI carry exactly one label.
    public var multipleLabels: Set<BGPAddressFamily>

    public init(fourOctetAS: Bool = true, addPath: Set<BGPAddressFamily> = [], extendedMessage: Bool = false,
                multipleLabels: Set<BGPAddressFamily> = []) {
        self.fourOctetAS = fourOctetAS
        self.addPath = addPath
        self.extendedMessage = extendedMessage
        self.multipleLabels = multipleLabels
    }
}

/// A whole BGP message.
public enum BGPMessage: Hashable, Sendable {
    case open(BGPOpen)
    case update(BGPUpdate)
    case notification(BGPNotification)
    case keepalive
    /// RFC 2918 / RFC 7313: AFI, subtype (0 request, 1 BoRR, 2 EoRR), SAFI.
    case routeRefresh(family: BGPAddressFamily, subtype: UInt8)
    case unknown(type: UInt8, body: [UInt8])

    /// Decodes one message (`bytes` starts at the marker and holds at least the header's length).
    public static func decode(_ bytes: UnsafeRawBufferPointer, options: BGPDecodingOptions = BGPDecodingOptions())
        throws(WireError) -> (BGPHeader, BGPMessage)
    {
        var cursor = ByteCursor(bytes)
        let header = try BGPHeader.decode(&cursor)
        let limit = options.extendedMessage ? BGPHeader.extendedMaximumLength : BGPHeader.maximumLength
        guard header.length <= limit else {
            throw WireError(.bgp, .lengthBeyondData(declared: header.length, available: limit), at: 16)
        }
        guard header.length <= bytes.count else {
            throw WireError(.bgp, .truncated(needed: header.length, available: bytes.count), at: 0)
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[BGPHeader.length..<header.length])
        switch header.type {
        case .open: return (header, .open(try BGPOpen.decode(body)))
        case .update: return (header, .update(try BGPUpdate.decode(body, options: options)))
        case .notification: return (header, .notification(try BGPNotification.decode(body)))
        case .keepalive:
            guard body.isEmpty else {
                throw WireError(.bgp, .lengthBeyondData(declared: header.length, available: BGPHeader.length), at: 16)
            }
            return (header, .keepalive)
        case .routeRefresh:
            guard body.count == 4 else {
                throw WireError(.bgp, .truncated(needed: 4, available: body.count), at: BGPHeader.length)
            }
            let afi = UInt16(body[0]) << 8 | UInt16(body[1])
            return (header, .routeRefresh(family: BGPAddressFamily(afi: afi, safi: body[3]), subtype: body[2]))
        case .unknown(let type):
            return (header, .unknown(type: type, body: Array(body)))
        }
    }

    public var type: BGPMessageType {
        switch self {
        case .open: .open
        case .update: .update
        case .notification: .notification
        case .keepalive: .keepalive
        case .routeRefresh: .routeRefresh
        case .unknown(let type, _): .unknown(type)
        }
    }

    /// The whole message with its header, lengths computed.
    public func encoded(fourOctetAS: Bool = true) -> [UInt8] {
        var body: [UInt8] = []
        switch self {
        case .open(let open): open.encode(into: &body)
        case .update(let update): update.encode(into: &body, fourOctetAS: fourOctetAS)
        case .notification(let notification): notification.encode(into: &body)
        case .keepalive: break
        case .routeRefresh(let family, let subtype):
            body.appendUInt16(family.afi)
            body.append(subtype)
            body.append(family.safi)
        case .unknown(_, let raw): body = raw
        }
        var bytes: [UInt8] = []
        BGPHeader(length: BGPHeader.length + body.count, type: type).encode(into: &bytes)
        return bytes + body
    }
}
