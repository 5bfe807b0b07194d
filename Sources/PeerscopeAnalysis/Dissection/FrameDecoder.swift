import PeerscopeCapture
import PeerscopeWire

/// What one frame turned out to be, for the protocols peerscope reads.
public enum DecodedFrame {
    case bfdControl(BFDControlPacket, BFDTransport)
    case bfdEcho(BFDEchoPacket)
    /// On a BFD port but not a valid BFD packet: a malformed-packet finding.
    case bfdMalformed(WireError, BFDTransport)
    /// TCP to or from port 179 (the BGP decoder takes the payload from here).
    case bgpSegment(TCPHeader)
    case otherUDP(UDPHeader)
    case otherTCP(TCPHeader)
    case otherIP(protocolNumber: UInt8)
    case notIP(etherType: UInt16)
    /// The frame's headers could not be read: truncated, lying lengths, unsupported tunnel payload.
    case undecodable(WireError)
}

/// What a frame is, without the decoded values: all `decode --count` needs.
public enum FrameClass: Sendable {
    case bfdControl(BFDTransport)
    case bfdEcho
    case bfdMalformed(WireError, BFDTransport)
    case bgpSegment
    case otherUDP
    case otherTCP
    case otherIP
    case notIP
    case undecodable(WireError)
}

extension DecodedFrame {
    public var frameClass: FrameClass {
        switch self {
        case .bfdControl(_, let transport): .bfdControl(transport)
        case .bfdEcho: .bfdEcho
        case .bfdMalformed(let error, let transport): .bfdMalformed(error, transport)
        case .bgpSegment: .bgpSegment
        case .otherUDP: .otherUDP
        case .otherTCP: .otherTCP
        case .otherIP: .otherIP
        case .notIP: .notIP
        case .undecodable(let error): .undecodable(error)
        }
    }
}

/// Dissects a frame and decodes (or only checks) its BFD payload; allocation-free on the BFD path.
public enum FrameDecoder {
    public static let bgpPort: UInt16 = 179

    /// Classifies `frame`, leaving its layers in `dissection` (reset here; partial when the frame
    /// is undecodable). BFD packets are checked as a receiver would, but not built.
    @inlinable
    public static func classify(_ frame: Frame, into dissection: inout Dissection) -> FrameClass {
        dissection.reset()
        do {
            try Dissector.dissect(frame.bytes, linkType: frame.linkType, snapped: frame.isTruncated, into: &dissection)
        } catch {
            return .undecodable(error)
        }
        switch dissection.transport {
        case .udp(let udp):
            guard let transport = BFDTransport.classify(sourcePort: udp.sourcePort,
                                                        destinationPort: udp.destinationPort)
            else { return .otherUDP }
            if transport == .echo { return .bfdEcho }
            do {
                try BFDControlPacket.validate(payload(frame, dissection))
                return .bfdControl(transport)
            } catch {
                // The offset stays relative to the BFD packet: "bfd: … at byte 3" is its Length field.
                return .bfdMalformed(error, transport)
            }
        case .tcp(let tcp):
            return tcp.sourcePort == bgpPort || tcp.destinationPort == bgpPort ? .bgpSegment : .otherTCP
        case .otherIP:
            return .otherIP
        case .notIP:
            return .notIP
        case .associatedChannel(let channelType):
            // RFC 5885 / RFC 6428: a BFD Control packet with no IP or UDP header. It has no port,
            // so it counts as single-hop control (the channel is between the LSP/PW ends).
            guard AssociatedChannelHeader.ChannelType.carriesBFD(channelType) else { return .notIP }
            do {
                try BFDControlPacket.validate(payload(frame, dissection))
                return .bfdControl(.singleHop)
            } catch {
                return .bfdMalformed(error, .singleHop)
            }
        }
    }

    /// Classifies `frame` and decodes what it carries (see `classify`).
    @inlinable
    public static func decode(_ frame: Frame, into dissection: inout Dissection) -> DecodedFrame {
        switch classify(frame, into: &dissection) {
        case .bfdControl(let transport):
            do {
                return .bfdControl(try BFDControlPacket.decode(payload(frame, dissection)), transport)
            } catch {
                return .bfdMalformed(error, transport)
            }
        case .bfdEcho:
            return .bfdEcho(BFDEchoPacket(payload: payload(frame, dissection)))
        case .bfdMalformed(let error, let transport):
            return .bfdMalformed(error, transport)
        case .bgpSegment, .otherTCP:
            guard case .tcp(let tcp) = dissection.transport else { return .otherIP(protocolNumber: IPProtocol.tcp) }
            return tcp.sourcePort == bgpPort || tcp.destinationPort == bgpPort ? .bgpSegment(tcp) : .otherTCP(tcp)
        case .otherUDP:
            guard case .udp(let udp) = dissection.transport else { return .otherIP(protocolNumber: IPProtocol.udp) }
            return .otherUDP(udp)
        case .otherIP:
            guard case .otherIP(let protocolNumber) = dissection.transport else { return .otherIP(protocolNumber: 0) }
            return .otherIP(protocolNumber: protocolNumber)
        case .notIP:
            guard case .notIP(let etherType) = dissection.transport else { return .notIP(etherType: 0) }
            return .notIP(etherType: etherType)
        case .undecodable(let error):
            return .undecodable(error)
        }
    }

    /// The transport payload the dissection located, as a view into the frame.
    @inlinable
    static func payload(_ frame: Frame, _ dissection: Dissection) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
    }
}
