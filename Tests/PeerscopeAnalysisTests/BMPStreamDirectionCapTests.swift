import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// `decode -Y bmp` follows BMP connections with a `BMPStreamTracker`: under a flood of connections
/// that each leave a partial message behind (issue 12 item 5), at most `maxDirections` are held,
/// the least recently seen forgotten first, with what they held counted.
@Suite("BMP stream tracker: directions capped")
struct BMPStreamDirectionCapTests {
    // RFC 7854 §4.3: an Initiation message is the 6-octet common header (version 3, 32-bit length,
    // type 4) plus TLVs; 2 is sysName. Written here from the RFC's layout, not with our encoder.
    static let initiation: [UInt8] = {
        let name = Array("r1".utf8)
        let tlv: [UInt8] = [0, 2, 0, UInt8(name.count)] + name
        let length = 6 + tlv.count
        return [3, 0, 0, 0, UInt8(length), 4] + tlv
    }()

    private func segment(_ tracker: inout BMPStreamTracker, client: UInt8, frame: Int, sequence: UInt32,
                         flags: TCPFlags, _ payload: [UInt8] = []) -> [BMPMessageRecord] {
        let network = NetworkSummary(source: .v4(IPv4Address(198, 51, 100, client)),
                                     destination: .v4(IPv4Address(192, 0, 2, 1)), ttl: 64, version: 4)
        let tcp = TCPHeader(sourcePort: 40_000, destinationPort: BMPStreamTracker.port, sequenceNumber: sequence,
                            acknowledgmentNumber: 0, flags: flags)
        return payload.withUnsafeBytes {
            tracker.observe(frameNumber: frame, time: Int64(frame), network: network, tcp: tcp, payload: $0)
        }
    }

    @Test("100 connections with a partial message each, cap 8: 8 followed, 92 forgotten with their bytes, the newest still decode")
    func floodOfStalledConnections() {
        var tracker = BMPStreamTracker(maxDirections: 8)
        var frame = 0
        for client in 1...100 {
            frame += 1
            _ = segment(&tracker, client: UInt8(client), frame: frame, sequence: 99, flags: [.syn])
            frame += 1
            _ = segment(&tracker, client: UInt8(client), frame: frame, sequence: 100, flags: [.ack],
                        Array(Self.initiation.prefix(7)))
            #expect(tracker.directionCount <= 8)
        }
        #expect(tracker.directionCount == 8)
        #expect(tracker.directionsForgotten == 92)
        #expect(tracker.bytesForgotten == 92 * 7)
        // The last connection is still followed: its message completes and decodes as Initiation.
        frame += 1
        let done = segment(&tracker, client: 100, frame: frame, sequence: 107, flags: [.ack],
                           Array(Self.initiation.dropFirst(7)))
        #expect(done.map(\.typeCode) == [4])
        #expect(done.first.map { (try? $0.message.get()) != nil } == true)
        // The first was forgotten: its rest alone is no message (and no trap).
        frame += 1
        #expect(segment(&tracker, client: 1, frame: frame, sequence: 107, flags: [.ack],
                        Array(Self.initiation.dropFirst(7))).isEmpty)
    }

    @Test("a direction seen again is the most recent: the cap forgets the one seen longest ago")
    func leastRecentlySeenGoesFirst() {
        var tracker = BMPStreamTracker(maxDirections: 2)
        _ = segment(&tracker, client: 1, frame: 1, sequence: 99, flags: [.syn])
        _ = segment(&tracker, client: 2, frame: 2, sequence: 99, flags: [.syn])
        _ = segment(&tracker, client: 1, frame: 3, sequence: 100, flags: [.ack], Array(Self.initiation.prefix(3)))
        _ = segment(&tracker, client: 3, frame: 4, sequence: 99, flags: [.syn])  // forgets client 2
        #expect(tracker.directionsForgotten == 1)
        let done = segment(&tracker, client: 1, frame: 5, sequence: 103, flags: [.ack], Array(Self.initiation.dropFirst(3)))
        #expect(done.map(\.typeCode) == [4])
    }

    @Test("without a cap nothing is forgotten")
    func noCap() {
        var tracker = BMPStreamTracker()
        for client in 1...50 {
            _ = segment(&tracker, client: UInt8(client), frame: client, sequence: 99, flags: [.syn])
        }
        #expect(tracker.directionCount == 50)
        #expect(tracker.directionsForgotten == 0)
    }
}
