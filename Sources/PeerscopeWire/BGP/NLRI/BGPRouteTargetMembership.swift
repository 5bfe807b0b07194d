/// Route Target membership NLRI (AFI 1 / SAFI 132, RFC 4684 §4):
///
///     | length in bits (8): 0, or 32–96 | origin AS (32) | route target prefix (0–64 bits) |
///
/// Length 0 is the default route target (RFC 4684 §4: "all route targets"), not an error.
public struct BGPRouteTargetMembership: Hashable, Sendable, CustomStringConvertible {
    /// nil for the zero-length default.
    public var originAS: UInt32?
    /// The route target's extended community, left-aligned, `length − 32` bits significant.
    public var routeTarget: UInt64
    public var length: UInt8
    public var pathID: UInt32?

    public init(originAS: UInt32?, routeTarget: UInt64, length: UInt8, pathID: UInt32? = nil) {
        self.originAS = originAS
        self.routeTarget = routeTarget
        self.length = length
        self.pathID = pathID
    }

    public static let defaultRoute = BGPRouteTargetMembership(originAS: nil, routeTarget: 0, length: 0)

    public var description: String {
        guard let originAS else { return "default route target" + (pathID.map { " path \($0)" } ?? "") }
        return "origin AS \(originAS) RT 0x\(String(routeTarget, radix: 16))/\(Int(length) - 32)"
            + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, pathID: UInt32?) throws(WireError) -> BGPRouteTargetMembership {
        let start = reader.offset
        let bits = Int(try reader.u8())
        if bits == 0 { return BGPRouteTargetMembership(originAS: nil, routeTarget: 0, length: 0, pathID: pathID) }
        // RFC 4684 §4: 32 bits of origin AS then 0–64 bits of route target.
        guard bits >= 32, bits <= 96 else { throw WireError(.bgp, .badPrefixLength(bits), at: start) }
        let origin = try reader.u32()
        let raw = try reader.slice((bits - 32 + 7) / 8)
        var target: UInt64 = 0
        for index in 0..<8 { target = target << 8 | UInt64(index < raw.count ? raw[index] : 0) }
        return BGPRouteTargetMembership(originAS: origin, routeTarget: target, length: UInt8(bits), pathID: pathID)
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(length)
        guard let originAS else { return }
        bytes.appendUInt32(originAS)
        var target: [UInt8] = []
        target.appendUInt64(routeTarget)
        bytes += target.prefix((Int(length) - 32 + 7) / 8)
    }
}
