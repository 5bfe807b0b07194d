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
        /// An MP_REACH/MP_UNREACH NLRI of a decoded family that does not parse (RFC 7606 §5.3:
        /// AFI/SAFI disable or session reset). A flat fault rather than a nested reason keeps the
        /// error a plain value (no box to retain on every decoded message).
        case badNLRI(afi: UInt16, safi: UInt8, NLRIFault)

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
            case .badNLRI: "bad_nlri"
            }
        }
    }

    /// `layer.reason`, e.g. `bfd.length_beyond_data`.
    public var code: String { "\(layer.rawValue).\(reason.code)" }

    public var description: String { "\(layer.rawValue): \(reason.detail) at byte \(offset)" }
}

extension WireError.Reason {
    /// The human text of the reason, without layer and offset.
    public var detail: String {
        let detail: String
        switch self {
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
        case .badNLRI(let afi, let safi, let fault):
            detail = "\(BGPAddressFamily(afi: afi, safi: safi).name) NLRI: \(fault)"
        }
        return detail
    }
}

/// What was wrong inside an NLRI (see `WireError.Reason.badNLRI`). Without payload on purpose: a
/// larger reason would make every decoded message's `Result` larger (the byte offset says where).
public enum NLRIFault: Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the route's own length or fields need.
    case truncated
    /// A length in bits (prefix, label stack plus RD) that does not fit the family.
    case badLength
    /// A route's declared length that does not match its fields.
    case lengthMismatch

    init(_ reason: WireError.Reason) {
        switch reason {
        case .truncated: self = .truncated
        case .badPrefixLength: self = .badLength
        default: self = .lengthMismatch
        }
    }

    public var description: String {
        switch self {
        case .truncated: "truncated route"
        case .badLength: "length in bits does not fit the family"
        case .lengthMismatch: "route length does not match its fields"
        }
    }
}
