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

/// Dissects a frame and decodes its BFD payload in one step; allocation-free on the BFD path.
public enum FrameDecoder {
    public static let bgpPort: UInt16 = 179

    /// Classifies `frame`, leaving its layers in `dissection` (reset here; partial when the frame
    /// is undecodable). Nothing is allocated and nothing is copied out of the frame.
    @inlinable
    public static func decode(_ frame: Frame, into dissection: inout Dissection) -> DecodedFrame {
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
            else { return .otherUDP(udp) }
            let payload = UnsafeRawBufferPointer(
                rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
            if transport == .echo { return .bfdEcho(BFDEchoPacket(payload: payload)) }
            do {
                return .bfdControl(try BFDControlPacket.decode(payload), transport)
            } catch {
                // The offset stays relative to the BFD packet: "bfd: … at byte 3" is its Length field.
                return .bfdMalformed(error, transport)
            }
        case .tcp(let tcp):
            if tcp.sourcePort == bgpPort || tcp.destinationPort == bgpPort { return .bgpSegment(tcp) }
            return .otherTCP(tcp)
        case .otherIP(let protocolNumber):
            return .otherIP(protocolNumber: protocolNumber)
        case .notIP(let etherType):
            return .notIP(etherType: etherType)
        }
    }
}
