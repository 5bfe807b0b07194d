/// BGP-LS NLRI (AFI 16388 / SAFI 71, and 72 with an RD; RFC 9552 §5.2):
///
///     | NLRI type (16) | total length (16) | [RD (8), SAFI 72] | protocol ID (8) | identifier (64) |
///     | descriptor TLVs: type (16) | length (16) | value |
///
/// Types 1 node (local node descriptors, TLV 256), 2 link (256, remote node 257, link descriptors
/// 258–263), 3 IPv4 and 4 IPv6 topology prefix (256, prefix descriptors 263–265). Node descriptor
/// TLVs carry sub-TLVs (512 AS, 513 BGP-LS ID, 514 OSPF area, 515 IGP router ID). Other NLRI types
/// (SRv6 SID, RFC 9514) are kept raw.
public struct BGPLinkStateNLRI: Hashable, Sendable, CustomStringConvertible {
    public var nlriType: UInt16
    public var routeDistinguisher: BGPRouteDistinguisher?
    public var protocolID: UInt8
    public var identifier: UInt64
    public var descriptors: [BGPLinkStateTLV]
    /// The body of an NLRI type this codec does not decode.
    public var raw: [UInt8]?
    public var pathID: UInt32?

    public init(nlriType: UInt16, routeDistinguisher: BGPRouteDistinguisher? = nil, protocolID: UInt8,
                identifier: UInt64, descriptors: [BGPLinkStateTLV], raw: [UInt8]? = nil, pathID: UInt32? = nil) {
        self.nlriType = nlriType
        self.routeDistinguisher = routeDistinguisher
        self.protocolID = protocolID
        self.identifier = identifier
        self.descriptors = descriptors
        self.raw = raw
        self.pathID = pathID
    }

    /// tshark's `bgp.ls.nlri_type` names.
    public static func typeName(_ type: UInt16) -> String {
        switch type {
        case 1: "Node NLRI"
        case 2: "Link NLRI"
        case 3: "IPv4 Topology Prefix NLRI"
        case 4: "IPv6 Topology Prefix NLRI"
        default: "Unknown NLRI type \(type)"
        }
    }

    /// RFC 9552 §5.2 Table 2 (Protocol-ID).
    public static func protocolName(_ id: UInt8) -> String {
        switch id {
        case 1: "IS-IS Level 1"
        case 2: "IS-IS Level 2"
        case 3: "OSPFv2"
        case 4: "Direct"
        case 5: "Static configuration"
        case 6: "OSPFv3"
        case 7: "BGP"
        default: "protocol \(id)"
        }
    }

    public var description: String {
        var text = "BGP-LS \(Self.typeName(nlriType))"
        if let routeDistinguisher { text += " RD \(routeDistinguisher)" }
        if let raw { return text + " \(raw.count) bytes not decoded" }
        text += " \(Self.protocolName(protocolID)) id \(identifier)"
        for tlv in descriptors { text += " \(tlv)" }
        return text + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, vpn: Bool, pathID: UInt32?) throws(WireError) -> BGPLinkStateNLRI {
        let type = try reader.u16()
        let length = Int(try reader.u16())
        var body = try reader.sub(length)
        let rd = vpn ? BGPRouteDistinguisher(rawValue: try body.u64()) : nil
        guard (1...4).contains(type) else {
            return BGPLinkStateNLRI(nlriType: type, routeDistinguisher: rd, protocolID: 0, identifier: 0, descriptors: [],
                                    raw: try body.bytes(body.remaining), pathID: pathID)
        }
        let protocolID = try body.u8()
        let identifier = try body.u64()
        let descriptors = try BGPLinkStateTLV.readList(&body)
        return BGPLinkStateNLRI(nlriType: type, routeDistinguisher: rd, protocolID: protocolID, identifier: identifier,
                                descriptors: descriptors, pathID: pathID)
    }

    func encode(into bytes: inout [UInt8]) {
        var body: [UInt8] = []
        if let routeDistinguisher { body.appendUInt64(routeDistinguisher.rawValue) }
        if let raw {
            body += raw
        } else {
            body.append(protocolID)
            body.appendUInt64(identifier)
            for tlv in descriptors { tlv.encode(into: &body) }
        }
        bytes.appendUInt16(nlriType)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: body.count))
        bytes += body
    }
}

/// One BGP-LS TLV (RFC 9552 §5.1): type (16), length (16), value; node descriptors (256, 257)
/// hold sub-TLVs, read on demand by `subTLVs`.
public struct BGPLinkStateTLV: Hashable, Sendable, CustomStringConvertible {
    public var type: UInt16
    public var value: [UInt8]

    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    static func readList(_ reader: inout NLRIReader) throws(WireError) -> [BGPLinkStateTLV] {
        var list: [BGPLinkStateTLV] = []
        while reader.remaining > 0 {
            let type = try reader.u16()
            let length = Int(try reader.u16())
            list.append(BGPLinkStateTLV(type: type, value: try reader.bytes(length)))
        }
        return list
    }

    /// The sub-TLVs of a node descriptor TLV (256, 257); nil for other types or bad lengths.
    public var subTLVs: [BGPLinkStateTLV]? {
        guard type == 256 || type == 257 else { return nil }
        return value.withUnsafeBytes { raw -> [BGPLinkStateTLV]? in
            var reader = NLRIReader(raw, base: 0)
            do throws(WireError) { return try Self.readList(&reader) } catch { return nil }
        }
    }

    /// The IANA name (`BGPLinkStateTLVType`, one table with the attribute's TLVs).
    public static func name(_ type: UInt16) -> String { BGPLinkStateTLVType.name(type) }

    public var description: String {
        if let subTLVs { return "\(Self.name(type)) [" + subTLVs.map(\.description).joined(separator: ", ") + "]" }
        let hex = value.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        switch (type, value.count) {
        case (259, 4), (260, 4), (514, 4), (515, 4), (512, 4), (513, 4):
            let word = value.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return "\(Self.name(type)) " + (type == 512 || type == 513 ? "\(word)" : "\(IPv4Address(word))")
        default:
            return "\(Self.name(type)) \(hex)"
        }
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt16(type)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: value.count))
        bytes += value
    }
}
