/// One path attribute (RFC 4271 §4.3, §5): flags, type code, value. The types peerscope reports
/// are decoded; any other is kept raw with its flags (RFC 7606 treats them by flags).
public struct BGPPathAttribute: Hashable, Sendable {
    public var flags: UInt8
    public var value: Value

    public static let optional: UInt8 = 0x80
    public static let transitive: UInt8 = 0x40
    public static let partial: UInt8 = 0x20
    public static let extendedLength: UInt8 = 0x10

    public enum Value: Hashable, Sendable {
        case origin(UInt8)
        /// Segments of (type 1 AS_SET / 2 AS_SEQUENCE, ASNs), 2- or 4-octet per negotiation.
        case asPath([BGPASPathSegment])
        case nextHop(IPv4Address)
        case multiExitDisc(UInt32)
        case localPref(UInt32)
        case atomicAggregate
        case aggregator(asn: UInt32, address: IPv4Address)
        case communities([UInt32])
        case originatorID(IPv4Address)
        case clusterList([IPv4Address])
        /// RFC 4760 §3; NLRI typed per family (`BGPNLRI`), see `BGPMultiprotocolNLRI.swift`. Boxed:
        /// the typed next hop would otherwise make every attribute value (and its copies) larger.
        indirect case mpReach(family: BGPAddressFamily, nextHop: BGPNextHop, nlri: [BGPNLRI])
        indirect case mpUnreach(family: BGPAddressFamily, nlri: [BGPNLRI])
        case extendedCommunities([UInt64])
        case as4Path([BGPASPathSegment])
        case as4Aggregator(asn: UInt32, address: IPv4Address)
        case largeCommunities([BGPLargeCommunity])
        // The optional attributes of BGPPathAttribute+Optional.swift.
        case pmsiTunnel(BGPPMSITunnel)
        case tunnelEncapsulation([BGPTunnelEncapsulationTLV])
        case ipv6ExtendedCommunities([BGPIPv6ExtendedCommunity])
        case aigp([BGPAttributeTLV])
        case linkState([BGPAttributeTLV])
        case onlyToCustomer(UInt32)
        case prefixSID([BGPAttributeTLV])
        case attributeSet(originAS: UInt32, attributes: [BGPPathAttribute])
        case unknown(type: UInt8, bytes: [UInt8])
    }

    public init(flags: UInt8, value: Value) {
        self.flags = flags
        self.value = value
    }

    public var typeCode: UInt8 {
        switch value {
        case .origin: 1
        case .asPath: 2
        case .nextHop: 3
        case .multiExitDisc: 4
        case .localPref: 5
        case .atomicAggregate: 6
        case .aggregator: 7
        case .communities: 8
        case .originatorID: 9
        case .clusterList: 10
        case .mpReach: 14
        case .mpUnreach: 15
        case .extendedCommunities: 16
        case .as4Path: 17
        case .as4Aggregator: 18
        case .largeCommunities: 32
        case .pmsiTunnel: 22
        case .tunnelEncapsulation: 23
        case .ipv6ExtendedCommunities: 25
        case .aigp: 26
        case .linkState: 29
        case .onlyToCustomer: 35
        case .prefixSID: 40
        case .attributeSet: 128
        case .unknown(let type, _): type
        }
    }
}

public struct BGPASPathSegment: Hashable, Sendable {
    public var type: UInt8
    public var asns: [UInt32]

    public init(type: UInt8, asns: [UInt32]) {
        self.type = type
        self.asns = asns
    }
}

public struct BGPLargeCommunity: Hashable, Sendable, CustomStringConvertible {
    public var global: UInt32
    public var local1: UInt32
    public var local2: UInt32

    public init(_ global: UInt32, _ local1: UInt32, _ local2: UInt32) {
        self.global = global
        self.local1 = local1
        self.local2 = local2
    }

    public var description: String { "\(global):\(local1):\(local2)" }
}

