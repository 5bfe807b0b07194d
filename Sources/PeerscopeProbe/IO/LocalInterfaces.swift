import CPeerscopeSocket
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#endif

/// One address configured on a local interface, with its prefix: a directly connected network.
public struct LocalInterface: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var index: UInt32
    public var address: IPAddress
    public var prefixLength: Int
    public var isUp: Bool
    public var isLoopback: Bool

    public init(name: String, index: UInt32, address: IPAddress, prefixLength: Int, isUp: Bool = true,
                isLoopback: Bool = false) {
        self.name = name
        self.index = index
        self.address = address
        self.prefixLength = prefixLength
        self.isUp = isUp
        self.isLoopback = isLoopback
    }

    /// True when `other` lies in this address's prefix (same family).
    public func contains(_ other: IPAddress) -> Bool {
        switch (address, other) {
        case (.v4(let mine), .v4(let theirs)):
            let mask = Self.mask32(prefixLength)
            return mine.value & mask == theirs.value & mask
        case (.v6(let mine), .v6(let theirs)):
            let (high, low) = Self.mask128(prefixLength)
            return mine.high & high == theirs.high & high && mine.low & low == theirs.low & low
        default:
            return false
        }
    }

    /// The IPv4 directed broadcast of this prefix; `nil` for IPv6 and for /31 and /32, which have none
    /// (RFC 3021).
    public var subnetBroadcast: IPv4Address? {
        guard case .v4(let mine) = address, prefixLength <= 30 else { return nil }
        return IPv4Address(mine.value | ~Self.mask32(prefixLength))
    }

    /// `lo 127.0.0.1/8`.
    public var description: String { "\(name) \(address)/\(prefixLength)" }

    static func mask32(_ length: Int) -> UInt32 {
        length <= 0 ? 0 : length >= 32 ? .max : ~(UInt32.max >> UInt32(length))
    }

    static func mask128(_ length: Int) -> (UInt64, UInt64) {
        func mask64(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        return (mask64(length), mask64(length - 64))
    }
}

/// The addresses configured on this network namespace's interfaces (getifaddrs).
public enum LocalInterfaces {
    public static func current() throws(SocketError) -> [LocalInterface] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else { throw SocketError("getifaddrs", code: errno) }
        defer { freeifaddrs(head) }
        var result: [LocalInterface] = []
        var cursor = head
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let addressPointer = entry.pointee.ifa_addr, let maskPointer = entry.pointee.ifa_netmask
            else { continue }
            var endpoint = ps_endpoint()
            var maskEndpoint = ps_endpoint()
            guard ps_sockaddr_to_endpoint(addressPointer, &endpoint) == 0,
                  ps_sockaddr_to_endpoint(maskPointer, &maskEndpoint) == 0,
                  let address = SocketAddress(endpoint)
            else { continue }
            maskEndpoint.family = endpoint.family
            let prefixLength = withUnsafeBytes(of: &maskEndpoint.address) { raw in
                raw.prefix(endpoint.family == 4 ? 4 : 16).reduce(0) { $0 + $1.nonzeroBitCount }
            }
            let name = String(cString: entry.pointee.ifa_name)
            let flags = Int32(bitPattern: entry.pointee.ifa_flags)
            result.append(LocalInterface(
                name: name, index: if_nametoindex(name), address: address.address, prefixLength: prefixLength,
                isUp: flags & Int32(IFF_UP) != 0, isLoopback: flags & Int32(IFF_LOOPBACK) != 0))
        }
        return result
    }
}
