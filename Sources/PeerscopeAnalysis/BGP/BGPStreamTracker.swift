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
        /// buffer cap forced the gap to be given up.
        case hole(missing: Int, overflow: Bool)
        /// After a hole (or a connection picked up mid-stream) the framer found the next BGP
        /// header `skipped` bytes further on.
        case resynchronised(skipped: Int)
        /// A retransmission differed from the first copy in `bytes` bytes (the first copy was kept).
        case conflict(bytes: Int)
        /// The capture ended (or the connection closed) with `bytes` bytes of a message begun but
        /// never completed: they are lost to the capture, not silently dropped.
        case endsMidMessage(bytes: Int)
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

    /// The sender's address and port.
    public var source: (IPAddress, UInt16) {
        switch self {
        case .transport(let event): (event.source, event.sourcePort)
        case .message(let record): (record.source, record.sourcePort)
        }
    }

    /// The receiver's address and port.
    public var destination: (IPAddress, UInt16) {
        switch self {
        case .transport(let event): (event.destination, event.destinationPort)
        case .message(let record): (record.destination, record.destinationPort)
        }
    }

    public var frameNumber: Int {
        switch self {
        case .transport(let event): event.frameNumber
        case .message(let record): record.frameNumber
        }
    }
}

/// Follows every TCP connection with port 179 on either side, reassembles each direction and
/// decodes the BGP messages in it, learning from the OPENs how to read the UPDATEs (4-octet AS,
/// add-path, extended message). Buffers are bounded per direction (`bufferLimit`). A gap the
/// capture missed is given up as soon as the other side acknowledges past it.
public struct BGPStreamTracker: Sendable {
    private struct DirectionKey: Hashable {
        var source: IPAddress
        var sourcePort: UInt16
        var destination: IPAddress
        var destinationPort: UInt16

        var reversed: DirectionKey {
            DirectionKey(source: destination, sourcePort: destinationPort, destination: source, destinationPort: sourcePort)
        }
    }

    private struct Direction {
        var stream: TCPStream
        var framer = BGPFramer()
        var opens: BGPOpen?
        var ttl: UInt8 = 0
        /// How to read this direction's UPDATEs; recomputed only until both OPENs are known.
        var options: BGPDecodingOptions?
        var optionsFinal = false
    }

    /// Where and when: the frame being processed.
    private struct Moment {
        var frameNumber: Int
        var time: Int64
    }

    /// Out-of-order data given up because all connections together held `totalBufferLimit` bytes.
    public struct CapTally: Sendable, Equatable {
        /// Gaps given up early, and the out-of-order bytes then released past them.
        public var gaps = 0
        public var bytes = 0
        /// The most out-of-order bytes held at once, all connections together.
        public var peakBytes = 0
        public var firstFrame: Int?
    }

    private var directions: [DirectionKey: Direction] = [:]
    /// The latest segment seen: the end of the capture, as far as `finish()` can tell.
    private var lastMoment = Moment(frameNumber: 0, time: 0)
    public let bufferLimit: Int
    /// Most out-of-order bytes held by all directions together (issue 12 item 5).
    public let totalBufferLimit: Int
    public private(set) var holes = 0
    private var pendingBytes = 0
    public private(set) var capTally = CapTally()

    /// Most directions followed at once when the tracker stands alone (`decode -Y bgp`); nil when a
    /// session tracker above it folds whole connections itself (`forget`).
    public let maxDirections: Int?
    /// Directions forgotten at `maxDirections`, the least recently seen first, with their buffers.
    public private(set) var directionsForgotten = 0
    private var followed = RecentKeys<DirectionKey>()

    public init(bufferLimit: Int = 1 << 20, totalBufferLimit: Int = StateLimits.defaultMaxReassemblyBytes,
                maxDirections: Int? = nil) {
        self.bufferLimit = bufferLimit
        self.totalBufferLimit = totalBufferLimit
        self.maxDirections = maxDirections.map { max($0, 1) }
    }

