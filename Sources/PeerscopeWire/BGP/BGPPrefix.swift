/// An NLRI prefix (RFC 4271 §4.3, RFC 4760), with the path identifier of RFC 7911 when add-path
/// was negotiated for its family.
public struct BGPPrefix: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var length: UInt8
    public var pathID: UInt32?

    public init(address: IPAddress, length: UInt8, pathID: UInt32? = nil) {
        self.address = address
        self.length = length
        self.pathID = pathID
    }

    public var description: String {
        "\(address)/\(length)" + (pathID.map { " path \($0)" } ?? "")
    }

    /// One or two words into the hasher instead of an enum, a byte and an optional: route tables
    /// hash every announced and withdrawn prefix.
    public func hash(into hasher: inout Hasher) {
        switch address {
        case .v4(let v4): hasher.combine(UInt64(v4.value) << 32 | UInt64(length))
        case .v6(let v6):
            hasher.combine(v6.high)
            hasher.combine(v6.low)
            hasher.combine(length)
        }
        if let pathID { hasher.combine(pathID) }
    }

    /// The derived comparison, inlined into the route set's probes (it was a call per probe).
    @inline(__always)
    public static func == (lhs: BGPPrefix, rhs: BGPPrefix) -> Bool {
        lhs.address == rhs.address && lhs.length == rhs.length && lhs.pathID == rhs.pathID
    }

    /// Reads prefixes until the buffer ends; `afi` 1 for IPv4, 2 for IPv6.
    static func decodeList(_ bytes: UnsafeRawBufferPointer, afi: UInt16, addPath: Bool,
                           offset: Int) throws(WireError) -> [BGPPrefix] {
        try decodeList(bytes, afi: afi, addPath: addPath, offset: offset, as: { $0 })
    }

    /// The same, each prefix wrapped as it is read (`BGPNLRI.prefix` for MP_REACH), so no second
    /// array is built. One pass of plain index arithmetic over the bytes (no cursor, no slice per
    /// prefix): every announced and withdrawn prefix of a capture comes through here. The checks
    /// and their order are RFC 4271 §4.3 / RFC 7911 §3's layout: path identifier, length octet,
    /// ceil(length/8) octets; each guard below keeps every read inside `bytes`.
    @inline(__always)
    static func decodeList<Route>(_ bytes: UnsafeRawBufferPointer, afi: UInt16, addPath: Bool, offset: Int,
                                  as wrap: (BGPPrefix) -> Route) throws(WireError) -> [Route] {
        var prefixes: [Route] = []
        let end = bytes.count
        guard end > 0 else { return prefixes }
        // Sized once (a list of ten /24s grew through five buffers otherwise).
        prefixes.reserveCapacity(count(bytes, addPath: addPath))
        let v6 = afi == 2
        let maximum = v6 ? 128 : 32
        var index = 0
        while index < end {
            let start = index
            var pathID: UInt32?
            if addPath {
                guard end - index >= 4 else {
                    throw WireError(.bgp, .truncated(needed: 4, available: end - index), at: offset + start)
                }
                pathID = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
                index += 4
            }
            guard index < end else { throw WireError(.bgp, .truncated(needed: 1, available: 0), at: offset + start) }
            let length = bytes[index]
            index += 1
            guard Int(length) <= maximum else { throw WireError(.bgp, .badPrefixLength(Int(length)), at: offset + start) }
            let octets = (Int(length) + 7) >> 3
            guard end - index >= octets else {
                throw WireError(.bgp, .truncated(needed: octets, available: end - index), at: offset + start)
            }
            // Left-aligned into integers: no per-prefix buffer; missing octets are zero.
            let address: IPAddress
            if v6 {
                var high: UInt64 = 0, low: UInt64 = 0
                if end - index >= 16 || (octets <= 8 && end - index >= 8) {
                    // As for IPv4 below: whole words loaded where the list has the octets (the
                    // next tuple's beyond the prefix), the octets past the prefix masked off.
                    high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                        & Self.leadingOctets(Swift.min(octets, 8))
                    if octets > 8 {
                        low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
                            & Self.leadingOctets(octets - 8)
                    }
                } else {
                    for k in 0..<octets {
                        let byte = UInt64(bytes[index + k])
                        if k < 8 { high |= byte << (56 - 8 * k) } else { low |= byte << (56 - 8 * (k - 8)) }
                    }
                }
                address = .v6(IPv6Address(high: high, low: low))
            } else if end - index >= 4 {
                // Four octets are there (the next tuple's when the prefix is shorter): one
                // load, the octets beyond the prefix's masked off.
                let word = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
                address = .v4(IPv4Address(octets == 0 ? 0 : word & (~0 << (32 - 8 * octets))))
            } else {
                var value: UInt32 = 0
                for k in 0..<octets { value |= UInt32(bytes[index + k]) << (24 - 8 * k) }
                address = .v4(IPv4Address(value))
            }
            index += octets
            prefixes.append(wrap(BGPPrefix(address: address, length: length, pathID: pathID)))
        }
        return prefixes
    }

    /// A mask of the first `octets` (0–8) octets of a big-endian word.
    @inline(__always)
    static func leadingOctets(_ octets: Int) -> UInt64 { octets == 0 ? 0 : ~0 << (64 - 8 * octets) }

    /// How many prefixes `bytes` holds (path identifier, length octet, ceil(length/8) octets each),
    /// counting a last one cut short; the decoder reports that one. Only sizes the list.
    @inline(__always)
    static func count(_ bytes: UnsafeRawBufferPointer, addPath: Bool) -> Int {
        var count = 0
        var index = addPath ? 4 : 0
        while index < bytes.count {
            count += 1
            index += (Int(bytes[index]) + 7) / 8 + (addPath ? 5 : 1)
        }
        return count
    }

    func encode(into bytes: inout [UInt8]) {
        if let pathID { bytes.appendUInt32(pathID) }
        bytes.append(length)
        bytes += address.bytes.prefix((Int(length) + 7) / 8)
    }
}
