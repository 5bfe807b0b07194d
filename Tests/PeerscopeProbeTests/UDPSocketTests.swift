import Foundation
import PeerscopeProbe
import PeerscopeWire
import Testing

/// Loopback round trips through the kernel. Each test uses its own loopback address or port so the
/// tests can run in parallel: 127.77.0.1 for IPv4 here, ::1 port 3784 only here.
@Suite("BFD sockets over loopback")
struct UDPSocketTests {
    static let loopbackIndex = if_nametoindex("lo")

    func roundTrip(local: IPAddress) async throws {
        // The kernel stamps each datagram between these two wall-clock readings. A bound on
        // `wall - stamp` alone failed when the suite ran beside CPU-heavy tests (the thread that
        // reads the datagrams can wait seconds for a core).
        let before = MonotonicClock.wallNanoseconds()
        let results = try await onOwnThread { () -> [ReceivedDatagram] in
            let interfaces = try LocalInterfaces.current()
            let receiver = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: interfaces)
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let loop = try EventLoop()
            try loop.register(receiver.fileDescriptor)
            let now = MonotonicClock.nowNanoseconds()
            try transmitter.send([1, 2, 3, 4], now: now)
            try transmitter.send([5, 6, 7, 8], ttl: 254, now: now)
            try transmitter.send([9], now: now)
            var received: [ReceivedDatagram] = []
            _ = try pump(loop) { event, _ in
                if case .ready(receiver.fileDescriptor, true, _, _) = event {
                    while let datagram = try receiver.receive() { received.append(datagram) }
                }
                return received.count == 3
            }
            return received
        }
        #expect(results.map(\.bytes) == [[1, 2, 3, 4], [5, 6, 7, 8], [9]])
        // TTL 255 by default, 254 for the one packet that asked, and back to 255: the override is per packet.
        #expect(results.map(\.ttl) == [255, 254, 255])
        let wall = MonotonicClock.wallNanoseconds()
        for datagram in results {
            #expect(datagram.source.address == local)
            #expect(BFDSocket.sourcePortRange.contains(datagram.source.port))
            #expect(datagram.destination == SocketAddress(local, port: 3784))
            #expect(datagram.interfaceIndex == Self.loopbackIndex)
            let stamp = try #require(datagram.kernelTimestampNanoseconds)
            #expect(before <= stamp && stamp <= wall, "kernel timestamp \(stamp) outside [\(before), \(wall)]")
            #expect(datagram.receivedAtNanoseconds <= MonotonicClock.nowNanoseconds())
        }
        // One session, one source port (RFC 5881 §4).
        #expect(Set(results.map(\.source.port)).count == 1)
    }

    @Test("IPv4: TTL 255, a per-packet TTL 254, source port, destination, ifindex, kernel timestamp")
    func ipv4RoundTrip() async throws {
        try await roundTrip(local: addr("127.77.0.1"))
    }

    @Test("IPv6 on ::1: hop limit 255 and 254, source port, destination, ifindex, kernel timestamp")
    func ipv6RoundTrip() async throws {
        try await roundTrip(local: addr("::1"))
    }

    @Test("multihop receive socket listens on 4784 and the transmitter sends there")
    func multihopPort() async throws {
        let local = addr("127.77.0.4")
        let datagram = try await onOwnThread { () -> ReceivedDatagram? in
            let receiver = try BFDSocket.Receiver(local: local, transport: .multihop)
            let peerGuard = try PeerGuard(peer: local, singleHop: false, interfaces: try LocalInterfaces.current())
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .multihop)
            #expect(transmitter.destination.port == 4784)
            let loop = try EventLoop()
            try loop.register(receiver.fileDescriptor)
            try transmitter.send([0x20, 0x40], now: MonotonicClock.nowNanoseconds())
            var got: ReceivedDatagram?
            _ = try pump(loop) { _, _ in
                got = try receiver.receive()
                return got != nil
            }
            return got
        }
        let received = try #require(datagram)
        #expect(received.destination?.port == 4784)
        #expect(received.ttl == 255)
    }

    @Test("sessions get distinct source ports from 49152–65535; a full range reports EADDRINUSE")
    func sourcePorts() throws {
        let local = addr("127.77.0.5")
        let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
        let narrow: ClosedRange<UInt16> = 60_000...60_003
        var transmitters: [BFDSocket.Transmitter] = []
        for _ in narrow {
            transmitters.append(try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop,
                                                          sourcePorts: narrow))
        }
        #expect(Set(transmitters.map(\.localAddress.port)) == Set(narrow))
        #expect(throws: SocketError.self) {
            _ = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop, sourcePorts: narrow)
        }
        do {
            _ = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop, sourcePorts: narrow)
        } catch {
            #expect(error.isAddressInUse)
        }
    }

    @Test("the transmitter refuses any destination but its peer, before the kernel sees it")
    func transmitterRefusesOtherDestinations() throws {
        let local = addr("127.77.0.6")
        let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
        let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
        let now = MonotonicClock.nowNanoseconds()
        for other in ["127.77.0.7", "255.255.255.255", "224.0.0.1", "0.0.0.0"].map({ IPAddress($0)! }) {
            #expect(throws: SendError.self) { try transmitter.send([1], to: other, now: now) }
        }
        do {
            try transmitter.send([1], to: addr("127.77.0.7"), now: now)
        } catch {
            #expect(error == .refused(.notThePeer(destination: addr("127.77.0.7"), peer: local)))
        }
    }

    @Test("SO_BINDTODEVICE on lo still receives loopback traffic; an unknown interface is refused")
    func bindToDevice() throws {
        let receiver = try BFDSocket.Receiver(local: addr("127.77.0.8"), transport: .singleHop, interface: "lo")
        #expect(receiver.localAddress.port == 3784)
        #expect(throws: SocketError.self) {
            _ = try BFDSocket.Receiver(local: addr("127.77.0.9"), transport: .singleHop,
                                       interface: "ps-io-nonexistent0")
        }
    }

    @Test("a datagram larger than the caller's buffer is reported truncated with its full length")
    func truncation() async throws {
        let local = addr("127.77.0.10")
        let metadata = try await onOwnThread { () -> DatagramMetadata? in
            let receiver = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let loop = try EventLoop()
            try loop.register(receiver.fileDescriptor)
            try transmitter.send([UInt8](repeating: 7, count: 100), now: MonotonicClock.nowNanoseconds())
            var buffer = [UInt8](repeating: 0, count: 24)
            var got: DatagramMetadata?
            _ = try pump(loop) { _, _ in
                got = try buffer.withUnsafeMutableBytes { raw in try receiver.receive(into: raw) }
                return got != nil
            }
            return got
        }
        let received = try #require(metadata)
        #expect(received.isTruncated)
        #expect(received.length == 100)
    }
    @Test("a receiver narrowed to the peer's address and source port takes only its packets from the shared one, and follows a new port")
    func narrowedReceiver() async throws {
        let local = addr("127.77.0.12")
        let (first, second) = try await onOwnThread { () -> (([[UInt8]], [[UInt8]]), ([[UInt8]], [[UInt8]])) in
            let interfaces = try LocalInterfaces.current()
            let shared = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let narrowed = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: interfaces)
            let peer = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let stranger = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            try narrowed.narrow(to: peer.localAddress)
            let loop = try EventLoop()
            try loop.register(shared.fileDescriptor)
            try loop.register(narrowed.fileDescriptor)
            func exchange(_ expected: Int) throws -> ([[UInt8]], [[UInt8]]) {
                let now = MonotonicClock.nowNanoseconds()
                for n in 0..<3 { try peer.send([1, UInt8(n)], now: now) }
                for n in 0..<2 { try stranger.send([2, UInt8(n)], now: now) }
                var (onShared, onNarrowed): ([[UInt8]], [[UInt8]]) = ([], [])
                _ = try pump(loop) { _, _ in
                    while let datagram = try shared.receive() { onShared.append(datagram.bytes) }
                    while let datagram = try narrowed.receive() { onNarrowed.append(datagram.bytes) }
                    return onShared.count + onNarrowed.count == expected
                }
                return (onShared, onNarrowed)
            }
            let first = try exchange(5)
            // The peer restarted on another source port: the channel moves with it.
            try narrowed.narrow(to: stranger.localAddress)
            let second = try exchange(5)
            return (first, second)
        }
        // The shared receiver got the stranger's two, the narrowed one the peer's three.
        #expect(first.0 == [[2, 0], [2, 1]])
        #expect(first.1 == [[1, 0], [1, 1], [1, 2]])
        // Moved to the stranger's port: the roles swap.
        #expect(second.0 == [[1, 0], [1, 1], [1, 2]])
        #expect(second.1 == [[2, 0], [2, 1]])
    }
}