extension BGPPathAttribute {
    /// Decodes one attribute's value; a length that does not fit its type is an error whose
    /// treatment (RFC 7606) the rules name.
    static func decodeValue(type: UInt8, _ value: UnsafeRawBufferPointer, fourOctetAS: Bool,
                            addPath: Set<BGPAddressFamily>, multipleLabels: Set<BGPAddressFamily> = [],
                            offset: Int) throws(WireError) -> Value {
        var cursor = ByteCursor(value)
        func bad() -> WireError { WireError(.bgp, .badAttributeLength(type: type, length: value.count), at: offset) }
        switch type {
        case 1:
            guard value.count == 1 else { throw bad() }
            return .origin(value[0])
        case 2, 17:
            let width = type == 17 || fourOctetAS ? 4 : 2
            var segments: [BGPASPathSegment] = []
            // Sized once, as the ASN lists below: appending one at a time reallocated each list
            // two or three times per UPDATE.
            segments.reserveCapacity(Self.segmentCount(value, width: width))
            while cursor.remaining > 0 {
                guard let segmentType = cursor.readUInt8(), let count = cursor.readUInt8(),
                      cursor.remaining >= Int(count) * width else { throw bad() }
                // The guard above keeps the `count` × `width` octets read here inside the value.
                let here = cursor
                let asns = [UInt32](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
                    for index in 0..<Int(count) {
                        buffer[index] = width == 4 ? here.word32(at: index * 4) : UInt32(here.word16(at: index * 2))
                    }
                    initialized = Int(count)
                }
                cursor.offset += Int(count) * width
                segments.append(BGPASPathSegment(type: segmentType, asns: asns))
            }
            return type == 2 ? .asPath(segments) : .as4Path(segments)
        case 3:
            guard value.count == 4 else { throw bad() }
            return .nextHop(IPv4Address(cursor.word32(at: 0)))
        case 4, 5:
            guard value.count == 4 else { throw bad() }
            return type == 4 ? .multiExitDisc(cursor.word32(at: 0)) : .localPref(cursor.word32(at: 0))
        case 6:
            guard value.isEmpty else { throw bad() }
            return .atomicAggregate
        case 7, 18:
            let width = type == 18 || fourOctetAS ? 4 : 2
            guard value.count == width + 4 else { throw bad() }
            let asn = width == 4 ? cursor.word32(at: 0) : UInt32(cursor.word16(at: 0))
            let address = IPv4Address(cursor.word32(at: width))
            return type == 7 ? .aggregator(asn: asn, address: address) : .as4Aggregator(asn: asn, address: address)
        case 8:
            guard value.count % 4 == 0 else { throw bad() }
            return .communities((0..<value.count / 4).map { cursor.word32(at: $0 * 4) })
        case 9:
            guard value.count == 4 else { throw bad() }
            return .originatorID(IPv4Address(cursor.word32(at: 0)))
        case 10:
            guard value.count % 4 == 0 else { throw bad() }
            return .clusterList((0..<value.count / 4).map { IPv4Address(cursor.word32(at: $0 * 4)) })
        case 14, 15:
            return try decodeMultiprotocol(type: type, value, addPath: addPath, multipleLabels: multipleLabels,
                                           offset: offset)
        case 16:
            guard value.count % 8 == 0 else { throw bad() }
            return .extendedCommunities((0..<value.count / 8).map { cursor.word64(at: $0 * 8) })
        case 32:
            guard value.count % 12 == 0 else { throw bad() }
            return .largeCommunities((0..<value.count / 12).map {
                BGPLargeCommunity(cursor.word32(at: $0 * 12), cursor.word32(at: $0 * 12 + 4), cursor.word32(at: $0 * 12 + 8))
            })
        default:
            return try decodeOptional(type: type, value, fourOctetAS: fourOctetAS, addPath: addPath, offset: offset,
                                      nested: false)
        }
    }

    /// How many AS_PATH segments (type, count, count × `width` octets; RFC 4271 §4.3) the value
    /// holds, counting a last one cut short (the decoder reports it). Only sizes the list.
    static func segmentCount(_ value: UnsafeRawBufferPointer, width: Int) -> Int {
        var count = 0
        var index = 0
        while index + 1 < value.count {
            count += 1
            index += 2 + Int(value[index + 1]) * width
        }
        return count
    }

    func encode(into bytes: inout [UInt8], fourOctetAS: Bool) {
        var value: [UInt8] = []
        switch self.value {
        case .origin(let origin): value.append(origin)
        case .asPath(let segments), .as4Path(let segments):
            let wide = fourOctetAS || typeCode == 17
            for segment in segments {
                value.append(segment.type)
                value.append(UInt8(segment.asns.count))
                for asn in segment.asns {
                    if wide { value.appendUInt32(asn) } else { value.appendUInt16(UInt16(truncatingIfNeeded: asn)) }
                }
            }
        case .nextHop(let address), .originatorID(let address): value.appendUInt32(address.value)
        case .multiExitDisc(let number), .localPref(let number): value.appendUInt32(number)
        case .atomicAggregate: break
        case .aggregator(let asn, let address), .as4Aggregator(let asn, let address):
            if fourOctetAS || typeCode == 18 { value.appendUInt32(asn) } else { value.appendUInt16(UInt16(truncatingIfNeeded: asn)) }
            value.appendUInt32(address.value)
        case .communities(let list): for community in list { value.appendUInt32(community) }
        case .clusterList(let list): for id in list { value.appendUInt32(id.value) }
        case .mpReach, .mpUnreach: encodeMultiprotocol(into: &value)
        case .extendedCommunities(let list): for community in list { value.appendUInt64(community) }
        case .largeCommunities(let list):
            for community in list {
                value.appendUInt32(community.global)
                value.appendUInt32(community.local1)
                value.appendUInt32(community.local2)
            }
        case .pmsiTunnel, .tunnelEncapsulation, .ipv6ExtendedCommunities, .aigp, .linkState, .onlyToCustomer,
             .prefixSID, .attributeSet:
            value = encodeOptional(fourOctetAS: fourOctetAS) ?? []
        case .unknown(_, let raw): value = raw
        }
        let extended = value.count > 255 || flags & Self.extendedLength != 0
        bytes.append(extended ? flags | Self.extendedLength : flags & ~Self.extendedLength)
        bytes.append(typeCode)
        if extended { bytes.appendUInt16(UInt16(value.count)) } else { bytes.append(UInt8(value.count)) }
        bytes += value
    }
}
