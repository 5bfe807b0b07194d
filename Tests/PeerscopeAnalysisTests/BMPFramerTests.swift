import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// The BMP framer (RFC 7854 §4.1 common header) over a byte stream cut anywhere, and after a hole.
@Suite("BMP framing")
struct BMPFramerTests {
    static let peer = BMPPerPeerHeader(address: IPAddress("198.51.100.1")!, asn: 65001, bgpID: IPv4Address(198, 51, 100, 1))
    static let messages: [BMPMessage] = [
        .initiation([BMPTLV(type: 2, text: "r1")]),
        .routeMonitoring(peer, bgpMessage: BGPMessage.update(BGPUpdate(
            announced: [BGPPrefix(address: IPAddress("203.0.113.0")!, length: 24)])).encoded()),
        .statisticsReport(peer, [BMPTLV(type: 7, value: [0, 0, 0, 0, 0, 0, 0, 9])]),
        .peerDown(BMPPeerDown(peer: peer, reason: 4)),
        .termination([BMPTLV(type: 1, value: [0, 1])]),
    ]

    @Test("a stream cut into random pieces yields exactly the messages written")
    func randomCuts() throws {
        let stream = Self.messages.flatMap { $0.encoded() }
        var random = SplitMix64(seed: 11019)
        for _ in 0..<200 {
            var framer = BMPFramer()
            var out: [[UInt8]] = []
            var index = 0
            while index < stream.count {
                let piece = 1 + Int(random.next() % 40)
                framer.append(Array(stream[index..<min(stream.count, index + piece)]))
                index += piece
                while let message = framer.next() { out.append(message) }
            }
            #expect(out == Self.messages.map { $0.encoded() })
        }
    }

    @Test("after a hole, or mid-stream, the framer finds the next header and skips the rest")
    func resynchronises() {
        var framer = BMPFramer(startsAtMessageBoundary: false)
        let tail = Self.messages.dropFirst(2).flatMap { $0.encoded() }
        framer.append([0xAA, 0xBB, 0x03, 0xFF] + Array(Self.messages[1].encoded().dropFirst(7)) + tail)
        var out: [[UInt8]] = []
        while let message = framer.next() { out.append(message) }
        #expect(out == Self.messages.dropFirst(2).map { $0.encoded() })
        #expect(framer.skippedBytes > 0)
    }
}
