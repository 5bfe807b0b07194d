import Glibc
import PeerscopeEndpoint
import PeerscopeProbe
import PeerscopeWire
import Testing

/// Batched pool I/O (issue 14 item 5) against the kernel's own UDP stack as the independent judge:
/// a datagram whose IPv4 or UDP header (length, checksum) we wrote wrong never reaches a UDP socket,
/// and what does arrive carries the source address, port and TTL the kernel read from the wire.
@Suite("Batched datagram I/O: sendmmsg over a raw socket, recvmmsg")
struct BatchedDatagramIOTests {
    @Test("a pool sending batched: one sendmmsg for 5 sessions, each from its own address and RFC 5881 port, TTL 255, read back in one recvmmsg",
          .enabled(if: geteuid() == 0, "raw sockets need CAP_NET_RAW"))
    func batchedPoolSendsWhatTheKernelAccepts() async throws {
        try await onOwnThread {
            let sessions = 5
            let wildcard = SocketAddress(.v4(IPv4Address(0)), port: 0)
            // The peers' side is a plain UDP socket on lo: what the kernel hands it is the truth.
            let peer = try UDPSocket(family: 4)
            try peer.bind(toInterface: "lo")
            try peer.bind(to: wildcard)
            let pool = try BFDSessionPool(receiveOn: wildcard, interface: "lo", capacity: sessions,
                                          peerReceivePort: peer.localAddress!.port,
                                          interfaces: try LocalInterfaces.current(), batchedIPv4Transmit: true)
            for session in 0..<sessions {
                let configuration = try BFDEndpointConfiguration(
                    localDiscriminator: 0x5100_0000 | UInt32(session + 1), desiredMinTxInterval: 1_000_000,
                    requiredMinRxInterval: 1_000_000)
                try pool.add(local: .v4(IPv4Address(0x7F35_0000 | UInt32(session + 1))),
                             peer: .v4(IPv4Address(0x7F36_0000 | UInt32(session + 1))), configuration: configuration)
            }
            pool.startAll()
            #expect(pool.counters.sendCalls == 1, "one sendmmsg for the whole start-up burst")
            #expect(pool.counters.datagramsSent == sessions)
            #expect(pool.counters.sendErrors == 0 && pool.counters.refusedByGuard == 0)

            // On loopback the sending call itself runs the receive path: all five are queued now.
            let batch = DatagramBatch()
            #expect(try peer.receive(into: batch) == sessions)
            var sourcePorts: Set<UInt16> = []
            var discriminators: Set<UInt32> = []
            for index in 0..<batch.count {
                let metadata = peer.metadata(of: index, in: batch)
                let packet = try BFDControlPacket.decode(batch.payload(index))
                let session = Int(packet.myDiscriminator & 0xFFFF) - 1
                // RFC 5881 §4: from the session's own address and a port in 49152–65535; §5: TTL 255.
                #expect(metadata.source.address == .v4(IPv4Address(0x7F35_0000 | UInt32(session + 1))))
                #expect(metadata.destination?.address == .v4(IPv4Address(0x7F36_0000 | UInt32(session + 1))))
                #expect(BFDSocket.sourcePortRange.contains(metadata.source.port))
                #expect(metadata.ttl == 255)
                #expect(packet.state == .down)
                #expect(metadata.length == batch.payload(index).count && !metadata.isTruncated)
                sourcePorts.insert(metadata.source.port)
                discriminators.insert(packet.myDiscriminator)
            }
            #expect(sourcePorts.count == sessions, "RFC 5881 §4: each session its own source port")
            #expect(discriminators.count == sessions)
        }
    }

    @Test("recvmmsg: a datagram longer than its slot is cut and reported truncated with its full length")
    func truncatedInBatch() async throws {
        try await onOwnThread {
            let receiver = try UDPSocket(family: 4)
            try receiver.bind(to: SocketAddress(.v4(IPv4Address(127, 0, 0, 2)), port: 0))
            let sender = try BFDSocket.Transmitter(
                local: .v4(IPv4Address(127, 0, 0, 1)),
                peerGuard: try PeerGuard(peer: .v4(IPv4Address(127, 0, 0, 2)), singleHop: true,
                                         interfaces: try LocalInterfaces.current()),
                transport: .singleHop, destinationPort: receiver.localAddress!.port)
            try sender.send(Array(repeating: 0xAB, count: 100), now: 0)
            try sender.send(Array(repeating: 0xCD, count: 10), now: 1_000_000)
            let batch = DatagramBatch(capacity: 8, slotBytes: 32)
            #expect(try receiver.receive(into: batch) == 2)
            let first = receiver.metadata(of: 0, in: batch)
            #expect(first.isTruncated && first.length == 100)
            #expect(Array(batch.payload(0)) == Array(repeating: 0xAB, count: 32))
            let second = receiver.metadata(of: 1, in: batch)
            #expect(!second.isTruncated && Array(batch.payload(1)) == Array(repeating: 0xCD, count: 10))
            #expect(try receiver.receive(into: batch) == 0, "an empty queue reads 0, not an error")
        }
    }
}
