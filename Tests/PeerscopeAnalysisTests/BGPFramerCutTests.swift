import PeerscopeAnalysis
import Testing

/// A hole in the stream cuts only the message that spans it: whole messages that arrived before
/// it and were not yet read still come out, and framing resumes at the next marker after it.
/// A KEEPALIVE is the bare 19-byte header (RFC 4271 §4.1, §4.4); an OPEN header here promises more
/// bytes than arrive before the hole.
struct BGPFramerCutTests {
    static let keepalive: [UInt8] = Array(repeating: 0xFF, count: 16) + [0, 19, 4]
    static func header(length: Int, type: UInt8) -> [UInt8] {
        Array(repeating: 0xFF, count: 16) + [UInt8(length >> 8), UInt8(length & 0xFF), type]
    }

    @Test("messages before a hole survive it; the one spanning it is dropped, counted as skipped")
    func messagesBeforeHole() {
        var framer = BGPFramer()
        // Two KEEPALIVEs and the first 10 bytes of a 29-byte OPEN, then a hole, then a KEEPALIVE.
        framer.append(Self.keepalive + Self.keepalive + Array(Self.header(length: 29, type: 1).prefix(10)))
        framer.hole()
        framer.append(Self.keepalive)
        var messages: [[UInt8]] = []
        while let message = framer.next() { messages.append(message) }
        #expect(messages == [Self.keepalive, Self.keepalive, Self.keepalive])
        #expect(framer.skippedBytes == 10)
        #expect(framer.bufferedBytes == 0)
    }

    @Test("a hole with nothing unread behaves as before: resynchronise on the next marker")
    func holeAtBoundary() {
        var framer = BGPFramer()
        framer.append(Self.keepalive)
        #expect(framer.next() == Self.keepalive)
        framer.hole()
        framer.append([1, 2, 3] + Self.keepalive)
        #expect(framer.next() == Self.keepalive)
        #expect(framer.skippedBytes == 3)
    }

    @Test("after reading a large drain the framer keeps at most what is unread")
    func compactsAfterDrain() {
        var framer = BGPFramer(startsAtMessageBoundary: false)
        // 1 MiB with no marker in it (bytes 0…255 repeated), as a reassembly window released at once.
        let noise = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0) }
        for chunk in stride(from: 0, to: noise.count, by: 1_400) {
            framer.append(Array(noise[chunk..<min(chunk + 1_400, noise.count)]))
        }
        #expect(framer.next() == nil)
        // Fewer bytes than a header are left, and the rest was skipped while hunting for a marker.
        #expect(framer.bufferedBytes < 19)
        #expect(framer.skippedBytes == noise.count - framer.bufferedBytes)
    }
}
