import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// One side of a hand-built TCP connection to port 179: each segment is a frame whose number and
/// time the test chooses, so the expected stamps are known without running our code.
private struct Connection {
    var tracker = BGPStreamTracker()
    let a = NetworkSummary(source: .v4(IPv4Address(192, 0, 2, 1)), destination: .v4(IPv4Address(192, 0, 2, 2)),
                           ttl: 1, version: 4)
    var b: NetworkSummary { NetworkSummary(source: a.destination, destination: a.source, ttl: 1, version: 4) }

    mutating func send(fromA: Bool = true, frame: Int, sequence: UInt32, ack: UInt32 = 0, flags: TCPFlags = [.ack],
                       _ payload: [UInt8] = []) -> [BGPStreamEvent] {
        let tcp = TCPHeader(sourcePort: fromA ? 50_000 : 179, destinationPort: fromA ? 179 : 50_000,
                            sequenceNumber: sequence, acknowledgmentNumber: ack, flags: flags)
        return payload.withUnsafeBytes {
            tracker.segment(frameNumber: frame, time: Int64(frame) * 1_000_000_000, network: fromA ? a : b, tcp: tcp,
                            payload: $0)
        }
    }
}

private func messages(_ events: [BGPStreamEvent]) -> [(frame: Int, time: Int64, type: UInt8)] {
    events.compactMap {
        if case .message(let record) = $0 { (record.frameNumber, record.timeNanoseconds, record.typeCode) } else { nil }
    }
}

@Suite("BGP over a TCP stream with capture holes")
struct BGPStreamHoleTests {
    // RFC 4271 §4.4: a KEEPALIVE is the 19-byte header alone; §4.5 NOTIFICATION adds 2 bytes.
    let keepalive = BGPMessage.keepalive.encoded()
    let notification = BGPMessage.notification(BGPNotification(code: 6, subcode: 2)).encoded()

    /// Frames 3–5 carry KEEPALIVE, (lost KEEPALIVE), KEEPALIVE, NOTIFICATION from A; nothing ever
    /// acknowledges past the lost one.
    private func openWithGap(_ connection: inout Connection) -> [BGPStreamEvent] {
        var events = connection.send(frame: 1, sequence: 999, flags: [.syn])
        events += connection.send(fromA: false, frame: 2, sequence: 4999, ack: 1000, flags: [.syn, .ack])
        events += connection.send(frame: 3, sequence: 1000, keepalive)
        // Bytes 1019..<1038 (a KEEPALIVE) were never captured.
        events += connection.send(frame: 4, sequence: 1038, keepalive)
        events += connection.send(frame: 5, sequence: 1057, notification)
        return events
    }

    @Test("messages behind a gap never acknowledged are decoded at their own frames when the capture ends")
    func unacknowledgedGapAtEnd() {
        var connection = Connection()
        var events = openWithGap(&connection)
        #expect(messages(events).map(\.frame) == [3], "only the first KEEPALIVE is in order")
        events = connection.tracker.finish()
        #expect(messages(events).map(\.frame) == [4, 5])
        #expect(messages(events).map(\.time) == [4_000_000_000, 5_000_000_000])
        #expect(messages(events).map(\.type) == [4, 3])
        let holes = events.compactMap { event -> (Int, Int)? in
            if case .transport(let t) = event, case .hole(let missing, _) = t.kind { (t.frameNumber, missing) } else { nil }
        }
        #expect(holes.count == 1)
        #expect(holes.first?.0 == 4, "the hole shows at the first frame after it")
        #expect(holes.first?.1 == 19, "one KEEPALIVE's worth of bytes is missing")
    }

    @Test("an ACK past the gap releases the messages at the frames that carried them, not the ACK's")
    func acknowledgedGap() {
        var connection = Connection()
        _ = openWithGap(&connection)
        let released = connection.send(fromA: false, frame: 6, sequence: 5000, ack: 1078)
        #expect(messages(released).map(\.frame) == [4, 5])
        #expect(messages(connection.tracker.finish()).isEmpty)
    }

    @Test("a capture that ends mid-message says so at the last frame instead of losing it")
    func endsMidMessage() {
        var connection = Connection()
        _ = connection.send(frame: 1, sequence: 999, flags: [.syn])
        _ = connection.send(frame: 2, sequence: 1000, keepalive)
        _ = connection.send(frame: 3, sequence: 1019, Array(notification.prefix(10)))
        let partial = connection.tracker.finish().compactMap { event -> (Int, Int)? in
            if case .transport(let t) = event, case .endsMidMessage(let bytes) = t.kind { (t.frameNumber, bytes) } else { nil }
        }
        #expect(partial.count == 1)
        #expect(partial.first?.0 == 3)
        #expect(partial.first?.1 == 10)
    }

