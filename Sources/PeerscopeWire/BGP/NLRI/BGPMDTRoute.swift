/// MDT SAFI NLRI (SAFI 66, RFC 6037 §7.2; IPv4 only in practice):
///
///     | length in bits (8) = 128 | RD (8) | originating router IPv4 (4) | MDT group IPv4 (4) |
public struct BGPMDTRoute: Hashable, Sendable, CustomStringConvertible {
    public var routeDistinguisher: BGPRouteDistinguisher
    public var originator: IPv4Address
    public var group: IPv4Address
    public var pathID: UInt32?

    public init(routeDistinguisher: BGPRouteDistinguisher, originator: IPv4Address, group: IPv4Address,
                pathID: UInt32? = nil) {
        self.routeDistinguisher = routeDistinguisher
        self.originator = originator
        self.group = group
        self.pathID = pathID
    }

    public var description: String {
        "RD \(routeDistinguisher) \(originator) group \(group)" + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, pathID: UInt32?) throws(WireError) -> BGPMDTRoute {
        let start = reader.offset
        let bits = Int(try reader.u8())
        guard bits == 128 else { throw WireError(.bgp, .badPrefixLength(bits), at: start) }
        return BGPMDTRoute(routeDistinguisher: .init(rawValue: try reader.u64()), originator: IPv4Address(try reader.u32()),
                           group: IPv4Address(try reader.u32()), pathID: pathID)
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(128)
        bytes.appendUInt64(routeDistinguisher.rawValue)
        bytes.appendUInt32(originator.value)
        bytes.appendUInt32(group.value)
    }
}
