import PeerscopeAnalysis
import PeerscopeWire

/// A `tcp-bgp` input: one byte choosing the reassembly buffer limit (2^(6 + b mod 15) bytes), then
/// segments of one connection between 10.0.0.1:40000 and 10.0.0.2:179, each
///
///     | control (1): bit 0 direction (1 = from .2), bit 1 time jump | TCP flags (1) |
///     | sequence (4) | acknowledgment (4) | [time jump µs (4) if bit 1] | payload length (2) | payload |
///
/// Sequence numbers are taken as given, so wrap-around, overlaps and holes are the fuzzer's to pick.
public enum TCPSegmentProgram {
    public static let client = (IPAddress.v4(IPv4Address(10, 0, 0, 1)), UInt16(40000))
    public static let server = (IPAddress.v4(IPv4Address(10, 0, 0, 2)), UInt16(179))

    public static func header(bufferLimitExponent: UInt8) -> [UInt8] { [bufferLimitExponent] }

    public static func segment(fromServer: Bool, flags: UInt8, sequence: UInt32, acknowledgment: UInt32,
                               payload: some Collection<UInt8>) -> [UInt8] {
        let length = min(payload.count, Int(UInt16.max))
        var bytes: [UInt8] = [fromServer ? 1 : 0, flags]
        bytes.appendUInt32(sequence)
        bytes.appendUInt32(acknowledgment)
        bytes.appendUInt16(UInt16(length))
        bytes += payload.prefix(length)
        return bytes
    }
}

enum TCPTargets {
    static func tcpBGP(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let bufferLimit = 1 << (6 + Int(input.byte() % 15))
        var tracker = BGPSessionTracker(bufferLimit: bufferLimit)
        // One direction also goes through a bare TCPStream to check its accounting.
        var stream = TCPStream(bufferLimit: bufferLimit)
        var fedBytes = 0
        var deliveredBytes = 0
        var time: Int64 = 1_000_000_000
        func count(_ events: [TCPStreamEvent]) {
            for event in events {
                switch event {
                case .data(let bytes, _): deliveredBytes += bytes.count
                case .hole(let missing): fuzzInvariant(missing > 0, "a hole of \(missing) bytes")
                case .fin, .reset, .conflict: break
                }
            }
        }
        var frame = 0
        while !input.isAtEnd {
            let control = input.byte()
            let flags = TCPFlags(rawValue: input.byte())
            let sequence = input.uint32()
            let acknowledgment = input.uint32()
            if control & 2 != 0 {
                time = time &+ Int64(input.uint32()) &* 1_000
            } else {
                time = time &+ 1_000_000
            }
            let payload = input.slice(Int(input.uint16()))
            frame += 1
            let fromServer = control & 1 != 0
            let (source, destination) = fromServer ? (TCPSegmentProgram.server, TCPSegmentProgram.client)
                                                   : (TCPSegmentProgram.client, TCPSegmentProgram.server)
            let network = NetworkSummary(source: source.0, destination: destination.0, ttl: 1, version: 4)
            let tcp = TCPHeader(sourcePort: source.1, destinationPort: destination.1, sequenceNumber: sequence,
                                acknowledgmentNumber: acknowledgment, flags: flags)
            tracker.observe(frameNumber: frame, time: time, network: network, tcp: tcp, payload: payload) { _, session, side in
                fuzzInvariant(side == 0 || side == 1, "a BGP session has two sides")
                _ = session.id
            }
            if !fromServer {
                // As BGPStreamTracker does: a new SYN on the 4-tuple is a new connection.
                if flags.contains(.syn), stream.nextSequence != sequence &+ 1 {
                    stream = TCPStream(bufferLimit: bufferLimit)
                    fedBytes = 0
                    deliveredBytes = 0
                }
                if !flags.contains(.rst) { fedBytes += payload.count }
                count(stream.segment(sequence: sequence, flags: flags, payload: payload))
            } else if flags.contains(.ack) {
                count(stream.acknowledged(acknowledgment))
            }
            // RFC 9293 reassembly delivers each byte at most once.
            fuzzInvariant(deliveredBytes <= fedBytes, "delivered \(deliveredBytes) of \(fedBytes) bytes fed")
        }
        tracker.finish()
        fuzzInvariant(tracker.sessions.count <= max(frame, 1), "more sessions than segments")
    }
}
