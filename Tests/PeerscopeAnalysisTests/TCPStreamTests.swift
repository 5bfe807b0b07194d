import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// Feeds a segment and flattens what the stream delivers into bytes plus markers.
func feed(_ stream: inout TCPStream, _ sequence: UInt32, _ payload: [UInt8], _ flags: TCPFlags = [.ack]) -> [TCPStreamEvent] {
    payload.withUnsafeBytes { stream.segment(sequence: sequence, flags: flags, payload: $0) }
}

func bytes(_ events: [TCPStreamEvent]) -> [UInt8] {
    events.flatMap { event -> [UInt8] in
        if case .data(let data, _) = event { return data }
        return []
    }
}

@Suite("TCP reassembly and BGP framing")
struct TCPStreamTests {
    @Test("in order after the SYN, across sequence wrap-around")
    func inOrder() {
        var stream = TCPStream()
        _ = feed(&stream, UInt32.max - 2, [], [.syn])
        var delivered = bytes(feed(&stream, UInt32.max - 1, [1, 2, 3]))
        delivered += bytes(feed(&stream, 1, [4, 5]))
        #expect(delivered == [1, 2, 3, 4, 5])
    }

    @Test("out of order segments wait for the gap to fill")
    func outOfOrder() {
        var stream = TCPStream()
        _ = feed(&stream, 99, [], [.syn])
        #expect(bytes(feed(&stream, 103, [4, 5, 6])).isEmpty)
        #expect(bytes(feed(&stream, 100, [1, 2, 3])) == [1, 2, 3, 4, 5, 6])
    }

    @Test("retransmissions and overlaps deliver only new bytes; the first copy wins")
    func overlap() {
        var stream = TCPStream()
        _ = feed(&stream, 0, [], [.syn])
        var delivered = bytes(feed(&stream, 1, [1, 2, 3, 4]))
        delivered += bytes(feed(&stream, 1, [9, 9, 9, 9]))        // full retransmission, different bytes
        delivered += bytes(feed(&stream, 3, [9, 9, 5, 6]))        // overlap: 2 old bytes, 2 new
        #expect(delivered == [1, 2, 3, 4, 5, 6])
        #expect(stream.retransmittedBytes == 6)
        // The first copy is kept and the differing bytes are reported: 4 in the full
        // retransmission, 2 in the overlap.
        #expect(stream.conflictingBytes == 6)
        var same = TCPStream()
        _ = feed(&same, 0, [], [.syn])
        _ = feed(&same, 1, [1, 2, 3, 4])
        #expect(feed(&same, 1, [1, 2, 3, 4]).isEmpty, "an identical retransmission is not news")
        #expect(same.conflictingBytes == 0)
    }

    @Test("an ACK beyond a gap gives the gap up at once and delivers what waited behind it")
    func acknowledgedGap() {
        var stream = TCPStream()
        _ = feed(&stream, 0, [], [.syn])
        _ = feed(&stream, 1, [1, 2])
        #expect(feed(&stream, 6, [6, 7]).isEmpty)
        #expect(stream.acknowledged(8) == [.hole(missing: 3), .data([6, 7], from: .unstamped)])
        #expect(stream.acknowledged(8).isEmpty, "an ACK already seen changes nothing")
        #expect(stream.acknowledged(12) == [.hole(missing: 4)], "acknowledged bytes never captured are a hole too")
        #expect(bytes(feed(&stream, 12, [9])) == [9])
    }

    @Test("a gap that never fills becomes a hole at FIN, and RST ends the stream")
    func holes() {
        var stream = TCPStream()
        _ = feed(&stream, 0, [], [.syn])
        _ = feed(&stream, 1, [1, 2])
        _ = feed(&stream, 10, [7, 8])
        let end = feed(&stream, 12, [], [.fin, .ack])
        #expect(end == [.hole(missing: 7), .data([7, 8], from: .unstamped), .fin])
        var reset = TCPStream()
        #expect(feed(&reset, 5, [], [.rst]) == [.reset])
    }

    @Test("the buffer is bounded: overflow declares the oldest gap a hole")
    func bounded() {
        var stream = TCPStream(bufferLimit: 8)
        _ = feed(&stream, 0, [], [.syn])
        _ = feed(&stream, 101, Array(repeating: 1, count: 6))
        let events = feed(&stream, 107, Array(repeating: 2, count: 6))
        #expect(events.first == .hole(missing: 100))
        #expect(bytes(events).count == 12)
        #expect(stream.bufferOverflows == 1)
    }

    @Test("a connection already open starts at its first data segment")
    func midStream() {
        var stream = TCPStream()
        #expect(bytes(feed(&stream, 5000, [1, 2])) == [1, 2])
    }

    @Test("the framer cuts messages across segment boundaries and resynchronises after a hole")
    func framer() {
        let keepalive = BGPMessage.keepalive.encoded()
        let notification = BGPMessage.notification(BGPNotification(code: 6, subcode: 10)).encoded()
        var framer = BGPFramer()
        framer.append(Array(keepalive.prefix(10)))
        #expect(framer.next() == nil)
        framer.append(Array(keepalive.dropFirst(10)) + Array(notification.prefix(5)))
        #expect(framer.next() == keepalive)
        #expect(framer.next() == nil)
        framer.hole()
        // Garbage (the rest of a message whose start was lost), then a whole NOTIFICATION.
        framer.append(Array(notification.dropFirst(5)) + [0x12, 0xFF, 0x00] + notification)
        #expect(framer.next() == notification)
        #expect(framer.resynchronisations == 1)
        #expect(framer.skippedBytes > 0)
    }
}
