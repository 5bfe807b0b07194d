import PeerscopeWire

/// The innermost IP header of a frame, reduced to what sessions are keyed and judged on.
public struct NetworkSummary: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    /// IPv4 TTL or IPv6 Hop Limit.
    public var ttl: UInt8
    public var version: Int

    public init(source: IPAddress, destination: IPAddress, ttl: UInt8, version: Int) {
        self.source = source
        self.destination = destination
        self.ttl = ttl
        self.version = version
    }
}

/// What sits on top of the innermost IP header.
public enum TransportSummary: Hashable, Sendable {
    case udp(UDPHeader)
    case tcp(TCPHeader)
    /// Another IP protocol (ICMP, OSPF …), not followed.
    case otherIP(protocolNumber: UInt8)
    /// Not IP at all at the link layer (ARP, LLDP …), with its EtherType.
    case notIP(etherType: UInt16)
    /// A G-ACh / PW-ACh message with no IP header (RFC 5885 BFD without IP, RFC 6428 MPLS-TP
    /// CC/CV, or another channel type); the payload follows the ACH.
    case associatedChannel(channelType: UInt16)
}

/// A frame taken apart down to its transport payload; `payload*` are offsets into the frame's bytes.
public struct Dissection: Sendable {
    public var encapsulation = Encapsulation()
    public var network: NetworkSummary?
    public var transport: TransportSummary = .notIP(etherType: 0)
    public var payloadOffset = 0
    public var payloadLength = 0
    /// The transport payload is shorter than its headers declare because snaplen cut the frame.
    public var payloadTruncated = false

    public init() {}

    /// Makes the value ready for the next frame by clearing what a dissection sets, cheaper than
    /// assigning a fresh value on the per-frame path.
    @inline(__always)
    public mutating func reset() {
        encapsulation.reset()
        network = nil
        transport = .notIP(etherType: 0)
        payloadOffset = 0
        payloadLength = 0
        payloadTruncated = false
    }
}

/// Walks link → tags/labels/tunnels → IP → UDP/TCP without copying. Every length field is checked
/// against the bytes that carry it; a lie becomes a `WireError` with its offset.
public enum Dissector {
    private enum Next {
        case etherType(UInt16, top: Bool)
        case mpls
        case associatedChannel
        case ipv4
        case ipv6
        case gre
        case udp
        case tcp
    }

    public static func dissect(_ frame: UnsafeRawBufferPointer, linkType: LinkType,
                               snapped: Bool = false) throws(WireError) -> Dissection {
        var result = Dissection()
        try dissect(frame, linkType: linkType, snapped: snapped, into: &result)
        return result
    }

