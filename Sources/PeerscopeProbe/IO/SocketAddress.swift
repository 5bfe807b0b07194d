import CPeerscopeSocket
import PeerscopeWire

/// An IP address and port, as a socket sees one end of a datagram or connection.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16
    /// IPv6 zone (interface index) for link-local addresses; 0 otherwise.
    public var scopeID: UInt32

    public init(_ address: IPAddress, port: UInt16, scopeID: UInt32 = 0) {
        self.address = address
        self.port = port
        self.scopeID = scopeID
    }

    /// `192.0.2.1:3784`, `[2001:db8::1]:3784`, `[fe80::1%2]:3784`.
    public var description: String {
        switch address {
        case .v4(let v4): "\(v4):\(port)"
        case .v6(let v6): scopeID == 0 ? "[\(v6)]:\(port)" : "[\(v6)%\(scopeID)]:\(port)"
        }
    }

    var family: Int32 { Int32(address.version) }

    var endpoint: ps_endpoint {
        var endpoint = ps_endpoint()
        endpoint.family = family
        endpoint.port = port
        endpoint.scope_id = scopeID
        withUnsafeMutableBytes(of: &endpoint.address) { raw in
            switch address {
            case .v4(let v4):
                raw.storeBytes(of: v4.value.bigEndian, as: UInt32.self)
            case .v6(let v6):
                raw.storeBytes(of: v6.high.bigEndian, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: v6.low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
        }
        return endpoint
    }

    /// `nil` for a family the C side did not fill in (no packet info). Reads the address where it
    /// lies: called twice for every received datagram, so it allocates nothing.
    init?(_ endpoint: ps_endpoint) {
        var copy = endpoint
        switch endpoint.family {
        case 4:
            let value = withUnsafeBytes(of: &copy.address) { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
            self.init(.v4(IPv4Address(value)), port: endpoint.port)
        case 6:
            let (high, low) = withUnsafeBytes(of: &copy.address) {
                (UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            self.init(.v6(IPv6Address(high: high, low: low)), port: endpoint.port, scopeID: endpoint.scope_id)
        default:
            return nil
        }
    }
}

extension IPAddress {
    /// The unspecified address of the same family (0.0.0.0 or ::), what a wildcard bind uses.
    public static func unspecified(version: Int) -> IPAddress {
        version == 4 ? .v4(IPv4Address(0)) : .v6(IPv6Address(high: 0, low: 0))
    }
}
