/// The optional attributes beyond RFC 4271 that peerscope decodes (the types in
/// `BGPAttributeType`'s table from 22 on): their values' decoding and encoding, kept apart from the
/// base attributes so that each RFC's layout lives next to its own checks.
extension BGPPathAttribute {
    /// Decodes types 22, 23, 25, 26, 29, 35, 40 and 128; any other type is kept raw. Inside an
    /// ATTR_SET (`nested`) a further ATTR_SET stays raw: RFC 6368 §5 does not nest them, and this
    /// bounds the recursion a crafted UPDATE could ask for.
    static func decodeOptional(type: UInt8, _ value: UnsafeRawBufferPointer, fourOctetAS: Bool,
                               addPath: Set<BGPAddressFamily>, offset: Int, nested: Bool) throws(WireError) -> Value {
        func bad() -> WireError { WireError(.bgp, .badAttributeLength(type: type, length: value.count), at: offset) }
        switch type {
        case 22:
            return .pmsiTunnel(try BGPPMSITunnel.decode(value, offset: offset))
        case 23:
            return .tunnelEncapsulation(try BGPTunnelEncapsulationTLV.decodeList(value, offset: offset))
        case 25:
            return .ipv6ExtendedCommunities(try BGPIPv6ExtendedCommunity.decodeList(value, type: type, offset: offset))
        case 26:
            // RFC 7311 §3: the AIGP TLV (type 1) carries an 8-octet metric.
            let tlvs = try BGPAttributeTLV.decodeList(value, layout: .aigp, attributeType: type, offset: offset)
            guard tlvs.allSatisfy({ $0.type != 1 || $0.value.count == 8 }) else { throw bad() }
            return .aigp(tlvs)
        case 29:
            return .linkState(try BGPAttributeTLV.decodeList(value, layout: .linkState, attributeType: type, offset: offset))
        case 35:
            // RFC 9234 §5: OTC is exactly four octets.
            guard value.count == 4 else { throw bad() }
            return .onlyToCustomer(ByteCursor(value).word32(at: 0))
        case 40:
            return .prefixSID(try BGPAttributeTLV.decodeList(value, layout: .prefixSID, attributeType: type, offset: offset))
        case 128 where !nested:
            guard value.count >= 4 else { throw bad() }
            let attributes = try decodeList(UnsafeRawBufferPointer(rebasing: value[4...]), fourOctetAS: fourOctetAS,
                                            addPath: addPath, offset: offset + 4, nested: true)
            return .attributeSet(originAS: ByteCursor(value).word32(at: 0), attributes: attributes)
        default:
            return .unknown(type: type, bytes: Array(value))
        }
    }

    /// Path attributes back to back (RFC 4271 §4.3), as ATTR_SET carries them (RFC 6368 §5).
    static func decodeList(_ bytes: UnsafeRawBufferPointer, fourOctetAS: Bool, addPath: Set<BGPAddressFamily>,
                           offset: Int, nested: Bool) throws(WireError) -> [BGPPathAttribute] {
        var cursor = ByteCursor(bytes)
        var list: [BGPPathAttribute] = []
        while cursor.remaining > 0 {
            let start = cursor.offset
            guard let flags = cursor.readUInt8(), let type = cursor.readUInt8(),
                  let length = flags & extendedLength != 0 ? cursor.readUInt16().map(Int.init) : cursor.readUInt8().map(Int.init)
            else { throw WireError(.bgp, .truncated(needed: 3, available: cursor.remaining), at: offset + start) }
            guard let value = cursor.readSlice(length) else {
                throw WireError(.bgp, .lengthBeyondData(declared: length, available: cursor.remaining), at: offset + start)
            }
            let decoded: Value = if type == 128 {
                try decodeOptional(type: type, value, fourOctetAS: fourOctetAS, addPath: addPath,
                                   offset: offset + start, nested: nested)
            } else {
                try decodeValue(type: type, value, fourOctetAS: fourOctetAS, addPath: addPath, offset: offset + start)
            }
            list.append(BGPPathAttribute(flags: flags, value: decoded))
        }
        return list
    }

    /// The value octets of the attributes `decodeOptional` reads; nil for the others.
    func encodeOptional(fourOctetAS: Bool) -> [UInt8]? {
        var value: [UInt8] = []
        switch self.value {
        case .pmsiTunnel(let tunnel): tunnel.encode(into: &value)
        case .tunnelEncapsulation(let tunnels): for tunnel in tunnels { tunnel.encode(into: &value) }
        case .ipv6ExtendedCommunities(let list): for community in list { community.encode(into: &value) }
        case .aigp(let tlvs): for tlv in tlvs { tlv.encode(into: &value, layout: .aigp) }
        case .linkState(let tlvs): for tlv in tlvs { tlv.encode(into: &value, layout: .linkState) }
        case .onlyToCustomer(let asn): value.appendUInt32(asn)
        case .prefixSID(let tlvs): for tlv in tlvs { tlv.encode(into: &value, layout: .prefixSID) }
        case .attributeSet(let originAS, let attributes):
            value.appendUInt32(originAS)
            for attribute in attributes { attribute.encode(into: &value, fourOctetAS: fourOctetAS) }
        default: return nil
        }
        return value
    }

    /// The AIGP metric (RFC 7311 §3, TLV type 1), when the attribute is AIGP and carries one.
    public var accumulatedIGPMetric: UInt64? {
        guard case .aigp(let tlvs) = value, let tlv = tlvs.first(where: { $0.type == 1 }), tlv.value.count == 8 else { return nil }
        return tlv.value.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