    /// Fills `result` (which should be fresh) in place; on a thrown error it holds what was read
    /// before the error (e.g. the addresses of a packet whose UDP length lies).
    public static func dissect(_ frame: UnsafeRawBufferPointer, linkType: LinkType, snapped: Bool,
                               into result: inout Dissection) throws(WireError) {
        var cursor = ByteCursor(frame)
        var next: Next
        switch linkType {
        case .ethernet:
            let header = try EthernetHeader.decode(&cursor)
            try result.encapsulation.pushKind(.ethernet, at: 0)
            next = .etherType(header.etherType, top: true)
        case .linuxSLL:
            let header = try LinuxSLLHeader.decode(&cursor)
            try result.encapsulation.pushKind(.linuxSLL, at: 0)
            next = .etherType(header.protocolType, top: true)
        case .linuxSLL2:
            let header = try LinuxSLL2Header.decode(&cursor)
            try result.encapsulation.pushKind(.linuxSLL2, at: 0)
            next = .etherType(header.protocolType, top: true)
        case .null, .loop:
            let header = try LoopbackHeader.decode(&cursor, networkOrder: linkType == .loop)
            try result.encapsulation.pushKind(.loopback, at: 0)
            if header.isIPv4 {
                next = .ipv4
            } else if header.isIPv6 {
                next = .ipv6
            } else {
                result.transport = .notIP(etherType: 0)
                return
            }
        case .raw:
            try result.encapsulation.pushKind(.raw, at: 0)
            next = try ipByVersionNibble(cursor, layer: .link)
        case .ipv4:
            try result.encapsulation.pushKind(.raw, at: 0)
            next = .ipv4
        case .ipv6:
            try result.encapsulation.pushKind(.raw, at: 0)
            next = .ipv6
        case .other(let dlt):
            throw WireError(.link, .unsupported(UInt32(bitPattern: dlt)), at: 0)
        }

        while true {
            let start = cursor.offset
            switch next {
            case .etherType(let type, let top):
                if EtherType.isVLANTag(type) {
                    let tag = try VLANTag.decode(&cursor, tpid: type)
                    try result.encapsulation.pushKind(type == EtherType.vlan ? .vlan : .qinq, value: UInt32(type) << 16 | UInt32(tag.vlanID), at: start)
                    next = .etherType(tag.etherType, top: top)
                } else if type == EtherType.ipv4 {
                    next = .ipv4
                } else if type == EtherType.ipv6 {
                    next = .ipv6
                } else if type == EtherType.mplsUnicast || type == EtherType.mplsMulticast {
                    next = .mpls
                } else if top {
                    // ARP, LLDP, LACP … on the wire: not an error, just not ours.
                    result.transport = .notIP(etherType: type)
                    return
                } else {
                    throw WireError(.gre, .unsupported(UInt32(type)), at: start)
                }
            case .mpls:
                let entry = try MPLSLabelStackEntry.decode(&cursor)
                try result.encapsulation.pushKind(.mpls, value: entry.label, at: start)
                if entry.bottomOfStack { next = try afterLabelStack(cursor) }
            case .associatedChannel:
                let header = try AssociatedChannelHeader.decode(&cursor)
                try result.encapsulation.pushKind(.associatedChannel, value: UInt32(header.channelType), at: start)
                switch header.channelType {
                case AssociatedChannelHeader.ChannelType.ipv4: next = .ipv4
                case AssociatedChannelHeader.ChannelType.ipv6: next = .ipv6
                default:
                    result.transport = .associatedChannel(channelType: header.channelType)
                    finish(&result, cursor: cursor)
                    return
                }
            case .ipv4:
                let header = try IPv4Header.decode(&cursor)
                try result.encapsulation.pushKind(.ipv4, at: start)
                // Ethernet pads short frames: the IP total length, not the frame, ends the packet.
                cursor = try bounded(cursor, frame: frame, from: start, end: start + header.totalLength, layer: .ipv4,
                                     snapped: snapped, result: &result)
                guard header.fragmentOffset == 0 else { throw WireError(.ipv4, .nonFirstFragment, at: start) }
                result.network = NetworkSummary(source: .v4(header.source), destination: .v4(header.destination),
                                                ttl: header.ttl, version: 4)
                if let following = try upperLayer(header.protocolNumber, result: &result) {
                    next = following
                } else {
                    finish(&result, cursor: cursor)
                    return
                }
            case .ipv6:
                let header = try IPv6Header.decode(&cursor)
                try result.encapsulation.pushKind(.ipv6, at: start)
                if header.payloadLength > 0 {
                    cursor = try bounded(cursor, frame: frame, from: start, end: cursor.offset + header.payloadLength,
                                         layer: .ipv6, snapped: snapped, result: &result)
                }
                let chain = try IPv6ExtensionChain.walk(&cursor, nextHeader: header.nextHeader)
                result.network = NetworkSummary(source: .v6(header.source), destination: .v6(header.destination),
                                                ttl: header.hopLimit, version: 6)
                if let following = try upperLayer(chain.upperProtocol, result: &result) {
                    next = following
                } else {
                    finish(&result, cursor: cursor)
                    return
                }
            case .gre:
                let header = try GREHeader.decode(&cursor)
                if let key = header.key {
                    try result.encapsulation.pushKind(.greKeyed, value: key, at: start)
                } else {
                    try result.encapsulation.pushKind(.gre, at: start)
                }
                switch header.protocolType {
                case EtherType.ipv4: next = .ipv4
                case EtherType.ipv6: next = .ipv6
                case EtherType.mplsUnicast, EtherType.mplsMulticast: next = .mpls
                case EtherType.transparentEthernet:
                    let inner = try EthernetHeader.decode(&cursor)
                    try result.encapsulation.pushKind(.ethernet, at: start + header.headerLength)
                    next = .etherType(inner.etherType, top: false)
                default:
                    throw WireError(.gre, .unsupported(UInt32(header.protocolType)), at: start)
                }
            case .udp:
                let header = try UDPHeader.decode(&cursor)
                try result.encapsulation.pushKind(.udp, at: start)
                result.transport = .udp(header)
                result.payloadOffset = cursor.offset
                let declaredPayload = header.length - UDPHeader.length
                if declaredPayload <= cursor.remaining {
                    result.payloadLength = declaredPayload
                } else if snapped || result.payloadTruncated {
                    result.payloadLength = cursor.remaining
                    result.payloadTruncated = true
                } else {
                    throw WireError(.udp, .lengthBeyondData(declared: header.length,
                                                            available: cursor.remaining + UDPHeader.length), at: start)
                }
                return
            case .tcp:
                let header = try TCPHeader.decode(&cursor)
                try result.encapsulation.pushKind(.tcp, at: start)
                result.transport = .tcp(header)
                finish(&result, cursor: cursor)
                    return
            }
        }
    }

