import PeerscopeWire

/// One BMP message as read from the capture: the frame that completed it and where it went.
public struct BMPMessageRecord: Sendable {
    public var frameNumber: Int
    public var timeNanoseconds: Int64
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ttl: UInt8
    public var length: Int
    /// The common header's type, also when the body did not decode.
    public var typeCode: UInt8
    public var message: Result<BMPMessage, WireError>
}

/// Follows every TCP connection with the BMP port (RFC 7854 §3.2: 11019) on either side,
/// reassembles each direction with `TCPStream` and cuts it into BMP messages.
///
/// Like the BGP stream tracker, it holds at most `maxDirections` directions (issue 12 item 5: a
/// capture can open any number of connections and leave a partial message in each, up to 1 MiB
/// of framer buffer per direction); at the cap the least recently seen direction is forgotten with
/// its buffers and counted in `directionsForgotten`.
public struct BMPStreamTracker: Sendable {
    public static let port: UInt16 = 11019

    private struct DirectionKey: Hashable {
        var source: IPAddress
        var sourcePort: UInt16
        var destination: IPAddress
        var destinationPort: UInt16
    }

    private struct Direction {
        var stream: TCPStream
        var framer: BMPFramer
    }

    private var directions: [DirectionKey: Direction] = [:]
    public let bufferLimit: Int
    public private(set) var holes = 0
    /// Directions followed at once; nil for no cap.
    public let maxDirections: Int?
    /// Directions forgotten at `maxDirections`, the least recently seen first, with their buffers.
    public private(set) var directionsForgotten = 0
    /// Bytes those directions held unframed (a partial message) or out of order when forgotten.
    public private(set) var bytesForgotten = 0
    private var followed = RecentKeys<DirectionKey>()

    public init(bufferLimit: Int = 1 << 20, maxDirections: Int? = nil) {
        self.bufferLimit = bufferLimit
        self.maxDirections = maxDirections.map { max($0, 1) }
    }

    /// Directions followed now (each connection has two once both sides sent).
    public var directionCount: Int { directions.count }

    /// Marks `key` as seen now; at the cap, a direction not yet followed takes the slot of the one
    /// seen longest ago, which is forgotten with its buffers. O(1): no scan, so time stays linear
    /// under a flood of connections.
    private mutating func touch(_ key: DirectionKey, cap: Int) {
        guard let old = followed.touch(key, cap: cap) else { return }
        if let gone = directions.removeValue(forKey: old) {
            directionsForgotten += 1
            bytesForgotten += gone.stream.pendingBytes + gone.framer.bufferedBytes
        }
    }

    /// Whether a TCP segment belongs to BMP.
    public static func carries(_ tcp: TCPHeader) -> Bool { tcp.sourcePort == port || tcp.destinationPort == port }

    /// Feeds one TCP segment; returns the BMP messages it completed.
    public mutating func observe(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer) -> [BMPMessageRecord] {
        let key = DirectionKey(source: network.source, sourcePort: tcp.sourcePort,
                               destination: network.destination, destinationPort: tcp.destinationPort)
        if let maxDirections { touch(key, cap: maxDirections) }
        if tcp.flags.contains(.syn), directions[key]?.stream.nextSequence != tcp.sequenceNumber &+ 1 {
            directions[key] = nil  // a new connection on a known 4-tuple
        }
        var direction = directions.removeValue(forKey: key)
            ?? Direction(stream: TCPStream(bufferLimit: bufferLimit),
                         framer: BMPFramer(startsAtMessageBoundary: tcp.flags.contains(.syn)))
        var output: [BMPMessageRecord] = []
        for event in direction.stream.segment(sequence: tcp.sequenceNumber, flags: tcp.flags, payload: payload) {
            switch event {
            case .data(let bytes, _): direction.framer.append(bytes)
            case .hole:
                holes += 1
                direction.framer.hole()
            case .fin, .reset, .conflict: break
            }
        }
        while let bytes = direction.framer.next() {
            let decoded: Result<BMPMessage, WireError> = bytes.withUnsafeBytes { view in
                do throws(WireError) { return .success(try BMPMessage.decode(view)) } catch { return .failure(error) }
            }
            output.append(BMPMessageRecord(frameNumber: frameNumber, timeNanoseconds: time, source: key.source,
                                           destination: key.destination, sourcePort: key.sourcePort,
                                           destinationPort: key.destinationPort, ttl: network.ttl,
                                           length: bytes.count, typeCode: bytes[5], message: decoded))
        }
        directions[key] = direction
        return output
    }
}