    /// Marks `key` as seen now; at the cap, a direction not yet followed takes the slot of the one
    /// seen longest ago, which is forgotten with its buffers. O(1): no scan (issue 12 item 5).
    private mutating func touch(_ key: DirectionKey, cap: Int) {
        guard let old = followed.touch(key, cap: cap) else { return }
        if let gone = directions.removeValue(forKey: old) {
            pendingBytes -= gone.stream.pendingBytes
            directionsForgotten += 1
        }
    }

    /// Directions followed (each connection has two once both sides spoke).
    public var directionCount: Int { directions.count }

    /// Drops both directions of a connection (folded at the session cap) with their buffers.
    public mutating func forget(_ a: IPAddress, _ aPort: UInt16, _ b: IPAddress, _ bPort: UInt16) {
        let key = DirectionKey(source: a, sourcePort: aPort, destination: b, destinationPort: bPort)
        for k in [key, key.reversed] {
            if let gone = directions.removeValue(forKey: k) { pendingBytes -= gone.stream.pendingBytes }
        }
    }

    /// Feeds one TCP segment; returns the BGP messages it completed.
    public mutating func observe(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer) -> [BGPMessageRecord] {
        segment(frameNumber: frameNumber, time: time, network: network, tcp: tcp, payload: payload).compactMap {
            if case .message(let record) = $0 { record } else { nil }
        }
    }

    /// Feeds one TCP segment; returns the connection events and BGP messages it produced, in
    /// either direction (an ACK can release the other direction's data past a capture hole).
    public mutating func segment(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer) -> [BGPStreamEvent] {
        let key = DirectionKey(source: network.source, sourcePort: tcp.sourcePort,
                               destination: network.destination, destinationPort: tcp.destinationPort)
        let moment = Moment(frameNumber: frameNumber, time: time)
        lastMoment = moment
        if let maxDirections { touch(key, cap: maxDirections) }
        var output: [BGPStreamEvent] = []
        // Sized once for the messages a segment can complete (at least 19 bytes each, RFC 4271
        // §4.1; a full segment of UPDATEs holds ten or more): grown one append at a time the list
        // went through three or four buffers per segment. Pure ACKs allocate nothing here.
        if !payload.isEmpty { output.reserveCapacity(min(2 + payload.count / 64, 64)) }
        let retransmittedSYN = tcp.flags.contains(.syn) && directions[key]?.stream.nextSequence == tcp.sequenceNumber &+ 1
        if tcp.flags.contains(.syn), !retransmittedSYN {
            // A new SYN on a known 4-tuple is a new connection: forget the old direction.
            if let gone = directions.removeValue(forKey: key) { pendingBytes -= gone.stream.pendingBytes }
            output.append(transport(tcp.flags.contains(.ack) ? .accept : .connect,
                                    key: key, ttl: network.ttl, moment))
        }
        // Taken out while it changes so its buffers are not copied on every segment.
        let known = directions[key] != nil
        var direction = directions.removeValue(forKey: key) ?? Direction(stream: TCPStream(bufferLimit: bufferLimit))
        if !known, !tcp.flags.contains(.syn) {
            // Picked up mid-connection: the first byte is not necessarily a message start.
            direction.framer = BGPFramer(startsAtMessageBoundary: false)
        }
        direction.ttl = network.ttl
        let overflowsBefore = direction.stream.bufferOverflows
        let pendingBefore = direction.stream.pendingBytes
        var events = direction.stream.segment(sequence: tcp.sequenceNumber, flags: tcp.flags, payload: payload,
                                              origin: TCPSegmentOrigin(frameNumber: frameNumber, timeNanoseconds: time))
        pendingBytes += direction.stream.pendingBytes - pendingBefore
        capTally.peakBytes = max(capTally.peakBytes, pendingBytes)
        var capped = false
        if pendingBytes > totalBufferLimit, direction.stream.pendingBytes > 0 {
            capped = true
            // All connections together hold too much out of order: the one growing gives up its
            // gaps now (as its own cap would later) — O(its buffer), never a scan of the others.
            let held = direction.stream.pendingBytes
            let released = direction.stream.flush()
            pendingBytes -= held
            capTally.gaps += released.filter { if case .hole = $0 { true } else { false } }.count
            capTally.bytes += held
            if capTally.firstFrame == nil { capTally.firstFrame = frameNumber }
            events += released
        }
        deliver(events, to: &direction, key: key, moment,
                overflow: capped || direction.stream.bufferOverflows > overflowsBefore, resynchronising: known,
                into: &output)
        // Kept after FIN/RST: retransmissions of the last segments still arrive and must be
        // recognised as bytes already delivered.
        directions[key] = direction
        if tcp.flags.contains(.ack), var reverse = directions.removeValue(forKey: key.reversed) {
            let reverseBefore = reverse.stream.pendingBytes
            let released = reverse.stream.acknowledged(tcp.acknowledgmentNumber)
            pendingBytes += reverse.stream.pendingBytes - reverseBefore
            if !released.isEmpty {
                deliver(released, to: &reverse, key: key.reversed, moment, overflow: false, resynchronising: true,
                        into: &output)
            }
            directions[key.reversed] = reverse
        }
        return output
    }

