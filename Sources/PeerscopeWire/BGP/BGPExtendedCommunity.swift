/// One extended community (RFC 4360 §2), eight octets:
///
///     | type (8) | subtype (8) | value (48) |
///
/// The attribute (type 16) carries them as words; this type reads one word by its type and subtype
/// (names in `BGPExtendedCommunityType`) and builds the word back from a decoded value. Every word
/// decodes: a pair this file does not know is `.unknown` with its six value octets.
public struct BGPExtendedCommunity: Hashable, Sendable {
    public var raw: UInt64

    public init(raw: UInt64) { self.raw = raw }

    public var type: UInt8 { UInt8(truncatingIfNeeded: raw >> 56) }
    public var subtype: UInt8 { UInt8(truncatingIfNeeded: raw >> 48) }
    /// RFC 4360 §2: bit 0x40 of the type clear means transitive across ASes.
    public var isTransitive: Bool { type & 0x40 == 0 }

    /// The global administrator of the AS- and IPv4-specific forms (RFC 4360 §3.1–§3.2, RFC 5668 §2).
    public enum Administrator: Hashable, Sendable, CustomStringConvertible {
        /// 2-octet ASN, 4-octet local administrator.
        case as2(UInt16, local: UInt32)
        /// IPv4 address, 2-octet local administrator.
        case ipv4(IPv4Address, local: UInt16)
        /// 4-octet ASN, 2-octet local administrator.
        case as4(UInt32, local: UInt16)

        public var description: String {
            switch self {
            case .as2(let asn, let local): "\(asn):\(local)"
            case .ipv4(let address, let local): "\(address):\(local)"
            case .as4(let asn, let local): "\(asn):\(local)"
            }
        }
    }

    public enum Value: Hashable, Sendable {
        /// 0x0002 / 0x0102 / 0x0202 (RFC 4360 §4, RFC 5668).
        case routeTarget(Administrator)
        /// 0x0003 / 0x0103 / 0x0203.
        case routeOrigin(Administrator)
        /// 0x0005 / 0x0105 / 0x0205 (RFC 4577 §4.2.1).
        case ospfDomainID(Administrator)
        /// 0x0107: OSPF router ID (RFC 4577 §4.2.2), two octets reserved.
        case ospfRouterID(IPv4Address)
        /// 0x0306: area, route type, options (RFC 4577 §4.2.6).
        case ospfRouteType(area: IPv4Address, routeType: UInt8, options: UInt8)
        /// 0x4004: ASN and bandwidth in bytes per second as an IEEE float (draft-ietf-idr-link-bandwidth).
        case linkBandwidth(asn: UInt16, bytesPerSecond: Float)
        /// 0x030C: the tunnel type (RFC 9012 §4.1), four octets reserved.
        case encapsulation(tunnelType: UInt16)
        /// 0x030B: flags and color (RFC 9012 §4.3).
        case color(flags: UInt16, color: UInt32)
        /// 0x8006: flowspec traffic-rate in bytes per second (RFC 8955 §7.3).
        case trafficRate(asn: UInt16, bytesPerSecond: Float)
        /// 0x8007: the S (sample) and T (terminal) bits of the last octet (RFC 8955 §7.3).
        case trafficAction(sample: Bool, terminal: Bool)
        /// 0x8008 (AS2), 0x8108 (IPv4), 0x8208 (AS4): redirect to a VRF by route target (RFC 8955 §7.4).
        case redirect(Administrator)
        /// 0x8009: DSCP to set (RFC 8955 §7.5).
        case trafficMarking(dscp: UInt8)
        /// 0x0600: sticky flag and sequence number (RFC 7432 §7.7).
        case macMobility(sticky: Bool, sequence: UInt32)
        /// 0x0601: single-active flag and 24-bit label field (RFC 7432 §7.5).
        case esiLabel(singleActive: Bool, label: UInt32)
        /// 0x0602: ES-Import route target, a MAC address (RFC 7432 §7.6).
        case esImport(BGPMACAddress)
        /// 0x0603: the router's MAC (RFC 9135 §8.1).
        case routerMAC(BGPMACAddress)
        /// Any other type/subtype: the six value octets as one number.
        case unknown(type: UInt8, subtype: UInt8, value: UInt64)
    }

