import Foundation
import PeerscopeProbe
import PeerscopeWire
import Testing

/// BGP's transport over loopback on port 179, each test on its own loopback address.
@Suite("TCP connections with TTL 255 and GTSM")
struct TCPConnectionTests {
    /// Connects `client` to `listener`, accepts, and exchanges a few bytes each way.
    static func establish(listener: TCPListener, peer: SocketAddress, options: TCPOptions)
        throws -> (client: TCPConnection, server: TCPConnection) {
        var peerGuard = try PeerGuard(peer: peer.address, singleHop: true, interfaces: try LocalInterfaces.current())
        let client = try TCPConnection.connect(to: peer, options: options, peerGuard: &peerGuard,
                                               now: MonotonicClock.nowNanoseconds())
        let loop = try EventLoop()
        try loop.register(client.fileDescriptor, interest: .writable)
        try loop.register(listener.fileDescriptor)
        var server: TCPConnection?
        var connected = client.state == .established
        let done = try pump(loop) { event, _ in
            guard case .ready(let fd, _, _, _) = event else { return false }
            if fd == listener.fileDescriptor, server == nil { server = try listener.accept() }
            if fd == client.fileDescriptor, !connected {
                connected = try client.finishConnecting()
                if connected { try loop.unregister(client.fileDescriptor) }
            }
            return connected && server != nil
        }
        guard done, let server else { throw CommandError(command: "connect \(peer)", output: "not established") }
        return (client, server)
    }

    func exchange(_ client: TCPConnection, _ server: TCPConnection) throws -> ([UInt8], [UInt8]) {
        #expect(try client.write([0xFF, 0xFF, 1, 2]) == 4)
        #expect(try server.write([3, 4, 5]) == 3)
        let loop = try EventLoop()
        try loop.register(client.fileDescriptor)
        try loop.register(server.fileDescriptor)
        var atServer: [UInt8] = []
        var atClient: [UInt8] = []
        _ = try pump(loop) { event, _ in
            guard case .ready(let fd, _, _, _) = event else { return false }
            let connection = fd == client.fileDescriptor ? client : server
            if case .bytes(let bytes) = try connection.read() {
                if connection === client { atClient += bytes } else { atServer += bytes }
            }
            return atServer.count == 4 && atClient.count == 3
        }
        return (atServer, atClient)
    }

    func connectAndExchange(_ local: IPAddress) async throws {
        let outcome = try await onOwnThread { () -> [String] in
            let listener = try TCPListener(local: SocketAddress(local, port: TCPListener.bgpPort),
                                           options: TCPOptions(ttl: 255, minimumTTL: 255))
            let (client, server) = try Self.establish(
                listener: listener, peer: SocketAddress(local, port: 179), options: TCPOptions(minimumTTL: 254))
            let (atServer, atClient) = try exchange(client, server)
            client.close()
            // The peer's FIN arrives as end of stream.
            let loop = try EventLoop()
            try loop.register(server.fileDescriptor)
            var ended = false
            _ = try pump(loop) { _, _ in
                if try server.read() == .endOfStream { ended = true }
                return ended
            }
            return ["\(atServer)", "\(atClient)", "\(client.state)", "\(server.ttl)", "\(server.minimumTTL)",
                    "\(listener.localAddress.port)", "\(ended)"]
        }
        #expect(outcome == ["[255, 255, 1, 2]", "[3, 4, 5]", "closed", "255", "255", "179", "true"])
    }

    @Test("IPv4: connect to 127.77.0.2:179 with TTL 255, min TTL 254/255, accept, read, write, FIN")
    func ipv4() async throws { try await connectAndExchange(addr("127.77.0.2")) }

    @Test("IPv6: connect to [::1]:179 with hop limit 255 and a minimum hop count")
    func ipv6() async throws { try await connectAndExchange(addr("::1")) }

    @Test("options are on the socket: TTL 255 and the GTSM minimum")
    func optionsApplied() throws {
        let local = addr("127.77.0.11")
        let listener = try TCPListener(local: SocketAddress(local, port: 0), options: TCPOptions(minimumTTL: 254))
        var peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
        let client = try TCPConnection.connect(to: listener.localAddress, options: TCPOptions(ttl: 255, minimumTTL: 254),
                                               peerGuard: &peerGuard, now: MonotonicClock.nowNanoseconds())
        #expect(client.ttl == 255)
        #expect(client.minimumTTL == 254)
    }

    @Test("GTSM: a SYN sent with TTL 1 (or 254) never reaches a listener with minimum TTL 255; TTL 255 does")
    func minimumTTLRefusesLowTTL() async throws {
        let local = addr("127.77.0.3")
        let outcome = try await onOwnThread { () -> [String] in
            let listener = try TCPListener(local: SocketAddress(local, port: 179),
                                           options: TCPOptions(ttl: 255, minimumTTL: 255))
            var results: [String] = []
            for ttl: UInt8 in [1, 254] {
                var peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
                let client = try TCPConnection.connect(to: SocketAddress(local, port: 179), options: TCPOptions(ttl: ttl),
                                                       peerGuard: &peerGuard, now: MonotonicClock.nowNanoseconds())
                let loop = try EventLoop()
                try loop.register(client.fileDescriptor, interest: .writable)
                try loop.register(listener.fileDescriptor)
                // Long enough for several loopback round trips; the kernel drops each SYN silently and
                // would retransmit only after a second.
                let established = try pump(loop, timeoutNanoseconds: 400_000_000) { event, _ in
                    guard case .ready(let fd, _, _, _) = event else { return false }
                    if fd == listener.fileDescriptor, try listener.accept() != nil { return true }
                    if fd == client.fileDescriptor { return try client.finishConnecting() }
                    return false
                }
                results.append("ttl \(ttl): \(established ? "established" : "not established") \(client.state)")
                client.close()
            }
            _ = try Self.establish(listener: listener, peer: SocketAddress(local, port: 179), options: TCPOptions())
            results.append("ttl 255: established")
            return results
        }
        #expect(outcome == ["ttl 1: not established connecting", "ttl 254: not established connecting",
                            "ttl 255: established"])
    }

    @Test("connect to a closed port fails with ECONNREFUSED from finishConnecting")
    func refused() async throws {
        let local = addr("127.77.0.12")
        let error = try await onOwnThread { () -> SocketError? in
            var peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
            let client = try TCPConnection.connect(to: SocketAddress(local, port: 179), peerGuard: &peerGuard,
                                                   now: MonotonicClock.nowNanoseconds())
            let loop = try EventLoop()
            try loop.register(client.fileDescriptor, interest: .writable)
            var failure: SocketError?
            _ = try pump(loop) { _, _ in
                do { _ = try client.finishConnecting() } catch { failure = error as? SocketError }
                return failure != nil
            }
            return failure
        }
        #expect(error?.code == ECONNREFUSED)
    }

    @Test("connect refuses a broadcast or foreign peer through the guard")
    func guardedConnect() throws {
        var peerGuard = try PeerGuard(peer: addr("127.77.0.13"), singleHop: true,
                                      interfaces: try LocalInterfaces.current())
        #expect(throws: SendError.refused(.notThePeer(destination: addr("127.77.0.14"),
                                                      peer: addr("127.77.0.13")))) {
            _ = try TCPConnection.connect(to: SocketAddress(addr("127.77.0.14"), port: 179),
                                          peerGuard: &peerGuard, now: 0)
        }
    }
}
