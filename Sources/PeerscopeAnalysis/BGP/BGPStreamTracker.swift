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
    public var markerValid: Bool
    public var message: Result<BGPMessage, WireError>
}

/// Follows every TCP connection with port 179 on either side, reassembles each direction and
/// decodes the BGP messages in it, learning from the OPENs how to read the UPDATEs (4-octet AS,
/// add-path). Buffers are bounded per direction.
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
    public private(set) var holes = 0

    public init() {}

    /// Feeds one TCP segment to or from port 179; returns the messages it completed.
    public mutating func observe(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer) -> [BGPMessageRecord] {
        let key = DirectionKey(source: network.source, sourcePort: tcp.sourcePort,
                               destination: network.destination, destinationPort: tcp.destinationPort)
        let reverse = DirectionKey(source: network.destination, sourcePort: tcp.destinationPort,
                                   destination: network.source, destinationPort: tcp.sourcePort)
        // Taken out while it changes so its buffers are not copied on every segment.
        let known = directions[key] != nil
        var direction = directions.removeValue(forKey: key) ?? Direction(stream: TCPStream())
        if !known, !tcp.flags.contains(.syn) {
            // Picked up mid-connection: the first byte is not necessarily a message start.
            direction.framer = BGPFramer(startsAtMessageBoundary: false)
        }
        let events = direction.stream.segment(sequence: tcp.sequenceNumber, flags: tcp.flags, payload: payload)
        var records: [BGPMessageRecord] = []
        for event in events {
            switch event {
            case .data(let bytes): direction.framer.append(bytes)
            case .hole:
                holes += 1
                direction.framer.hole()
            case .fin, .reset: break
            }
        }
        // Both ends' OPENs decide how UPDATEs are read (RFC 6793, RFC 7911).
        let peerOpen = directions[reverse]?.opens
        var options = BGPDecodingOptions(fourOctetAS: true)
        if let mine = direction.opens, let theirs = peerOpen {
            options.fourOctetAS = mine.capabilities.contains { if case .fourOctetAS = $0 { return true } else { return false } }
                && theirs.capabilities.contains { if case .fourOctetAS = $0 { return true } else { return false } }
            options.extendedMessage = mine.capabilities.contains(.extendedMessage) && theirs.capabilities.contains(.extendedMessage)
            for capability in theirs.capabilities {
                if case .addPath(let families) = capability {
                    for (family, mode) in families where mode & 2 != 0 { options.addPath.insert(family) }
                }
            }
        }
        while let bytes = direction.framer.next() {
            let decoded: Result<(BGPHeader, BGPMessage), WireError> = bytes.withUnsafeBytes { view in
                do throws(WireError) { return .success(try BGPMessage.decode(view, options: options)) } catch { return .failure(error) }
            }
            let header = try? decoded.get().0
            if case .success((_, .open(let open))) = decoded { direction.opens = open }
            records.append(BGPMessageRecord(
                frameNumber: frameNumber, timeNanoseconds: time, source: network.source, destination: network.destination,
                sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort, ttl: network.ttl,
                length: header?.length ?? bytes.count, markerValid: header?.markerValid ?? true,
                message: decoded.map(\.1)))
        }
        directions[key] = direction
        return records
    }
}
