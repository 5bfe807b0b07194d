/// VPLS NLRI (AFI 25 / SAFI 65, RFC 4761 §3.2.2):
///
///     | length (16) = 17 | RD (8) | VE ID (2) | VE block offset (2) | VE block size (2) | label base (3) |
public struct BGPVPLSRoute: Hashable, Sendable, CustomStringConvertible {
    public var routeDistinguisher: BGPRouteDistinguisher
    public var veID: UInt16
    public var blockOffset: UInt16
    public var blockSize: UInt16
    public var labelBase: BGPLabel
    public var pathID: UInt32?

    public init(routeDistinguisher: BGPRouteDistinguisher, veID: UInt16, blockOffset: UInt16, blockSize: UInt16,
                labelBase: BGPLabel, pathID: UInt32? = nil) {
        self.routeDistinguisher = routeDistinguisher
        self.veID = veID
        self.blockOffset = blockOffset
        self.blockSize = blockSize
        self.labelBase = labelBase
        self.pathID = pathID
    }

    public var description: String {
        "RD \(routeDistinguisher) VE \(veID) offset \(blockOffset) size \(blockSize) label base \(labelBase.label)"
            + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, pathID: UInt32?) throws(WireError) -> BGPVPLSRoute {
        let start = reader.offset
        let length = Int(try reader.u16())
        guard length == 17 else { throw WireError(.bgp, .lengthBeyondData(declared: length, available: 17), at: start) }
        var body = try reader.sub(length)
        return BGPVPLSRoute(routeDistinguisher: .init(rawValue: try body.u64()), veID: try body.u16(),
                            blockOffset: try body.u16(), blockSize: try body.u16(),
                            labelBase: BGPLabel(rawValue: try body.u24()), pathID: pathID)
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt16(17)
        bytes.appendUInt64(routeDistinguisher.rawValue)
        bytes.appendUInt16(veID)
        bytes.appendUInt16(blockOffset)
        bytes.appendUInt16(blockSize)
        labelBase.encode(into: &bytes)
    }
}
