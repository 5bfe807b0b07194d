/// The next hop of MP_REACH_NLRI (RFC 4760 §3), read by its length and family:
///
///     0            none (flowspec, RFC 8955 §4; RT-constraint may send one or not)
///     4 / 16       an IPv4 or IPv6 address (IPv4 routes over IPv6 too, RFC 8950)
///     32           IPv6 global + link-local (RFC 2545 §3)
///     12 / 24      VPN: RD (always 0, RFC 4364 §4.3.2) + IPv4 or IPv6 (RFC 4659 §3.2.1)
///     48           VPN: RD + IPv6 global + RD + IPv6 link-local
///
/// Any other length is kept raw, never an error: the next hop's meaning belongs to the rules.
public enum BGPNextHop: Hashable, Sendable, CustomStringConvertible {
    case none
    case address(IPAddress)
    case globalAndLinkLocal(IPv6Address, linkLocal: IPv6Address)
    case vpn(BGPRouteDistinguisher, IPAddress)
    case vpnGlobalAndLinkLocal(BGPRouteDistinguisher, IPv6Address, linkLocal: IPv6Address)
    case raw([UInt8])

    public init(_ bytes: UnsafeRawBufferPointer, family: BGPAddressFamily) {
        var reader = NLRIReader(bytes, base: 0)
        let vpn = family.encoding == .vpn
        do throws(WireError) {
            switch (bytes.count, vpn) {
            case (0, _): self = .none
            case (4, false), (16, false): self = .address(try reader.address(byteCount: bytes.count)!)
            case (32, false):
                self = .globalAndLinkLocal(IPv6Address(high: try reader.u64(), low: try reader.u64()),
                                           linkLocal: IPv6Address(high: try reader.u64(), low: try reader.u64()))
            case (12, true), (24, true):
                let rd = BGPRouteDistinguisher(rawValue: try reader.u64())
                self = .vpn(rd, try reader.address(byteCount: bytes.count - 8)!)
            case (48, true):
                let rd = BGPRouteDistinguisher(rawValue: try reader.u64())
                let global = IPv6Address(high: try reader.u64(), low: try reader.u64())
                // Two RDs that differ cannot round-trip through one; keep such bytes raw.
                guard try reader.u64() == rd.rawValue else { self = .raw(Array(bytes)); return }
                self = .vpnGlobalAndLinkLocal(rd, global, linkLocal: IPv6Address(high: try reader.u64(), low: try reader.u64()))
            default: self = .raw(Array(bytes))
            }
        } catch {
            self = .raw(Array(bytes))
        }
    }

    public init(bytes: [UInt8], family: BGPAddressFamily) {
        self = bytes.withUnsafeBytes { BGPNextHop($0, family: family) }
    }

    /// The addresses, global first.
    public var addresses: [IPAddress] {
        switch self {
        case .none, .raw: []
        case .address(let address), .vpn(_, let address): [address]
        case .globalAndLinkLocal(let global, let linkLocal), .vpnGlobalAndLinkLocal(_, let global, let linkLocal):
            [.v6(global), .v6(linkLocal)]
        }
    }

    public var routeDistinguisher: BGPRouteDistinguisher? {
        switch self {
        case .vpn(let rd, _), .vpnGlobalAndLinkLocal(let rd, _, _): rd
        default: nil
        }
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .none: break
        case .address(let address): out = address.bytes
        case .globalAndLinkLocal(let global, let linkLocal):
            out = IPAddress.v6(global).bytes + IPAddress.v6(linkLocal).bytes
        case .vpn(let rd, let address):
            out.appendUInt64(rd.rawValue)
            out += address.bytes
        case .vpnGlobalAndLinkLocal(let rd, let global, let linkLocal):
            out.appendUInt64(rd.rawValue)
            out += IPAddress.v6(global).bytes
            out.appendUInt64(rd.rawValue)
            out += IPAddress.v6(linkLocal).bytes
        case .raw(let raw): out = raw
        }
        return out
    }

    /// "RD 0:0 2001:db8::1", "2001:db8::1 fe80::1", "none".
    public var description: String {
        switch self {
        case .none: "none"
        case .raw(let raw): "\(raw.count) bytes: " + raw.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        default: (routeDistinguisher.map { "RD \($0) " } ?? "") + addresses.map(\.description).joined(separator: " ")
        }
    }
}
