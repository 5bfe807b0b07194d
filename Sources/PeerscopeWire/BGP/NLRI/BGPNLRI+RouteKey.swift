/// The part of a route that names it in an Adj-RIB-In: an announcement replaces, and a withdrawal
/// removes, the route with the same key. Labels are never part of it (RFC 8277 §2.4: a withdrawal
/// carries 0x800000 in place of the label stack); per family:
/// - L3VPN: RD + prefix (RFC 4364 §4.1); labeled unicast: the prefix;
/// - EVPN type 1: RD, ESI, Ethernet tag (RFC 7432 §7.1); type 2: RD, tag, MAC, IP — not the ESI
///   (§7.2); type 5: RD, tag, prefix (RFC 9136 §3.2); types 3 and 4 as sent (no label inside);
/// - VPLS: RD, VE ID and block offset (RFC 4761 §3.2.2: the label base and size are attributes of it);
/// - flowspec: the whole rule (RFC 8955 §4); the others: the NLRI as sent.
/// The path identifier stays (RFC 7911 §3: it tells paths apart).
extension BGPNLRI {
    public var routeKey: BGPNLRI {
        switch self {
        case .labeled(var route):
            route.labels = []
            return .labeled(route)
        case .evpn(var route):
            switch route.route {
            case .ethernetAD(let rd, let esi, let tag, _):
                route.route = .ethernetAD(rd: rd, esi: esi, ethernetTag: tag, label: BGPLabel(rawValue: 0))
            case .macIP(let rd, _, let tag, let mac, let ip, _, _):
                route.route = .macIP(rd: rd, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: tag, mac: mac, ip: ip,
                                     label1: BGPLabel(rawValue: 0), label2: nil)
            case .ipPrefix(let rd, _, let tag, let prefix, let length, _, _):
                route.route = .ipPrefix(rd: rd, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: tag, prefix: prefix,
                                        length: length, gateway: .v4(IPv4Address(0)), label: BGPLabel(rawValue: 0))
            case .inclusiveMulticast, .ethernetSegment, .unknown: break
            }
            return .evpn(route)
        case .vpls(var route):
            route.blockSize = 0
            route.labelBase = BGPLabel(rawValue: 0)
            return .vpls(route)
        case .prefix, .mvpn, .mdt, .routeTarget, .flowSpec, .linkState, .undecoded:
            return self
        }
    }
}
