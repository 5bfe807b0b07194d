/// BGP OPEN (RFC 4271 §4.2) with optional parameters carrying capabilities (RFC 5492):
///
///     | version | my AS (16) | hold time (16) | BGP identifier (32) | opt param len | params … |
///
/// Parameter type 2 holds capabilities (code, length, value); RFC 9072's extended parameter length
/// (opt param len 255, then type 255 and a 16-bit length) is understood too.
public struct BGPOpen: Hashable, Sendable {
    public var version: UInt8
    public var myAS: UInt16
    public var holdTime: UInt16
    public var identifier: IPv4Address
    public var capabilities: [BGPCapability]
    /// Optional parameters other than capabilities (type, bytes), kept raw.
    public var otherParameters: [BGPRawParameter]

    public init(version: UInt8 = 4, myAS: UInt16, holdTime: UInt16, identifier: IPv4Address,
                capabilities: [BGPCapability] = [], otherParameters: [BGPRawParameter] = []) {
        self.version = version
        self.myAS = myAS
        self.holdTime = holdTime
        self.identifier = identifier
        self.capabilities = capabilities
        self.otherParameters = otherParameters
    }

    /// The 4-octet AS number when the capability is present (RFC 6793), else My AS.
    public var autonomousSystem: UInt32 {
        for capability in capabilities {
            if case .fourOctetAS(let asn) = capability { return asn }
        }
        return UInt32(myAS)
    }

    /// The ASN of the 4-octet AS capability, nil when the speaker did not offer it.
    public var fourOctetASN: UInt32? {
        for capability in capabilities {
            if case .fourOctetAS(let asn) = capability { return asn }
        }
        return nil
    }

    /// The AFI/SAFIs of the multiprotocol capabilities; IPv4 unicast alone when there are none
    /// (RFC 4760 §8: a speaker without the capability carries only IPv4 unicast).
    public var families: [BGPAddressFamily] {
        let offered = capabilities.compactMap { capability -> BGPAddressFamily? in
            if case .multiprotocol(let family) = capability { family } else { nil }
        }
        return offered.isEmpty ? [.ipv4Unicast] : offered
    }

    /// `body` is the message after the 19-byte header.
    public static func decode(_ body: UnsafeRawBufferPointer) throws(WireError) -> BGPOpen {
        var cursor = ByteCursor(body)
        guard cursor.remaining >= 10 else {
            throw WireError(.bgp, .truncated(needed: 10, available: cursor.remaining), at: 0)
        }
        var open = BGPOpen(version: cursor.byte(at: 0), myAS: cursor.word16(at: 1), holdTime: cursor.word16(at: 3),
                           identifier: IPv4Address(cursor.word32(at: 5)))
        var parametersLength = Int(cursor.byte(at: 9))
        cursor.offset = 10
        var extended = false
        // RFC 9072 §2: a first parameter type of 255 means 16-bit lengths follow; the one-octet
        // length before it (255 on transmission, never 0) is ignored once that is seen.
        if parametersLength != 0, cursor.peekUInt8() == 255, let long = cursor.peekUInt16(at: 1) {
            extended = true
            parametersLength = Int(long)
            cursor.offset += 3
        }
        guard parametersLength <= cursor.remaining else {
            throw WireError(.bgp, .lengthBeyondData(declared: parametersLength, available: cursor.remaining), at: 9)
        }
        let end = cursor.offset + parametersLength
        while cursor.offset < end {
            let start = cursor.offset
            guard let type = cursor.readUInt8(),
                  let length = extended ? cursor.readUInt16().map(Int.init) : cursor.readUInt8().map(Int.init),
                  cursor.offset + length <= end, let value = cursor.readSlice(length)
            else { throw WireError(.bgp, .truncated(needed: 2, available: end - start), at: start) }
            if type == 2 {
                open.capabilities += try BGPCapability.decodeList(value, offset: start)
            } else {
                open.otherParameters.append(BGPRawParameter(type: type, value: Array(value)))
            }
        }
        return open
    }

    /// The largest Optional Parameters field the one-octet length of RFC 4271 §4.2 can state.
    public static let maximumNonExtendedParametersLength = 255

