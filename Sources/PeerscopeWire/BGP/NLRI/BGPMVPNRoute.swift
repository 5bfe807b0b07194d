/// MCAST-VPN NLRI (SAFI 5, RFC 6514 §4):
///
///     | route type (8) | length (8) | route type specific |
///
///     1 Intra-AS I-PMSI A-D: RD (8) | originating router IP (4/16)
///     2 Inter-AS I-PMSI A-D: RD | source AS (4)
///     3 S-PMSI A-D:          RD | source length (1) | source | group length (1) | group | originating router IP
///     4 Leaf A-D:            route key (a type 1 or 3 route, with its own type and length) | originating router IP
///     5 Source Active A-D:   RD | source length | source | group length | group
///     6, 7 C-multicast:      RD | source AS (4) | source length | source | group length | group
///
/// Lengths of sources, groups and routers are in bits (0, 32 or 128); the address family of an
/// originating router follows from the bytes left. Unknown types are kept raw.
public struct BGPMVPNRoute: Hashable, Sendable, CustomStringConvertible {
    public var routeType: UInt8
    public var routeDistinguisher: BGPRouteDistinguisher?
    public var sourceAS: UInt32?
    public var source: IPAddress?
    public var group: IPAddress?
    public var originator: IPAddress?
    /// Type 4's route key (the whole NLRI of the route it answers); other types: undecoded bytes.
    public var raw: [UInt8]
    public var pathID: UInt32?

    public init(routeType: UInt8, routeDistinguisher: BGPRouteDistinguisher? = nil, sourceAS: UInt32? = nil,
                source: IPAddress? = nil, group: IPAddress? = nil, originator: IPAddress? = nil, raw: [UInt8] = [],
                pathID: UInt32? = nil) {
        self.routeType = routeType
        self.routeDistinguisher = routeDistinguisher
        self.sourceAS = sourceAS
        self.source = source
        self.group = group
        self.originator = originator
        self.raw = raw
        self.pathID = pathID
    }

    /// tshark's `bgp.mcast_vpn_nlri_t` names.
    public static func typeName(_ type: UInt8) -> String {
        switch type {
        case 1: "Intra-AS I-PMSI A-D route"
        case 2: "Inter-AS I-PMSI A-D route"
        case 3: "S-PMSI A-D route"
        case 4: "Leaf A-D route"
        case 5: "Source Active A-D route"
        case 6: "Shared Tree Join route"
        case 7: "Source Tree Join route"
        default: "Unknown route type \(type)"
        }
    }

    public var description: String {
        var parts = ["MVPN type \(routeType) (\(Self.typeName(routeType)))"]
        if let routeDistinguisher { parts.append("RD \(routeDistinguisher)") }
        if let sourceAS { parts.append("AS \(sourceAS)") }
        if routeType == 3 || routeType >= 5 && routeType <= 7 {
            parts.append("(\(source.map(String.init(describing:)) ?? "*"), \(group.map(String.init(describing:)) ?? "*"))")
        }
        if let originator { parts.append("originator \(originator)") }
        if !raw.isEmpty { parts.append(routeType == 4 ? "route key \(raw.count) bytes" : "\(raw.count) bytes not decoded") }
        return parts.joined(separator: " ") + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, pathID: UInt32?) throws(WireError) -> BGPMVPNRoute {
        let type = try reader.u8()
        let length = Int(try reader.u8())
        let start = reader.offset
        var body = try reader.sub(length)
        // Takes the reader rather than capturing `body`, which the helpers below borrow inout.
        func bad(_ reader: NLRIReader) -> WireError { WireError(.bgp, .lengthBeyondData(declared: length, available: reader.remaining), at: start) }
        func sized(_ body: inout NLRIReader) throws(WireError) -> IPAddress? {
            let bits = Int(try body.u8())
            guard bits % 8 == 0 else { throw bad(body) }
            return try body.address(byteCount: bits / 8)
        }
        func router(_ body: inout NLRIReader) throws(WireError) -> IPAddress {
            guard body.remaining == 4 || body.remaining == 16, let address = try body.address(byteCount: body.remaining)
            else { throw bad(body) }
            return address
        }
        var route = BGPMVPNRoute(routeType: type, pathID: pathID)
        switch type {
        case 1:
            route.routeDistinguisher = .init(rawValue: try body.u64())
            route.originator = try router(&body)
        case 2:
            route.routeDistinguisher = .init(rawValue: try body.u64())
            route.sourceAS = try body.u32()
            guard body.remaining == 0 else { throw bad(body) }
        case 3, 5:
            route.routeDistinguisher = .init(rawValue: try body.u64())
            route.source = try sized(&body)
            route.group = try sized(&body)
            if type == 3 { route.originator = try router(&body) } else if body.remaining != 0 { throw bad(body) }
        case 4:
            // RFC 6514 §4.4: the route key is the NLRI of the route it answers (type, length, value).
            guard body.remaining >= 2 else { throw bad(body) }
            let keyLength = 2 + Int(body.cursor.byte(at: 1))
            route.raw = try body.bytes(keyLength)
            route.originator = try router(&body)
        case 6, 7:
            route.routeDistinguisher = .init(rawValue: try body.u64())
            route.sourceAS = try body.u32()
            route.source = try sized(&body)
            route.group = try sized(&body)
            guard body.remaining == 0 else { throw bad(body) }
        default:
            route.raw = try body.bytes(length)
        }
        return route
    }

    /// The route type specific length octet as this route encodes (RFC 6514 §4).
    public var length: Int {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes.count - 2
    }

    func encode(into bytes: inout [UInt8]) {
        var body: [UInt8] = []
        func sized(_ address: IPAddress?) {
            let raw = address?.bytes ?? []
            body.append(UInt8(truncatingIfNeeded: raw.count * 8))
            body += raw
        }
        if routeType == 4 { body += raw } else if let routeDistinguisher { body.appendUInt64(routeDistinguisher.rawValue) }
        switch routeType {
        case 1, 4: body += originator?.bytes ?? []
        case 2: body.appendUInt32(sourceAS ?? 0)
        case 3, 5:
            sized(source)
            sized(group)
            if routeType == 3 { body += originator?.bytes ?? [] }
        case 6, 7:
            body.appendUInt32(sourceAS ?? 0)
            sized(source)
            sized(group)
        default: body = raw
        }
        bytes.append(routeType)
        bytes.append(UInt8(truncatingIfNeeded: body.count))
        bytes += body
    }
}
