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

    /// `nil` for a family the C side did not fill in (no packet info).
    init?(_ endpoint: ps_endpoint) {
        var copy = endpoint
        let bytes = withUnsafeBytes(of: &copy.address) { Array($0) }
        switch endpoint.family {
        case 4:
            let value = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            self.init(.v4(IPv4Address(value)), port: endpoint.port)
        case 6:
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
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
