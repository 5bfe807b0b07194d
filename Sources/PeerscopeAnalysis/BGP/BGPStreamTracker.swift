import PeerscopeWire

/// One BGP message as read from the capture: the frame that completed it and where it went.
public struct BGPMessageRecord: Sendable {
    public var frameNumber: Int
    public var timeNanoseconds: Int64
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ttl: UInt8
    public var length: Int
    /// The header's type code, also when the body did not decode.
    public var typeCode: UInt8
    public var markerValid: Bool
    public var message: Result<BGPMessage, WireError>
}

/// What a TCP segment to or from port 179 did to its connection, beyond carrying BGP bytes.
public struct BGPTransportEvent: Sendable {
    public enum Kind: Sendable, Equatable {
        /// SYN without ACK: this side opens the connection.
        case connect
        /// SYN with ACK: this side accepts it.
        case accept
        case fin
        case reset
        /// The capture lacks `missing` bytes of this direction; `overflow` when the reassembly
        /// buffer cap, not the end of the connection, forced the gap to be given up.
        case hole(missing: Int, overflow: Bool)
        /// After a hole (or a connection picked up mid-stream) the framer found the next BGP
        /// header `skipped` bytes further on.
        case resynchronised(skipped: Int)
    }

    public var frameNumber: Int
    public var timeNanoseconds: Int64
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ttl: UInt8
    public var kind: Kind
}

/// Everything one segment produced, in order.
public enum BGPStreamEvent: Sendable {
    case transport(BGPTransportEvent)
    case message(BGPMessageRecord)
}

/// Follows every TCP connection with port 179 on either side, reassembles each direction and
/// decodes the BGP messages in it, learning from the OPENs how to read the UPDATEs (4-octet AS,
/// add-path, extended message). Buffers are bounded per direction (`bufferLimit`).
public struct BGPStreamTracker: Sendable {
    private struct DirectionKey: Hashable {
        var source: IPAddress
        var sourcePort: UInt16
        var destination: IPAddress
        var destinationPort: UInt16
    }

    private struct Direction {
        var stream: TCPStream
        var framer = BGPFramer()
        var opens: BGPOpen?
    }

    private var directions: [DirectionKey: Direction] = [:]
    public let bufferLimit: Int
    public private(set) var holes = 0

    public init(bufferLimit: Int = 1 << 20) {
        self.bufferLimit = bufferLimit
    }

    /// Feeds one TCP segment; returns the BGP messages it completed.
    public mutating func observe(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer) -> [BGPMessageRecord] {
        segment(frameNumber: frameNumber, time: time, network: network, tcp: tcp, payload: payload).compactMap {
            if case .message(let record) = $0 { record } else { nil }
        }
    }

    /// Feeds one TCP segment; returns the connection events and BGP messages it produced.
    public mutating func segment(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer) -> [BGPStreamEvent] {
        let key = DirectionKey(source: network.source, sourcePort: tcp.sourcePort,
                               destination: network.destination, destinationPort: tcp.destinationPort)
        let reverse = DirectionKey(source: network.destination, sourcePort: tcp.destinationPort,
                                   destination: network.source, destinationPort: tcp.sourcePort)
        func transport(_ kind: BGPTransportEvent.Kind) -> BGPStreamEvent {
            .transport(BGPTransportEvent(frameNumber: frameNumber, timeNanoseconds: time, source: network.source,
                                         destination: network.destination, sourcePort: tcp.sourcePort,
                                         destinationPort: tcp.destinationPort, ttl: network.ttl, kind: kind))
        }
        var output: [BGPStreamEvent] = []
        if tcp.flags.contains(.syn) {
            // A new SYN on a known 4-tuple is a new connection: forget the old direction.
            directions[key] = nil
            output.append(transport(tcp.flags.contains(.ack) ? .accept : .connect))
        }
        // Taken out while it changes so its buffers are not copied on every segment.
        let known = directions[key] != nil
        var direction = directions.removeValue(forKey: key) ?? Direction(stream: TCPStream(bufferLimit: bufferLimit))
        if !known, !tcp.flags.contains(.syn) {
            // Picked up mid-connection: the first byte is not necessarily a message start.
            direction.framer = BGPFramer(startsAtMessageBoundary: false)
        }
        let overflowsBefore = direction.stream.bufferOverflows
        let skippedBefore = direction.framer.skippedBytes
        let events = direction.stream.segment(sequence: tcp.sequenceNumber, flags: tcp.flags, payload: payload)
        var closing: [BGPStreamEvent] = []
        for event in events {
            switch event {
            case .data(let bytes): direction.framer.append(bytes)
            case .hole(let missing):
                holes += 1
                direction.framer.hole()
                output.append(transport(.hole(missing: missing, overflow: direction.stream.bufferOverflows > overflowsBefore)))
            case .fin: closing.append(transport(.fin))
            case .reset: closing.append(transport(.reset))
            }
        }
        let options = decodingOptions(mine: direction.opens, theirs: directions[reverse]?.opens)
        while let bytes = direction.framer.next() {
            let decoded: Result<(BGPHeader, BGPMessage), WireError> = bytes.withUnsafeBytes { view in
                do throws(WireError) { return .success(try BGPMessage.decode(view, options: options)) } catch { return .failure(error) }
            }
            let header = try? decoded.get().0
            if case .success((_, .open(let open))) = decoded { direction.opens = open }
            output.append(.message(BGPMessageRecord(
                frameNumber: frameNumber, timeNanoseconds: time, source: network.source, destination: network.destination,
                sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort, ttl: network.ttl,
                length: header?.length ?? Int(bytes[16]) << 8 | Int(bytes[17]), typeCode: bytes[18],
                markerValid: header?.markerValid ?? !bytes.prefix(16).contains { $0 != 0xFF },
                message: decoded.map(\.1))))
        }
        if direction.framer.skippedBytes > skippedBefore, known {
            output.append(transport(.resynchronised(skipped: direction.framer.skippedBytes - skippedBefore)))
        }
        output += closing
        // Kept after FIN/RST: retransmissions of the last segments still arrive and must be
        // recognised as bytes already delivered.
        directions[key] = direction
        return output
    }

    /// Both ends' OPENs decide how UPDATEs are read (RFC 6793, RFC 7911, RFC 8654).
    private func decodingOptions(mine: BGPOpen?, theirs: BGPOpen?) -> BGPDecodingOptions {
        var options = BGPDecodingOptions(fourOctetAS: true)
        guard let mine, let theirs else { return options }
        options.fourOctetAS = mine.fourOctetASN != nil && theirs.fourOctetASN != nil
        options.extendedMessage = mine.capabilities.contains(.extendedMessage) && theirs.capabilities.contains(.extendedMessage)
        for capability in theirs.capabilities {
            if case .addPath(let families) = capability {
                for (family, mode) in families where mode & 2 != 0 { options.addPath.insert(family) }
            }
        }
        return options
    }
}