    /// At the end of the capture: data still waiting behind a gap is decoded after a hole, each
    /// message at the frame that completed it; a message the capture cut off is reported at the
    /// last frame. Events come in frame order.
    public mutating func finish() -> [BGPStreamEvent] {
        var output: [BGPStreamEvent] = []
        for key in directions.keys {
            guard var direction = directions.removeValue(forKey: key) else { continue }
            let events = direction.stream.flush()
            if !events.isEmpty {
                deliver(events, to: &direction, key: key, lastMoment, overflow: false, resynchronising: true,
                        into: &output)
            }
            if direction.framer.bufferedBytes > 0 {
                output.append(transport(.endsMidMessage(bytes: direction.framer.bufferedBytes), key: key,
                                        ttl: direction.ttl, lastMoment))
                direction.framer.hole()
            }
            directions[key] = direction
        }
        // Stable: events of one direction keep their order.
        return output.enumerated().sorted {
            ($0.element.frameNumber, $0.offset) < ($1.element.frameNumber, $1.offset)
        }.map(\.element)
    }

    private func transport(_ kind: BGPTransportEvent.Kind, key: DirectionKey, ttl: UInt8, _ moment: Moment) -> BGPStreamEvent {
        .transport(BGPTransportEvent(frameNumber: moment.frameNumber, timeNanoseconds: moment.time, source: key.source,
                                     destination: key.destination, sourcePort: key.sourcePort,
                                     destinationPort: key.destinationPort, ttl: ttl, kind: kind))
    }