    @Test("a message split over segments is stamped with the frame that completed it")
    func splitMessage() {
        var connection = Connection()
        _ = connection.send(frame: 1, sequence: 999, flags: [.syn])
        #expect(messages(connection.send(frame: 2, sequence: 1000, Array(notification.prefix(7)))).isEmpty)
        #expect(messages(connection.send(frame: 3, sequence: 1007, Array(notification.dropFirst(7)))).map(\.frame) == [3])
    }
}

@Suite("TCP reassembly stays linear")
struct TCPStreamScaleTests {
    /// Issue 12: 40,000 one-byte out-of-order segments took `check` 40 s because every in-order
    /// segment rescanned the buffer. Both arrival orders must be linear (n log n).
    @Test("50,000 one-byte segments behind a gap, ascending and descending", arguments: [false, true])
    func manySmallSegments(descending: Bool) {
        let count = 50_000
        var stream = TCPStream(bufferLimit: 1 << 20)
        _ = feed(&stream, 0, [], [.syn])
        let clock = ContinuousClock()
        var delivered: [UInt8] = []
        let elapsed = clock.measure {
            var order = Array(2...count)
            if descending { order.reverse() }
            for index in order { delivered += bytes(feed(&stream, UInt32(index), [UInt8(truncatingIfNeeded: index)])) }
            #expect(delivered.isEmpty)
            delivered += bytes(feed(&stream, 1, [1]))
        }
        #expect(delivered == (1...count).map { UInt8(truncatingIfNeeded: $0) })
        #expect(stream.pendingSegments == 0)
        // Quadratic work (2.5·10⁹ steps) takes minutes; linear work well under a second, so the
        // bound only separates the two even on a loaded machine.
        #expect(elapsed < .seconds(20))
    }

    @Test("out-of-order segments across sequence wrap-around come out in order")
    func wrapAround() {
        var stream = TCPStream()
        _ = feed(&stream, UInt32.max - 3, [], [.syn])
        // Next expected is 2^32 - 2; segments at 2^32 - 1, 1 and 2 wait for it.
        #expect(bytes(feed(&stream, 2, [5, 6])).isEmpty)
        #expect(bytes(feed(&stream, UInt32.max, [2, 3])).isEmpty)
        #expect(bytes(feed(&stream, 1, [4])).isEmpty)
        #expect(bytes(feed(&stream, UInt32.max - 2, [0, 1])) == [0, 1, 2, 3, 4, 5, 6])
    }
}

@Suite("BGP session timeline with capture holes")
struct BGPSessionHoleTests {
    @Test("messages released at the end of the capture take their place in frame order in the timeline")
    func timelineInFrameOrder() {
        let a = NetworkSummary(source: .v4(IPv4Address(192, 0, 2, 1)), destination: .v4(IPv4Address(192, 0, 2, 2)),
                               ttl: 1, version: 4)
        let b = NetworkSummary(source: a.destination, destination: a.source, ttl: 1, version: 4)
        var tracker = BGPSessionTracker()
        func send(_ fromA: Bool, frame: Int, sequence: UInt32, ack: UInt32, flags: TCPFlags = [.ack], _ payload: [UInt8] = []) {
            let tcp = TCPHeader(sourcePort: fromA ? 50_000 : 179, destinationPort: fromA ? 179 : 50_000,
                                sequenceNumber: sequence, acknowledgmentNumber: ack, flags: flags)
            payload.withUnsafeBytes {
                tracker.observe(frameNumber: frame, time: Int64(frame) * 1_000_000_000, network: fromA ? a : b, tcp: tcp,
                                payload: $0)
            }
        }
        let keepalive = BGPMessage.keepalive.encoded()
        let notification = BGPMessage.notification(BGPNotification(code: 6, subcode: 2)).encoded()
        send(true, frame: 1, sequence: 999, ack: 0, flags: [.syn])
        send(false, frame: 2, sequence: 4_999, ack: 1_000, flags: [.syn, .ack])
        send(true, frame: 3, sequence: 1_000, ack: 5_000, keepalive)
        // A's 1019..<1038 never captured; frame 4 waits behind the gap. B's frames 5 and 6 only
        // acknowledge up to the gap, so nothing releases frame 4 before the end.
        send(true, frame: 4, sequence: 1_038, ack: 5_000, notification)
        send(false, frame: 5, sequence: 5_000, ack: 1_019, keepalive)
        send(false, frame: 6, sequence: 5_019, ack: 1_019, notification)
        tracker.finish()
        let events = tracker.sessions.first?.events ?? []
        let frames = events.map(\.frameNumber)
        #expect(frames == frames.sorted(), "timeline frames \(frames)")
        let notifications = events.compactMap { event -> Int? in
            if case .notification = event.kind { event.frameNumber } else { nil }
        }
        #expect(notifications == [4, 6], "A's NOTIFICATION behind the hole is at frame 4, before B's at 6")
    }
}
