import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeWire

/// The run's own capture, read back so every verdict can cite frame numbers: each BFD datagram
/// (by payload bytes and time) and each BGP segment (by time and direction).
public struct EvidenceIndex {
    struct BFDFrame {
        var number: Int
        var time: Int64
        var fromPeer: Bool
        var payload: [UInt8]
    }

    struct TCPFrame {
        var number: Int
        var time: Int64
        var fromPeer: Bool
        var payloadLength: Int
        var flags: TCPFlags
    }

    private var bfd: [BFDFrame] = []
    private var tcp: [TCPFrame] = []
    public private(set) var frames = 0
    /// Findings of the capture analysis of the whole run.
    public private(set) var findings: [Finding] = []

    /// How far apart a socket's and the capture's timestamps of one packet may be.
    static let slack: Int64 = 200_000_000

    public init(path: String, peer: IPAddress) throws {
        let reader = try CaptureReader(path: path)
        var decoder = CaptureDecoder()
        var bfd: [BFDFrame] = []
        var tcp: [TCPFrame] = []
        try decoder.run(reader) { frame, decoded, dissection, _ in
            guard let network = dissection.network else { return }
            let fromPeer = network.source == peer
            let payload = Array(UnsafeRawBufferPointer(
                rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)]))
            switch decoded {
            case .bfdControl, .bfdMalformed:
                bfd.append(BFDFrame(number: frame.number, time: frame.timestampNanoseconds, fromPeer: fromPeer, payload: payload))
            case .bgpSegment(let header):
                tcp.append(TCPFrame(number: frame.number, time: frame.timestampNanoseconds, fromPeer: fromPeer,
                                    payloadLength: payload.count, flags: header.flags))
            default:
                break
            }
        }
        self.bfd = bfd
        self.tcp = tcp
        frames = decoder.tally.frames
        findings = (try? CaptureAnalysis(path: path))?.findings ?? []
    }

    /// Frame numbers for the observations a verdict cites, sorted, without repeats.
    public func frames(for references: [EvidenceReference], in record: ProbeRecord) -> [Int] {
        var result: Set<Int> = []
        for reference in references {
            switch reference {
            case .device(let index) where record.devicePackets.indices.contains(index):
                let packet = record.devicePackets[index]
                if let frame = nearest(bfd.filter { $0.fromPeer && $0.payload == packet.bytes }, to: packet.wallTime) {
                    result.insert(frame)
                }
            case .sent(let index) where record.sentPackets.indices.contains(index):
                let packet = record.sentPackets[index]
                if let frame = nearest(bfd.filter { !$0.fromPeer && $0.payload == packet.bytes }, to: packet.wallTime) {
                    result.insert(frame)
                }
            case .bgp(let index) where record.bgp.indices.contains(index):
                let observation = record.bgp[index]
                let candidates: [TCPFrame]
                switch observation.kind {
                case .notificationReceived: candidates = tcp.filter { $0.fromPeer && $0.payloadLength > 0 }
                case .closedByPeer(let reset): candidates = tcp.filter { $0.fromPeer && $0.flags.contains(reset ? .rst : .fin) }
                default: candidates = tcp.filter { !$0.fromPeer }
                }
                // The segment arrived before we read it: the latest one not after the observation.
                if let frame = candidates.last(where: { $0.time <= observation.wallTime + 5_000_000
                    && $0.time >= observation.wallTime - Self.slack }) {
                    result.insert(frame.number)
                }
            default:
                break
            }
        }
        return result.sorted()
    }

    private func nearest(_ candidates: [BFDFrame], to time: Int64) -> Int? {
        guard let best = candidates.min(by: { abs($0.time - time) < abs($1.time - time) }),
              abs(best.time - time) <= Self.slack else { return nil }
        return best.number
    }
}