    /// Writes the body. The parameters (one capability per parameter, RFC 5492 §4, then the others)
    /// use RFC 4271's one-octet lengths while they fit, and RFC 9072 §2's extended form (Non-Ext OP
    /// Len 255, Non-Ext OP Type 255, a two-octet total, two-octet parameter lengths) when the field
    /// would exceed 255 octets or one parameter would: "the OPEN message MUST be encoded according to"
    /// RFC 9072 then. What no BGP message can hold is clipped rather than trapping: a capability value
    /// beyond the 255 octets its one-octet length states (RFC 5492 §4), parameters beyond the 65,535
    /// octets a two-octet length states. Decoding never produces either.
    public func encode(into bytes: inout [UInt8]) {
        var parameters: [(type: UInt8, value: [UInt8])] = []
        for capability in capabilities {
            var value: [UInt8] = []
            capability.encode(into: &value)
            parameters.append((2, value))
        }
        for parameter in otherParameters { parameters.append((parameter.type, parameter.value)) }
        let nonExtendedLength = parameters.reduce(0) { $0 + 2 + $1.value.count }
        // A first parameter of type 255 (IANA: RFC 9072's extended-length marker) would read back
        // as the marker in RFC 4271's form, so it is written only in the extended form.
        let extended = nonExtendedLength > Self.maximumNonExtendedParametersLength
            || parameters.contains { $0.value.count > Int(UInt8.max) } || parameters.first?.type == 255
        var body: [UInt8] = []
        for (type, value) in parameters {
            let size = (extended ? 3 : 2) + value.count
            guard body.count + size <= Int(UInt16.max) else { break }
            body.append(type)
            if extended { body.appendUInt16(UInt16(value.count)) } else { body.append(UInt8(value.count)) }
            body += value
        }
        bytes.append(version)
        bytes.appendUInt16(myAS)
        bytes.appendUInt16(holdTime)
        bytes.appendUInt32(identifier.value)
        if extended {
            bytes.append(255)
            bytes.append(255)
            bytes.appendUInt16(UInt16(body.count))
        } else {
            bytes.append(UInt8(body.count))
        }
        bytes += body
    }
}

public struct BGPRawParameter: Hashable, Sendable {
    public var type: UInt8
    public var value: [UInt8]

    public init(type: UInt8, value: [UInt8]) {
        self.type = type
        self.value = value
    }
}

/// Address family and subsequent address family (RFC 4760).
public struct BGPAddressFamily: Hashable, Sendable, CustomStringConvertible {
    public var afi: UInt16
    public var safi: UInt8

    public init(afi: UInt16, safi: UInt8) {
        self.afi = afi
        self.safi = safi
    }

    public static let ipv4Unicast = BGPAddressFamily(afi: 1, safi: 1)
    public static let ipv6Unicast = BGPAddressFamily(afi: 2, safi: 1)

    /// The short route-family name (the table is in `BGPAddressFamilyNames.swift`).
    public var description: String { shortName }
}

/// One capability (RFC 5492 and the registries of the extensions peerscope reports).
public enum BGPCapability: Hashable, Sendable {
    case multiprotocol(BGPAddressFamily)
    case routeRefresh
    case extendedNextHop([UInt8])
    case extendedMessage
    case gracefulRestart(flags: UInt8, restartTime: UInt16, families: [UInt8])
    case fourOctetAS(UInt32)
    /// RFC 7911: per family, 1 receive, 2 send, 3 both.
    case addPath([(family: BGPAddressFamily, mode: UInt8)])
    case enhancedRouteRefresh
    case longLivedGracefulRestart([UInt8])
    case fqdn(hostname: String, domain: String)
    case unknown(code: UInt8, value: [UInt8])

    public var code: UInt8 {
        switch self {
        case .multiprotocol: 1
        case .routeRefresh: 2
        case .extendedNextHop: 5
        case .extendedMessage: 6
        case .gracefulRestart: 64
        case .fourOctetAS: 65
        case .addPath: 69
        case .enhancedRouteRefresh: 70
        case .longLivedGracefulRestart: 71
        case .fqdn: 73
        case .unknown(let code, _): code
        }
    }

    public var name: String {
        switch self {
        case .multiprotocol(let family): "multiprotocol \(family)"
        case .routeRefresh: "route-refresh"
        case .extendedNextHop: "extended-next-hop"
        case .extendedMessage: "extended-message"
        case .gracefulRestart(_, let time, _): "graceful-restart \(time)s"
        case .fourOctetAS(let asn): "4-octet-as \(asn)"
        case .addPath(let families): "add-path " + families.map { "\($0.family)/\($0.mode)" }.joined(separator: ",")
        case .enhancedRouteRefresh: "enhanced-route-refresh"
        case .longLivedGracefulRestart: "long-lived-graceful-restart"
        case .fqdn(let host, let domain): "fqdn \(host)\(domain.isEmpty ? "" : "." + domain)"
        case .unknown(let code, _): "\(BGPCapabilityCode.name(code)) (\(code))"
        }
    }

