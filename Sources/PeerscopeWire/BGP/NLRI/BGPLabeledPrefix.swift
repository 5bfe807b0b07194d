/// Labeled unicast NLRI (SAFI 4, RFC 8277 §2) and, with a route distinguisher, the L3VPN NLRI
/// (SAFI 128/129, RFC 4364 §4.3.4, RFC 4659 §3.2):
///
///     | path ID (32, add-path) | length in bits (8) | label stack (24 each) | RD (64, VPN) | prefix |
///
/// The length counts the labels and the RD too, so a reader that forgets them invents prefixes
/// (the "6PE read as IPv6 unicast" bug).
public struct BGPLabeledPrefix: Hashable, Sendable, CustomStringConvertible {
    public var labels: [BGPLabel]
    public var routeDistinguisher: BGPRouteDistinguisher?
    public var address: IPAddress
    /// Prefix length in bits, labels and RD excluded.
    public var length: UInt8
    public var pathID: UInt32?

    public init(labels: [BGPLabel], routeDistinguisher: BGPRouteDistinguisher? = nil, address: IPAddress,
                length: UInt8, pathID: UInt32? = nil) {
        self.labels = labels
        self.routeDistinguisher = routeDistinguisher
        self.address = address
        self.length = length
        self.pathID = pathID
    }

    public var prefix: BGPPrefix { BGPPrefix(address: address, length: length, pathID: pathID) }

    public var description: String {
        (routeDistinguisher.map { "RD \($0) " } ?? "") + "\(address)/\(length)"
            + " label " + labels.map { String($0.label) }.joined(separator: ",")
            + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, v6: Bool, vpn: Bool, multipleLabels: Bool,
                       pathID: UInt32?) throws(WireError) -> BGPLabeledPrefix {
        let start = reader.offset
        let totalBits = Int(try reader.u8())
        let labels = try BGPLabel.readStack(&reader, multiple: multipleLabels, bitsAvailable: totalBits)
        var bits = totalBits - 24 * labels.count
        var rd: BGPRouteDistinguisher?
        if vpn {
            // RFC 4364 §4.3.4: the RD is part of the prefix length, so it must fit.
            guard bits >= 64 else { throw WireError(.bgp, .badPrefixLength(totalBits), at: start) }
            rd = BGPRouteDistinguisher(rawValue: try reader.u64())
            bits -= 64
        }
        guard bits <= (v6 ? 128 : 32) else { throw WireError(.bgp, .badPrefixLength(totalBits), at: start) }
        let address = try reader.prefix(bits: bits, v6: v6)
        return BGPLabeledPrefix(labels: labels, routeDistinguisher: rd, address: address, length: UInt8(bits),
                                pathID: pathID)
    }

    func encode(into bytes: inout [UInt8]) {
        let bits = 24 * labels.count + (routeDistinguisher == nil ? 0 : 64) + Int(length)
        bytes.append(UInt8(truncatingIfNeeded: bits))
        for label in labels { label.encode(into: &bytes) }
        if let routeDistinguisher { bytes.appendUInt64(routeDistinguisher.rawValue) }
        bytes += address.prefixBytes(bits: Int(length))
    }
}
