import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// `decode -Y bgp` follows TCP directions with a `BGPStreamTracker` alone: under a flood of
/// connections that each leave a partial message behind (issue 12 item 5), at most
/// `maxDirections` are held, the least recently seen forgotten first.
@Suite("BGP stream tracker: directions capped")
struct BGPStreamDirectionCapTests {
    // RFC 4271 §4.1/§4.4: a KEEPALIVE is the 19-byte header alone; its first 10 bytes are a
    // message that never completes.
    let keepalive = BGPMessage.keepalive.encoded()

    private func segment(_ tracker: inout BGPStreamTracker, client: UInt8, frame: Int, sequence: UInt32,
                         flags: TCPFlags, _ payload: [UInt8] = []) -> [BGPMessageRecord] {
        let network = NetworkSummary(source: .v4(IPv4Address(198, 51, 100, client)),
                                     destination: .v4(IPv4Address(192, 0, 2, 1)), ttl: 1, version: 4)
        let tcp = TCPHeader(sourcePort: 40_000, destinationPort: 179, sequenceNumber: sequence, acknowledgmentNumber: 0,
                            flags: flags)
        return payload.withUnsafeBytes {
            tracker.observe(frameNumber: frame, time: Int64(frame), network: network, tcp: tcp, payload: $0)
        }
    }

    @Test("100 connections with a partial message each, cap 8: 8 followed, 92 forgotten, the newest still decode")
    func floodOfStalledConnections() {
        var tracker = BGPStreamTracker(maxDirections: 8)
        var frame = 0
        for client in 1...100 {
            frame += 1
            _ = segment(&tracker, client: UInt8(client), frame: frame, sequence: 99, flags: [.syn])
            frame += 1
            _ = segment(&tracker, client: UInt8(client), frame: frame, sequence: 100, flags: [.ack],
                        Array(keepalive.prefix(10)))
            #expect(tracker.directionCount <= 8)
        }
        #expect(tracker.directionCount == 8)
        #expect(tracker.directionsForgotten == 92)
        // The last connection is still followed: its message completes.
        frame += 1
        let done = segment(&tracker, client: 100, frame: frame, sequence: 110, flags: [.ack], Array(keepalive.dropFirst(10)))
        #expect(done.map(\.typeCode) == [4])
        // The first was forgotten: its rest alone is no message (and no trap).
        frame += 1
        #expect(segment(&tracker, client: 1, frame: frame, sequence: 110, flags: [.ack], Array(keepalive.dropFirst(10))).isEmpty)
    }

    @Test("without a cap (under a session tracker that folds connections itself) nothing is forgotten")
    func noCap() {
        var tracker = BGPStreamTracker()
        for client in 1...50 {
            _ = segment(&tracker, client: UInt8(client), frame: client, sequence: 99, flags: [.syn])
        }
        #expect(tracker.directionCount == 50)
        #expect(tracker.directionsForgotten == 0)
    }
}