    /// Appends to `output` what `events` produced: transport events and each message completed,
    /// decoded in place in the framer's buffer.
    private mutating func deliver(_ events: [TCPStreamEvent], to direction: inout Direction, key: DirectionKey,
                                  _ moment: Moment, overflow: Bool, resynchronising: Bool,
                                  into output: inout [BGPStreamEvent]) {
        var closing: [BGPStreamEvent] = []
        let skippedBefore = direction.framer.skippedBytes
        for (index, event) in events.enumerated() {
            switch event {
            case .data(let bytes, let origin): direction.framer.append(bytes, from: origin)
            case .hole(let missing):
                holes += 1
                direction.framer.hole()
                // Stamped at the first data after the gap when there is some: that frame shows it.
                var at = moment
                if index + 1 < events.count, case .data(_, let origin) = events[index + 1], origin != .unstamped {
                    at = Moment(frameNumber: origin.frameNumber, time: origin.timeNanoseconds)
                }
                output.append(transport(.hole(missing: missing, overflow: overflow), key: key, ttl: direction.ttl, at))
            case .fin: closing.append(transport(.fin, key: key, ttl: direction.ttl, moment))
            case .reset: closing.append(transport(.reset, key: key, ttl: direction.ttl, moment))
            case .conflict(let bytes):
                output.append(transport(.conflict(bytes: bytes), key: key, ttl: direction.ttl, moment))
            }
        }
        while true {
            if !direction.optionsFinal {
                let theirs = directions[key.reversed]?.opens
                direction.options = decodingOptions(mine: direction.opens, theirs: theirs)
                direction.optionsFinal = direction.opens != nil && theirs != nil
                // RFC 8654 §4: longer than 4,096 only once both OPENs offered Extended Message.
                if direction.optionsFinal, let options = direction.options {
                    direction.framer.maximumLength = options.extendedMessage ? BGPHeader.extendedMaximumLength
                                                                             : BGPHeader.maximumLength
                }
            }
            guard let message = direction.framer.nextMessage() else { break }
            let options = direction.options ?? BGPDecodingOptions(fourOctetAS: true)
            // The framer guarantees at least a header's 19 bytes.
            let (decoded, length, typeCode, markerValid) = direction.framer.withBytes(of: message) { view in
                let decoded: Result<(BGPHeader, BGPMessage), WireError>
                do throws(WireError) { decoded = .success(try BGPMessage.decode(view, options: options)) } catch { decoded = .failure(error) }
                let header = try? decoded.get().0
                return (decoded, header?.length ?? Int(view[16]) << 8 | Int(view[17]), view[18],
                        header?.markerValid ?? !view.prefix(16).contains { $0 != 0xFF })
            }
            if case .success((_, .open(let open))) = decoded {
                direction.opens = open
                direction.optionsFinal = false
            }
            // The frame that carried the message's last byte, which may precede `moment` when the
            // data waited behind a gap.
            let origin = direction.framer.lastMessageOrigin
            let stamp = origin == .unstamped ? moment : Moment(frameNumber: origin.frameNumber, time: origin.timeNanoseconds)
            output.append(.message(BGPMessageRecord(
                frameNumber: stamp.frameNumber, timeNanoseconds: stamp.time, source: key.source,
                destination: key.destination, sourcePort: key.sourcePort, destinationPort: key.destinationPort,
                ttl: direction.ttl, length: length, typeCode: typeCode, markerValid: markerValid,
                message: decoded.map(\.1))))
        }
        if direction.framer.skippedBytes > skippedBefore, resynchronising {
            output.append(transport(.resynchronised(skipped: direction.framer.skippedBytes - skippedBefore),
                                    key: key, ttl: direction.ttl, moment))
        }
        output += closing
    }

    /// Both ends' OPENs decide how UPDATEs are read (RFC 6793, RFC 7911, RFC 8654).
    private func decodingOptions(mine: BGPOpen?, theirs: BGPOpen?) -> BGPDecodingOptions {
        var options = BGPDecodingOptions(fourOctetAS: true)
        guard let mine, let theirs else { return options }
        options.fourOctetAS = mine.fourOctetASN != nil && theirs.fourOctetASN != nil
        options.extendedMessage = mine.capabilities.contains(.extendedMessage) && theirs.capabilities.contains(.extendedMessage)
        options.multipleLabels = BGPDecodingOptions.multipleLabels(mine, theirs)
        // RFC 7911 §5: a sender puts path identifiers in a family's NLRI when it announced Send
        // (mode bit 2) and the receiver announced Receive (mode bit 1) for that family.
        func families(_ open: BGPOpen, _ bit: UInt8) -> Set<BGPAddressFamily> {
            var result: Set<BGPAddressFamily> = []
            for capability in open.capabilities {
                if case .addPath(let families) = capability {
                    for (family, mode) in families where mode & bit != 0 { result.insert(family) }
                }
            }
            return result
        }
        options.addPath = families(mine, 2).intersection(families(theirs, 1))
        return options
    }
}
