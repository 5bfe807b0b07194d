import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire

/// The facts of one decoded BFD frame that `peerscope decode` prints, copied out of the borrowed
/// frame so both renderers see the same values.
public struct DecodeRecord {
    public enum Body {
        case control(BFDControlPacket)
        case echo(BFDEchoPacket)
        case malformed(WireError)
        /// A frame that is not BFD (listed with `-v` when it could not be decoded).
        case undecodable(WireError)
    }

    public var frameNumber: Int
    public var epochNanoseconds: Int64
    public var relativeNanoseconds: Int64
    public var capturedLength: Int
    public var originalLength: Int
    public var network: NetworkSummary?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    public var encapsulation: Encapsulation?
    public var transport: BFDTransport?
    public var body: Body
    /// The pcapng interface the frame came in on (`if_name`), when the file names it.
    public var interfaceName: String?
    /// The frame's pcapng comments (`opt_comment`), as Wireshark shows them.
    public var comments: [String] = []

    /// The record for a frame, or nil when the frame is neither BFD nor undecodable.
    public init?(frame: Frame, decoded: DecodedFrame, dissection: Dissection?, firstTimestamp: Int64) {
        let hasLayers = (dissection?.encapsulation.count ?? 0) > 0
        frameNumber = frame.number
        epochNanoseconds = frame.timestampNanoseconds
        relativeNanoseconds = frame.timestampNanoseconds - firstTimestamp
        capturedLength = frame.capturedLength
        originalLength = frame.originalLength
        interfaceName = frame.interfaceName
        comments = frame.comments
        network = dissection?.network
        encapsulation = hasLayers ? dissection?.encapsulation : nil
        if let dissection, case .udp(let udp) = dissection.transport {
            sourcePort = udp.sourcePort
            destinationPort = udp.destinationPort
        }
        switch decoded {
        case .bfdControl(let packet, let transport):
            self.transport = transport
            body = .control(packet)
        case .bfdEcho(let echo):
            transport = .echo
            body = .echo(echo)
        case .bfdMalformed(let error, let transport):
            self.transport = transport
            body = .malformed(error)
        case .undecodable(let error):
            body = .undecodable(error)
        case .bgpSegment, .otherUDP, .otherTCP, .otherIP, .notIP:
            return nil
        }
    }

    public var isBFD: Bool {
        if case .undecodable = body { return false }
        return true
    }
}
