/// EVPN NLRI (AFI 25 / SAFI 70, RFC 7432 §7; type 5 from RFC 9136 §3):
///
///     | route type (8) | length (8) | route type specific |
///
///     1 Ethernet A-D:        RD (8) | ESI (10) | Ethernet tag (4) | MPLS label (3)
///     2 MAC/IP advertisement: RD | ESI | tag | MAC length (1) | MAC (6) | IP length (1) | IP (0/4/16)
///                            | MPLS label 1 (3) | MPLS label 2 (0/3)
///     3 Inclusive multicast: RD | tag | IP length (1) | originating router IP (4/16)
///     4 Ethernet segment:    RD | ESI | IP length (1) | originating router IP (4/16)
///     5 IP prefix:           RD | ESI | tag | prefix length (1) | prefix (4/16) | gateway (4/16) | label (3)
///
/// Other route types (RFC 9251 and later) are kept raw: known length, not decoded, never an error.
public struct BGPEVPNRoute: Hashable, Sendable, CustomStringConvertible {
    public var routeType: UInt8
    public var route: Route
    public var pathID: UInt32?

    public enum Route: Hashable, Sendable {
        case ethernetAD(rd: BGPRouteDistinguisher, esi: BGPEthernetSegmentID, ethernetTag: UInt32, label: BGPLabel)
        case macIP(rd: BGPRouteDistinguisher, esi: BGPEthernetSegmentID, ethernetTag: UInt32, mac: [UInt8],
                   ip: IPAddress?, label1: BGPLabel, label2: BGPLabel?)
        case inclusiveMulticast(rd: BGPRouteDistinguisher, ethernetTag: UInt32, originator: IPAddress)
        case ethernetSegment(rd: BGPRouteDistinguisher, esi: BGPEthernetSegmentID, originator: IPAddress)
        case ipPrefix(rd: BGPRouteDistinguisher, esi: BGPEthernetSegmentID, ethernetTag: UInt32,
                      prefix: IPAddress, length: UInt8, gateway: IPAddress, label: BGPLabel)
        case unknown([UInt8])
    }

    public init(routeType: UInt8, route: Route, pathID: UInt32? = nil) {
        self.routeType = routeType
        self.route = route
        self.pathID = pathID
    }

    /// tshark's `bgp.evpn.nlri.rt` names.
    public static func typeName(_ type: UInt8) -> String {
        switch type {
        case 1: "Ethernet AD Route"
        case 2: "MAC Advertisement Route"
        case 3: "Inclusive Multicast Route"
        case 4: "Ethernet Segment Route"
        case 5: "IP Prefix route"
        case 6: "Selective Multicast Ethernet Tag Route"
        case 7: "IGMP Join Synch Route"
        case 8: "IGMP Leave Synch Route"
        case 10: "S-PMSI A-D Route"
        default: "Unknown route type \(type)"
        }
    }

    public var description: String {
        let body: String
        switch route {
        case .ethernetAD(let rd, let esi, let tag, let label):
            body = "RD \(rd) ESI \(esi) tag \(tag) label \(label.label)"
        case .macIP(let rd, let esi, let tag, let mac, let ip, let label1, let label2):
            body = "RD \(rd) ESI \(esi) tag \(tag) MAC \(Self.mac(mac))" + (ip.map { " IP \($0)" } ?? "")
                + " label \(label1.label)" + (label2.map { ",\($0.label)" } ?? "")
        case .inclusiveMulticast(let rd, let tag, let originator):
            body = "RD \(rd) tag \(tag) originator \(originator)"
        case .ethernetSegment(let rd, let esi, let originator):
            body = "RD \(rd) ESI \(esi) originator \(originator)"
        case .ipPrefix(let rd, let esi, let tag, let prefix, let length, let gateway, let label):
            body = "RD \(rd) ESI \(esi) tag \(tag) \(prefix)/\(length) gateway \(gateway) label \(label.label)"
        case .unknown(let raw):
            body = "\(raw.count) bytes not decoded"
        }
        return "EVPN type \(routeType) (\(Self.typeName(routeType))) \(body)" + (pathID.map { " path \($0)" } ?? "")
    }

    /// "52:54:00:12:34:56".
    public static func mac(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }

    static func decode(_ reader: inout NLRIReader, pathID: UInt32?) throws(WireError) -> BGPEVPNRoute {
        let type = try reader.u8()
        let length = Int(try reader.u8())
        let start = reader.offset
        var body = try reader.sub(length)
        // Takes the reader rather than capturing `body`, which the helpers below borrow inout.
        func bad(_ reader: NLRIReader) -> WireError { WireError(.bgp, .lengthBeyondData(declared: length, available: reader.remaining), at: start) }
        let route: Route
        switch type {
        case 1:
            guard length == 25 else { throw bad(body) }
            route = .ethernetAD(rd: .init(rawValue: try body.u64()), esi: try .read(&body), ethernetTag: try body.u32(),
                                label: BGPLabel(rawValue: try body.u24()))
        case 2:
            let rd = BGPRouteDistinguisher(rawValue: try body.u64())
            let esi = try BGPEthernetSegmentID.read(&body)
            let tag = try body.u32()
            // RFC 7432 §7.2: the MAC Address Length is 48 bits.
            guard try body.u8() == 48 else { throw bad(body) }
            let mac = try body.bytes(6)
            let ipBits = Int(try body.u8())
            guard ipBits == 0 || ipBits == 32 || ipBits == 128 else { throw bad(body) }
            let ip = try body.address(byteCount: ipBits / 8)
            let label1 = BGPLabel(rawValue: try body.u24())
            var label2: BGPLabel?
            if body.remaining == 3 { label2 = BGPLabel(rawValue: try body.u24()) }
            guard body.remaining == 0 else { throw bad(body) }
            route = .macIP(rd: rd, esi: esi, ethernetTag: tag, mac: mac, ip: ip, label1: label1, label2: label2)
        case 3, 4:
            let rd = BGPRouteDistinguisher(rawValue: try body.u64())
            let esi = type == 4 ? try BGPEthernetSegmentID.read(&body) : nil
            let tag = type == 3 ? try body.u32() : 0
            let ipBits = Int(try body.u8())
            guard ipBits == 32 || ipBits == 128, body.remaining == ipBits / 8,
                  let originator = try body.address(byteCount: ipBits / 8) else { throw bad(body) }
            route = if let esi { .ethernetSegment(rd: rd, esi: esi, originator: originator) }
                    else { .inclusiveMulticast(rd: rd, ethernetTag: tag, originator: originator) }
        case 5:
            // RFC 9136 §3.1: 34 bytes for IPv4, 58 for IPv6; the length tells the version.
            guard length == 34 || length == 58 else { throw bad(body) }
            let width = length == 34 ? 4 : 16
            let rd = BGPRouteDistinguisher(rawValue: try body.u64())
            let esi = try BGPEthernetSegmentID.read(&body)
            let tag = try body.u32()
            let bits = try body.u8()
            guard Int(bits) <= width * 8, let prefix = try body.address(byteCount: width),
                  let gateway = try body.address(byteCount: width) else { throw bad(body) }
            route = .ipPrefix(rd: rd, esi: esi, ethernetTag: tag, prefix: prefix, length: bits, gateway: gateway,
                              label: BGPLabel(rawValue: try body.u24()))
        default:
            route = .unknown(try body.bytes(length))
        }
        return BGPEVPNRoute(routeType: type, route: route, pathID: pathID)
    }

    func encode(into bytes: inout [UInt8]) {
        var body: [UInt8] = []
        switch route {
        case .ethernetAD(let rd, let esi, let tag, let label):
            body.appendUInt64(rd.rawValue); body += esi.bytes; body.appendUInt32(tag); label.encode(into: &body)
        case .macIP(let rd, let esi, let tag, let mac, let ip, let label1, let label2):
            body.appendUInt64(rd.rawValue); body += esi.bytes; body.appendUInt32(tag)
            body.append(48); body += mac
            body.append(UInt8(truncatingIfNeeded: (ip?.bytes.count ?? 0) * 8)); body += ip?.bytes ?? []
            label1.encode(into: &body); label2?.encode(into: &body)
        case .inclusiveMulticast(let rd, let tag, let originator):
            body.appendUInt64(rd.rawValue); body.appendUInt32(tag)
            body.append(UInt8(truncatingIfNeeded: originator.bytes.count * 8)); body += originator.bytes
        case .ethernetSegment(let rd, let esi, let originator):
            body.appendUInt64(rd.rawValue); body += esi.bytes
            body.append(UInt8(truncatingIfNeeded: originator.bytes.count * 8)); body += originator.bytes
        case .ipPrefix(let rd, let esi, let tag, let prefix, let length, let gateway, let label):
            body.appendUInt64(rd.rawValue); body += esi.bytes; body.appendUInt32(tag)
            body.append(length); body += prefix.bytes; body += gateway.bytes; label.encode(into: &body)
        case .unknown(let raw): body = raw
        }
        bytes.append(routeType)
        bytes.append(UInt8(truncatingIfNeeded: body.count))
        bytes += body
    }
}

/// An Ethernet Segment Identifier (RFC 7432 §5): type (1) and value (9). Types 0 (arbitrary),
/// 1 (LACP: system MAC, port key), 2 (bridged LAN: root MAC, priority), 3 (MAC, local
/// discriminator), 4 (router ID, local discriminator), 5 (AS, local discriminator).
public struct BGPEthernetSegmentID: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = Array(bytes.prefix(10)) + Array(repeating: 0, count: max(0, 10 - bytes.count)) }

    public var type: UInt8 { bytes[0] }
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    static func read(_ reader: inout NLRIReader) throws(WireError) -> BGPEthernetSegmentID {
        BGPEthernetSegmentID(bytes: try reader.bytes(10))
    }

    private func word(_ from: Int, _ count: Int) -> UInt64 {
        bytes[from..<(from + count)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String {
        let hex = bytes[1...].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
        switch type {
        case 1: return "type 1 LACP system \(BGPEVPNRoute.mac(Array(bytes[1..<7]))) port key \(word(7, 2))"
        case 2: return "type 2 root bridge \(BGPEVPNRoute.mac(Array(bytes[1..<7]))) priority \(word(7, 2))"
        case 3: return "type 3 MAC \(BGPEVPNRoute.mac(Array(bytes[1..<7]))) discriminator \(word(7, 3))"
        case 4: return "type 4 router \(IPv4Address(UInt32(word(1, 4)))) discriminator \(word(5, 4))"
        case 5: return "type 5 AS \(word(1, 4)) discriminator \(word(5, 4))"
        default: return isZero ? "0" : "type \(type) \(hex)"
        }
    }
}