    static func decodeList(_ bytes: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> [BGPCapability] {
        var cursor = ByteCursor(bytes)
        var list: [BGPCapability] = []
        while cursor.remaining > 0 {
            let start = cursor.offset
            guard let code = cursor.readUInt8(), let length = cursor.readUInt8(), let value = cursor.readSlice(Int(length))
            else { throw WireError(.bgp, .truncated(needed: 2, available: cursor.remaining), at: offset + start) }
            list.append(decode(code: code, value))
        }
        return list
    }

    static func decode(code: UInt8, _ value: UnsafeRawBufferPointer) -> BGPCapability {
        var cursor = ByteCursor(value)
        switch code {
        case 1 where value.count == 4:
            return .multiprotocol(BGPAddressFamily(afi: cursor.word16(at: 0), safi: cursor.byte(at: 3)))
        case 2 where value.isEmpty: return .routeRefresh
        case 5: return .extendedNextHop(Array(value))
        case 6 where value.isEmpty: return .extendedMessage
        case 64 where value.count >= 2:
            let word = cursor.word16(at: 0)
            return .gracefulRestart(flags: UInt8(word >> 12), restartTime: word & 0x0FFF, families: Array(value.dropFirst(2)))
        case 65 where value.count == 4: return .fourOctetAS(cursor.word32(at: 0))
        case 69 where value.count % 4 == 0:
            var families: [(BGPAddressFamily, UInt8)] = []
            while cursor.remaining >= 4 {
                families.append((BGPAddressFamily(afi: cursor.word16(at: 0), safi: cursor.byte(at: 2)), cursor.byte(at: 3)))
                cursor.offset += 4
            }
            return .addPath(families)
        case 70 where value.isEmpty: return .enhancedRouteRefresh
        case 71: return .longLivedGracefulRestart(Array(value))
        case 73:
            guard let hostLength = cursor.readUInt8(), let host = cursor.readSlice(Int(hostLength)),
                  let domainLength = cursor.readUInt8(), let domain = cursor.readSlice(Int(domainLength))
            else { return .unknown(code: code, value: Array(value)) }
            return .fqdn(hostname: String(decoding: host, as: UTF8.self), domain: String(decoding: domain, as: UTF8.self))
        default:
            return .unknown(code: code, value: Array(value))
        }
    }

    func encode(into bytes: inout [UInt8]) {
        var value: [UInt8] = []
        switch self {
        case .multiprotocol(let family):
            value.appendUInt16(family.afi)
            value.append(0)
            value.append(family.safi)
        case .routeRefresh, .extendedMessage, .enhancedRouteRefresh:
            break
        case .extendedNextHop(let raw), .longLivedGracefulRestart(let raw), .unknown(_, let raw):
            value = raw
        case .gracefulRestart(let flags, let time, let families):
            value.appendUInt16(UInt16(flags & 0xF) << 12 | (time & 0x0FFF))
            value += families
        case .fourOctetAS(let asn):
            value.appendUInt32(asn)
        case .addPath(let families):
            for (family, mode) in families {
                value.appendUInt16(family.afi)
                value.append(family.safi)
                value.append(mode)
            }
        case .fqdn(let host, let domain):
            // draft-walton-bgp-hostname-capability: two one-octet lengths inside a capability value
            // of at most 255 octets; longer names are clipped (the host first) so the value stays whole.
            let domainBytes = domain.utf8.prefix(253), hostBytes = host.utf8.prefix(253 - domainBytes.count)
            value.append(UInt8(hostBytes.count))
            value += hostBytes
            value.append(UInt8(domainBytes.count))
            value += domainBytes
        }
        // RFC 5492 §4: Capability Length is one octet; a longer value cannot be said and is clipped.
        let clipped = value.prefix(Int(UInt8.max))
        bytes.append(code)
        bytes.append(UInt8(clipped.count))
        bytes += clipped
    }

    public static func == (lhs: BGPCapability, rhs: BGPCapability) -> Bool {
        // Different codes never match; value-free capabilities match on the code alone.
        guard lhs.code == rhs.code else { return false }
        switch (lhs, rhs) {
        case (.routeRefresh, .routeRefresh), (.extendedMessage, .extendedMessage),
             (.enhancedRouteRefresh, .enhancedRouteRefresh):
            return true
        case (.multiprotocol(let a), .multiprotocol(let b)): return a == b
        case (.fourOctetAS(let a), .fourOctetAS(let b)): return a == b
        default: break
        }
        var left: [UInt8] = [], right: [UInt8] = []
        lhs.encode(into: &left)
        rhs.encode(into: &right)
        return left == right
    }

    public func hash(into hasher: inout Hasher) {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        hasher.combine(bytes)
    }
}