    public var value: Value {
        let body = raw & 0xFFFF_FFFF_FFFF
        let as2 = UInt16(truncatingIfNeeded: body >> 32), word = UInt32(truncatingIfNeeded: body)
        let wide = UInt32(truncatingIfNeeded: body >> 16), local = UInt16(truncatingIfNeeded: body)
        switch (type, subtype) {
        case (0x00, 0x02): return .routeTarget(.as2(as2, local: word))
        case (0x01, 0x02): return .routeTarget(.ipv4(IPv4Address(wide), local: local))
        case (0x02, 0x02): return .routeTarget(.as4(wide, local: local))
        case (0x00, 0x03): return .routeOrigin(.as2(as2, local: word))
        case (0x01, 0x03): return .routeOrigin(.ipv4(IPv4Address(wide), local: local))
        case (0x02, 0x03): return .routeOrigin(.as4(wide, local: local))
        case (0x00, 0x05): return .ospfDomainID(.as2(as2, local: word))
        case (0x01, 0x05): return .ospfDomainID(.ipv4(IPv4Address(wide), local: local))
        case (0x02, 0x05): return .ospfDomainID(.as4(wide, local: local))
        case (0x01, 0x07): return .ospfRouterID(IPv4Address(wide))
        case (0x03, 0x06):
            return .ospfRouteType(area: IPv4Address(wide), routeType: UInt8(truncatingIfNeeded: body >> 8),
                                  options: UInt8(truncatingIfNeeded: body))
        case (0x40, 0x04): return .linkBandwidth(asn: as2, bytesPerSecond: Float(bitPattern: word))
        case (0x03, 0x0C): return .encapsulation(tunnelType: local)
        case (0x03, 0x0B): return .color(flags: as2, color: word)
        case (0x80, 0x06): return .trafficRate(asn: as2, bytesPerSecond: Float(bitPattern: word))
        case (0x80, 0x07): return .trafficAction(sample: body & 0x02 != 0, terminal: body & 0x01 != 0)
        case (0x80, 0x08): return .redirect(.as2(as2, local: word))
        case (0x81, 0x08): return .redirect(.ipv4(IPv4Address(wide), local: local))
        case (0x82, 0x08): return .redirect(.as4(wide, local: local))
        case (0x80, 0x09): return .trafficMarking(dscp: UInt8(truncatingIfNeeded: body) & 0x3F)
        case (0x06, 0x00): return .macMobility(sticky: body >> 40 & 0x01 != 0, sequence: word)
        case (0x06, 0x01): return .esiLabel(singleActive: body >> 40 & 0x01 != 0, label: word & 0xFF_FFFF)
        case (0x06, 0x02): return .esImport(BGPMACAddress(body))
        case (0x06, 0x03): return .routerMAC(BGPMACAddress(body))
        default: return .unknown(type: type, subtype: subtype, value: body)
        }
    }

    /// Builds the word for a decoded value; reserved fields are zero (the RFCs' "MUST be set to zero").
    public init(_ value: Value) {
        func head(_ type: UInt8, _ subtype: UInt8) -> UInt64 { UInt64(type) << 56 | UInt64(subtype) << 48 }
        func admin(_ subtype: UInt8, _ administrator: Administrator, base: UInt8 = 0) -> UInt64 {
            switch administrator {
            case .as2(let asn, let local): head(base, subtype) | UInt64(asn) << 32 | UInt64(local)
            case .ipv4(let address, let local): head(base + 1, subtype) | UInt64(address.value) << 16 | UInt64(local)
            case .as4(let asn, let local): head(base + 2, subtype) | UInt64(asn) << 16 | UInt64(local)
            }
        }
        switch value {
        case .routeTarget(let administrator): raw = admin(0x02, administrator)
        case .routeOrigin(let administrator): raw = admin(0x03, administrator)
        case .ospfDomainID(let administrator): raw = admin(0x05, administrator)
        case .ospfRouterID(let address): raw = head(0x01, 0x07) | UInt64(address.value) << 16
        case .ospfRouteType(let area, let routeType, let options):
            raw = head(0x03, 0x06) | UInt64(area.value) << 16 | UInt64(routeType) << 8 | UInt64(options)
        case .linkBandwidth(let asn, let rate): raw = head(0x40, 0x04) | UInt64(asn) << 32 | UInt64(rate.bitPattern)
        case .encapsulation(let tunnelType): raw = head(0x03, 0x0C) | UInt64(tunnelType)
        case .color(let flags, let color): raw = head(0x03, 0x0B) | UInt64(flags) << 32 | UInt64(color)
        case .trafficRate(let asn, let rate): raw = head(0x80, 0x06) | UInt64(asn) << 32 | UInt64(rate.bitPattern)
        case .trafficAction(let sample, let terminal):
            raw = head(0x80, 0x07) | (sample ? 0x02 : 0) | (terminal ? 0x01 : 0)
        case .redirect(let administrator): raw = admin(0x08, administrator, base: 0x80)
        case .trafficMarking(let dscp): raw = head(0x80, 0x09) | UInt64(dscp & 0x3F)
        case .macMobility(let sticky, let sequence):
            raw = head(0x06, 0x00) | (sticky ? 1 << 40 : 0) | UInt64(sequence)
        case .esiLabel(let singleActive, let label):
            raw = head(0x06, 0x01) | (singleActive ? 1 << 40 : 0) | UInt64(label & 0xFF_FFFF)
        case .esImport(let mac): raw = head(0x06, 0x02) | mac.value
        case .routerMAC(let mac): raw = head(0x06, 0x03) | mac.value
        case .unknown(let type, let subtype, let body): raw = head(type, subtype) | body & 0xFFFF_FFFF_FFFF
        }
    }
}

/// A 48-bit MAC address as EVPN communities carry it.
public struct BGPMACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six octets in the low 48 bits, first octet highest.
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    public var description: String {
        (0..<6).map { index in
            let octet = UInt8(truncatingIfNeeded: value >> UInt64(40 - 8 * index))
            return (octet < 16 ? "0" : "") + String(octet, radix: 16)
        }.joined(separator: ":")
    }
}
