import PeerscopeWire

#if canImport(Glibc)
import Glibc
#endif

/// Which BFD encapsulation a session uses, and so which UDP port.
public enum BFDTransport: Hashable, Sendable, CustomStringConvertible {
    /// RFC 5881 §4: control packets to UDP port 3784.
    case singleHop
    /// RFC 5883 §5: control packets to UDP port 4784.
    case multihop

    public var destinationPort: UInt16 {
        switch self {
        case .singleHop: 3784
        case .multihop: 4784
        }
    }

    public var description: String {
        switch self {
        case .singleHop: "single-hop"
        case .multihop: "multihop"
        }
    }
}

/// The BFD sockets of RFC 5881/5883: one receive socket on the well-known port for all sessions of a
/// local address, and one transmit socket per session with its own ephemeral source port.
public enum BFDSocket {
    /// RFC 5881 §4: "The source port MUST be in the range 49152 through 65535."
    public static let sourcePortRange: ClosedRange<UInt16> = 49_152...65_535
    /// RFC 5881 §5 / RFC 5082: sent with TTL (hop limit) 255 so a receiver can prove the peer is adjacent.
    public static let defaultTTL: UInt8 = 255

    /// Bound to `local:3784` (single hop) or `local:4784` (multihop); reports each packet's TTL,
    /// destination, interface and kernel timestamp, which is what the RFC 5881 §5 TTL check and
    /// session demultiplexing need.
    public final class Receiver {
        public let socket: UDPSocket
        public let transport: BFDTransport
        public var localAddress: SocketAddress { socket.localAddress! }
        public var fileDescriptor: Int32 { socket.fileDescriptor }

        /// - Parameters:
        ///   - port: overrides the transport's well-known port (tests, or a device on a non-standard port).
        ///   - interface: SO_BINDTODEVICE, so a session on one link never sees another link's packets.
        public init(local: IPAddress, transport: BFDTransport, port: UInt16? = nil, interface: String? = nil,
                    scopeID: UInt32 = 0) throws(SocketError) {
            socket = try UDPSocket(family: local.version)
            self.transport = transport
            if let interface { try socket.bind(toInterface: interface) }
            // SO_REUSEADDR lets a tester restart at once after a previous run on the same port.
            try socket.bind(to: SocketAddress(local, port: port ?? transport.destinationPort, scopeID: scopeID),
                            reuseAddress: true)
        }

        public func receive() throws(SocketError) -> ReceivedDatagram? { try socket.receive() }

        public func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> DatagramMetadata? {
            try socket.receive(into: buffer)
        }

        /// Narrows this receiver to one session's peer: its address *and* source port (RFC 5881 §4:
        /// the source port stays the same for the whole session). Bound beside the shared receiver
        /// on the same local address and port, a connected receiver takes the peer's packets out of
        /// the shared queue, so a flood to the well-known port — spoofed sources, other ports — can
        /// overflow that queue without costing the session a single packet.
        public func narrow(to peer: SocketAddress) throws(SocketError) { try socket.connect(to: peer) }
    }

    /// One session's sending side: bound to the local address and a source port from 49152–65535 that
    /// stays the same for the whole session (RFC 5881 §4), TTL 255 unless a packet asks otherwise, and
    /// every packet admitted by the session's `PeerGuard`.
    public final class Transmitter {
        public let socket: UDPSocket
        public let transport: BFDTransport
        /// Where every packet goes: the peer on the transport's port (or the override).
        public let destination: SocketAddress
        public private(set) var peerGuard: PeerGuard
        public var localAddress: SocketAddress { socket.localAddress! }
        public var fileDescriptor: Int32 { socket.fileDescriptor }

        /// - Parameters:
        ///   - peerGuard: built for `peer`; its peer must be the destination.
        ///   - destinationPort: overrides the transport's port (tests only).
        ///   - sourcePorts: where to pick the source port; random, retried while in use.
        public init(local: IPAddress, peerGuard: PeerGuard, transport: BFDTransport, interface: String? = nil,
                    ttl: UInt8 = BFDSocket.defaultTTL, destinationPort: UInt16? = nil,
                    sourcePorts: ClosedRange<UInt16> = BFDSocket.sourcePortRange,
                    scopeID: UInt32 = 0) throws(SocketError) {
            precondition(local.version == peerGuard.peer.version, "local and peer addresses of one family")
            precondition(sourcePortRange.contains(sourcePorts.lowerBound)
                         && sourcePortRange.contains(sourcePorts.upperBound), "RFC 5881 §4 source ports")
            self.transport = transport
            self.peerGuard = peerGuard
            destination = SocketAddress(peerGuard.peer, port: destinationPort ?? transport.destinationPort,
                                        scopeID: scopeID)
            socket = try Self.bindEphemeral(local: local, scopeID: scopeID, interface: interface, in: sourcePorts)
            try socket.setTTL(ttl)
        }

        /// Sends one control (or probe) packet to the peer. `ttl` overrides 255 for this packet only,
        /// as a probe that checks the peer's RFC 5881 §5 TTL check does with 254.
        public func send(_ bytes: [UInt8], ttl: UInt8? = nil, now: Int64) throws(SendError) {
            do { try peerGuard.admit(destination.address, now: now) } catch { throw .refused(error) }
            do { try socket.send(bytes, to: destination, ttl: ttl) } catch { throw .socket(error) }
        }

        /// Asks the guard whether a packet to the peer may leave now (it counts against the rate
        /// limit): for a pool that sends the packet itself in a batch (`BatchedIPv4Sender`).
        func admit(now: Int64) throws(PeerGuardError) {
            try peerGuard.admit(destination.address, now: now)
        }

        /// Sends to an address other than the configured peer: always refused; exists so the driver
        /// has no way around the guard and tests can show it.
        public func send(_ bytes: [UInt8], to address: IPAddress, ttl: UInt8? = nil, now: Int64) throws(SendError) {
            do { try peerGuard.admit(address, now: now) } catch { throw .refused(error) }
            do { try socket.send(bytes, to: SocketAddress(address, port: destination.port), ttl: ttl) } catch {
                throw .socket(error)
            }
        }

        /// ICMP errors and stray datagrams to the source port; BFD control packets arrive on the Receiver.
        public func receive() throws(SocketError) -> ReceivedDatagram? { try socket.receive() }

        private static func bindEphemeral(local: IPAddress, scopeID: UInt32, interface: String?,
                                          in ports: ClosedRange<UInt16>) throws(SocketError) -> UDPSocket {
            var generator = SystemRandomNumberGenerator()
            let start = Int(UInt16.random(in: ports, using: &generator) - ports.lowerBound)
            var lastError = SocketError("bind \(local) to a port in \(ports)", code: EADDRINUSE)
            // A sweep from a random start: sessions spread out, and a nearly full range is still found.
            for attempt in 0..<ports.count {
                let port = ports.lowerBound + UInt16((start + attempt) % ports.count)
                let socket = try UDPSocket(family: local.version)
                if let interface { try socket.bind(toInterface: interface) }
                do {
                    try socket.bind(to: SocketAddress(local, port: port, scopeID: scopeID))
                    return socket
                } catch where error.isAddressInUse {
                    lastError = error
                }
            }
            throw lastError
        }
    }
}
