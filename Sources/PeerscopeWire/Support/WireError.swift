/// Why a frame, or one layer of it, could not be decoded.
///
/// A decode error is a value, never a trap: the analyzer counts it, turns it into a finding and goes
/// on with the next frame. `layer` + `reason` give a stable code such as `ipv4.truncated`.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public var layer: Layer
    public var reason: Reason
    /// Byte offset inside the frame (or inside the buffer handed to the decoder) where it went wrong.
    public var offset: Int

    public init(_ layer: Layer, _ reason: Reason, at offset: Int) {
        self.layer = layer
        self.reason = reason
        self.offset = offset
    }

    public enum Layer: String, Sendable, CaseIterable {
        case link, ethernet, vlan, sll, sll2, null, mpls, gre, ipv4, ipv6, udp, tcp, bfd, bgp, bmp
    }

    public enum Reason: Hashable, Sendable {
        /// Fewer bytes than the header or the declared length needs.
        case truncated(needed: Int, available: Int)
        /// A version field the decoder does not know (IP version, GRE version, BFD version).
        case badVersion(UInt8)
        /// A header-length field below the fixed minimum (IPv4 IHL < 5, TCP data offset < 5, …).
        case badHeaderLength(Int)
        /// A total-length field larger than the bytes that carry it (and not explained by snaplen).
        case lengthBeyondData(declared: Int, available: Int)
        /// A length field below what the format allows (BFD Length < 24, UDP length < 8).
        case lengthTooSmall(declared: Int, minimum: Int)
        /// The BFD Authentication Length does not fit the Authentication Type (RFC 5880 §4.2–4.4).
        case badAuthLength(type: UInt8, length: Int)
        /// An IPv4/IPv6 fragment other than the first: its payload cannot be interpreted alone.
        case nonFirstFragment
        /// A next-protocol value this decoder does not follow (EtherType, GRE protocol, link type …).
        case unsupported(UInt32)
        /// GRE with the Routing bit (RFC 1701), which RFC 2784 deprecates.
        case greRoutingPresent
        /// More encapsulation layers than the decoder follows (a loop or a hostile frame).
        case tooDeep
        /// A BGP path attribute whose length does not fit its type (RFC 7606 §7).
        case badAttributeLength(type: UInt8, length: Int)
        /// An NLRI prefix length beyond the address family's width.
        case badPrefixLength(Int)

        /// A short, stable code used for counts and JSON.
        public var code: String {
            switch self {
            case .truncated: "truncated"
            case .badVersion: "bad_version"
            case .badHeaderLength: "bad_header_length"
            case .lengthBeyondData: "length_beyond_data"
            case .lengthTooSmall: "length_too_small"
            case .badAuthLength: "bad_auth_length"
            case .nonFirstFragment: "non_first_fragment"
            case .unsupported: "unsupported"
            case .greRoutingPresent: "gre_routing_present"
            case .tooDeep: "too_deep"
            case .badAttributeLength: "bad_attribute_length"
            case .badPrefixLength: "bad_prefix_length"
            }
        }
    }

    /// `layer.reason`, e.g. `bfd.length_beyond_data`.
    public var code: String { "\(layer.rawValue).\(reason.code)" }

    public var description: String {
        let detail: String
        switch reason {
        case .truncated(let needed, let available):
            detail = "truncated: needs \(needed) bytes, \(available) available"
        case .badVersion(let version):
            detail = "unsupported version \(version)"
        case .badHeaderLength(let length):
            detail = "bad header length \(length)"
        case .lengthBeyondData(let declared, let available):
            detail = "length \(declared) exceeds the \(available) bytes that carry it"
        case .lengthTooSmall(let declared, let minimum):
            detail = "length \(declared) below the minimum \(minimum)"
        case .badAuthLength(let type, let length):
            detail = "auth length \(length) does not fit auth type \(type)"
        case .nonFirstFragment:
            detail = "non-first fragment"
        case .unsupported(let value):
            detail = "unsupported next protocol 0x\(String(value, radix: 16))"
        case .greRoutingPresent:
            detail = "GRE routing present (RFC 1701), not followed"
        case .tooDeep:
            detail = "too many nested encapsulations"
        case .badAttributeLength(let type, let length):
            detail = "path attribute \(type) with length \(length)"
        case .badPrefixLength(let length):
            detail = "prefix length \(length) beyond the address family"
        }
        return "\(layer.rawValue): \(detail) at byte \(offset)"
    }
}
