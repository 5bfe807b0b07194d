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
    /// array is built.
    @inline(__always)
    static func decodeList<Route>(_ bytes: UnsafeRawBufferPointer, afi: UInt16, addPath: Bool, offset: Int,
                                  as wrap: (BGPPrefix) -> Route) throws(WireError) -> [Route] {
        var cursor = ByteCursor(bytes)
        var prefixes: [Route] = []
        // Sized once (a list of ten /24s grew through five buffers otherwise).
        prefixes.reserveCapacity(count(bytes, addPath: addPath))
        let maximum = afi == 2 ? 128 : 32
        while cursor.remaining > 0 {
            let start = cursor.offset
            var pathID: UInt32?
            if addPath {
                guard let id = cursor.readUInt32() else {
                    throw WireError(.bgp, .truncated(needed: 4, available: cursor.remaining), at: offset + start)
                }
                pathID = id
            }
            guard let length = cursor.readUInt8() else {
                throw WireError(.bgp, .truncated(needed: 1, available: 0), at: offset + start)
            }
            guard Int(length) <= maximum else { throw WireError(.bgp, .badPrefixLength(Int(length)), at: offset + start) }
            let octets = (Int(length) + 7) / 8
            guard let raw = cursor.readSlice(octets) else {
                throw WireError(.bgp, .truncated(needed: octets, available: cursor.remaining), at: offset + start)
            }
            // Left-aligned into integers: no per-prefix buffer.
            let address = IPAddress(prefixBytes: raw, v6: afi == 2)
            prefixes.append(wrap(BGPPrefix(address: address, length: length, pathID: pathID)))
        }
        return prefixes
    }

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