    private static func finish(_ result: inout Dissection, cursor: ByteCursor) {
        result.payloadOffset = cursor.offset
        result.payloadLength = cursor.remaining
    }

    private static func upperLayer(_ protocolNumber: UInt8, result: inout Dissection) throws(WireError) -> Next? {
        switch protocolNumber {
        case IPProtocol.udp: return .udp
        case IPProtocol.tcp: return .tcp
        case IPProtocol.gre: return .gre
        case IPProtocol.ipInIP: return .ipv4
        case IPProtocol.ipv6InIP: return .ipv6
        default:
            result.transport = .otherIP(protocolNumber: protocolNumber)
            return nil
        }
    }

    /// After the bottom of the label stack: IP by its version nibble, or an Associated Channel
    /// Header, whose first nibble is 0001 (RFC 4385 §3.1, RFC 5586 §2.1).
    private static func afterLabelStack(_ cursor: ByteCursor) throws(WireError) -> Next {
        if let first = cursor.peekUInt8(), first >> 4 == 1 { return .associatedChannel }
        return try ipByVersionNibble(cursor, layer: .mpls)
    }

    private static func ipByVersionNibble(_ cursor: ByteCursor, layer: WireError.Layer) throws(WireError) -> Next {
        guard let first = cursor.peekUInt8() else {
            throw WireError(layer, .truncated(needed: 1, available: 0), at: cursor.offset)
        }
        switch first >> 4 {
        case 4: return .ipv4
        case 6: return .ipv6
        default: throw WireError(layer, .unsupported(UInt32(first >> 4)), at: cursor.offset)
        }
    }

    /// A cursor that ends where an IP length says the packet ends. A declared end past the
    /// captured bytes is fine when snaplen explains it; otherwise the header lies.
    private static func bounded(_ cursor: ByteCursor, frame: UnsafeRawBufferPointer, from start: Int, end: Int,
                                layer: WireError.Layer, snapped: Bool,
                                result: inout Dissection) throws(WireError) -> ByteCursor {
        let limit = cursor.bytes.count
        if end <= limit {
            return ByteCursor(UnsafeRawBufferPointer(rebasing: frame[0..<end]), offset: cursor.offset)
        }
        guard snapped || result.payloadTruncated else {
            throw WireError(layer, .lengthBeyondData(declared: end - start, available: limit - start), at: start)
        }
        result.payloadTruncated = true
        return cursor
    }
}
