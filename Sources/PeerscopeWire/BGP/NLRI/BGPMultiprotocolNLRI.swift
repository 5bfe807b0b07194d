/// MP_REACH_NLRI (type 14) and MP_UNREACH_NLRI (type 15), RFC 4760 §3 and §4:
///
///     MP_REACH:   | AFI (16) | SAFI (8) | next hop length (8) | next hop | reserved (8) | NLRI |
///     MP_UNREACH: | AFI (16) | SAFI (8) | withdrawn routes |
extension BGPPathAttribute {
    static func decodeMultiprotocol(type: UInt8, _ value: UnsafeRawBufferPointer, addPath: Set<BGPAddressFamily>,
                                    multipleLabels: Set<BGPAddressFamily>, offset: Int) throws(WireError) -> Value {
        let cursor = ByteCursor(value)
        let reach = type == 14
        guard value.count >= (reach ? 5 : 3) else {
            throw WireError(.bgp, .badAttributeLength(type: type, length: value.count), at: offset)
        }
        let family = BGPAddressFamily(afi: cursor.word16(at: 0), safi: cursor.byte(at: 2))
        var start = 3
        var nextHop = BGPNextHop.none
        if reach {
            let nextHopLength = Int(cursor.byte(at: 3))
            guard value.count >= 5 + nextHopLength else {
                throw WireError(.bgp, .badAttributeLength(type: type, length: value.count), at: offset)
            }
            nextHop = BGPNextHop(UnsafeRawBufferPointer(rebasing: value[4..<(4 + nextHopLength)]), family: family)
            start = 5 + nextHopLength
        }
        let nlri = try BGPNLRI.decodeList(UnsafeRawBufferPointer(rebasing: value[start...]), family: family,
                                          addPath: addPath.contains(family),
                                          multipleLabels: multipleLabels.contains(family), offset: offset + start)
        return reach ? .mpReach(family: family, nextHop: nextHop, nlri: nlri) : .mpUnreach(family: family, nlri: nlri)
    }

    func encodeMultiprotocol(into value: inout [UInt8]) {
        switch self.value {
        case .mpReach(let family, let nextHop, let nlri):
            value.appendUInt16(family.afi)
            value.append(family.safi)
            let hop = nextHop.bytes
            value.append(UInt8(truncatingIfNeeded: hop.count))
            value += hop
            value.append(0)
            for route in nlri { route.encode(into: &value) }
        case .mpUnreach(let family, let nlri):
            value.appendUInt16(family.afi)
            value.append(family.safi)
            for route in nlri { route.encode(into: &value) }
        default: break
        }
    }
}
