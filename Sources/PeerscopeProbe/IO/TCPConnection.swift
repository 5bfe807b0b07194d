import CPeerscopeSocket
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#endif

/// Socket options of a BGP transport connection.
public struct TCPOptions: Hashable, Sendable {
    /// TTL / hop limit of everything sent; 255 lets a GTSM peer (RFC 5082) accept us.
    public var ttl: UInt8
    /// GTSM on our side: segments arriving with a lower TTL are dropped by the kernel
    /// (IP_MINTTL / IPV6_MINHOPCOUNT); 254 accepts a peer one hop away, 255 only an adjacent one.
    public var minimumTTL: UInt8?
    /// SO_BINDTODEVICE.
    public var interface: String?

    public init(ttl: UInt8 = 255, minimumTTL: UInt8? = nil, interface: String? = nil) {
        self.ttl = ttl
        self.minimumTTL = minimumTTL
        self.interface = interface
    }

    func apply(to fd: Int32, family: Int) throws(SocketError) {
        if let interface { _ = try check("SO_BINDTODEVICE \(interface)", ps_bind_to_device(fd, interface)) }
        _ = try check("set TTL \(ttl)", ps_set_ttl(fd, Int32(family), Int32(ttl)))
        if let minimumTTL {
            _ = try check("set minimum TTL \(minimumTTL)", ps_set_min_ttl(fd, Int32(family), Int32(minimumTTL)))
        }
    }
}

/// The outcome of a nonblocking read.
public enum TCPReadResult: Hashable, Sendable {
    case bytes([UInt8])
    /// Nothing to read now; wait for readability.
    case wouldBlock
    /// The peer closed its side (FIN).
    case endOfStream
}

/// One nonblocking TCP connection (BGP's transport, RFC 4271 §8: port 179). The fd is closed with
/// the object or by `close()`.
public final class TCPConnection {
    public enum State: Hashable, Sendable {
        case connecting
        case established
        case closed
    }

    public let fileDescriptor: Int32
    public let family: Int
    public private(set) var state: State
    public let options: TCPOptions
    private var isOpen = true

    init(adopting fd: Int32, family: Int, state: State, options: TCPOptions) {
        fileDescriptor = fd
        self.family = family
        self.state = state
        self.options = options
    }

    deinit { if isOpen { _ = ps_close(fileDescriptor) } }

    /// Starts a nonblocking connect to `peer` (port 179 unless given). The connection is `connecting`
    /// until `finishConnecting()` sees it established; wait for writability in between.
    ///
    /// - Parameter peerGuard: when given, the peer address must pass it (no broadcast, the configured
    ///   peer, connected for single hop); a token is taken too.
    public static func connect(to peer: SocketAddress, from local: IPAddress? = nil, options: TCPOptions = TCPOptions(),
                               peerGuard: inout PeerGuard, now: Int64) throws(SendError) -> TCPConnection {
        do { try peerGuard.admit(peer.address, now: now) } catch { throw .refused(error) }
        do { return try connect(unguarded: peer, from: local, options: options) } catch { throw .socket(error) }
    }

    static func connect(unguarded peer: SocketAddress, from local: IPAddress?, options: TCPOptions) throws(SocketError)
        -> TCPConnection {
        let family = peer.address.version
        let fd = try check("open TCP/IPv\(family) socket", ps_tcp_open(Int32(family)))
        let connection = TCPConnection(adopting: fd, family: family, state: .connecting, options: options)
        try options.apply(to: fd, family: family)
        if let local {
            var endpoint = SocketAddress(local, port: 0, scopeID: peer.scopeID).endpoint
            _ = try check("bind \(local)", ps_bind(fd, &endpoint))
        }
        var endpoint = peer.endpoint
        let status = ps_connect(fd, &endpoint)
        if status == 0 {
            connection.state = .established
        } else if status != -EINPROGRESS {
            _ = try check("connect \(peer)", status)
        }
        return connection
    }

    /// After writability: true once established, false while still connecting; throws the connect
    /// error (refused, unreachable, timed out).
    public func finishConnecting() throws(SocketError) -> Bool {
        switch state {
        case .established: return true
        case .closed: throw SocketError("connect", code: EBADF)
        case .connecting: break
        }
        let error = ps_socket_error(fileDescriptor)
        if error < 0 {
            state = .closed
            throw SocketError("connect \(peerDescription)", result: Int(error))
        }
        var peer = ps_endpoint()
        // getpeername fails with ENOTCONN until the handshake is done.
        guard ps_peer_endpoint(fileDescriptor, &peer) == 0 else { return false }
        state = .established
        return true
    }

    public var localAddress: SocketAddress? {
        var endpoint = ps_endpoint()
        return ps_local_endpoint(fileDescriptor, &endpoint) == 0 ? SocketAddress(endpoint) : nil
    }

    public var peerAddress: SocketAddress? {
        var endpoint = ps_endpoint()
        return ps_peer_endpoint(fileDescriptor, &endpoint) == 0 ? SocketAddress(endpoint) : nil
    }

    /// The TTL this connection sends with.
    public var ttl: Int { Int(ps_get_ttl(fileDescriptor, Int32(family))) }
    /// The GTSM minimum in force on this socket (0 when off).
    public var minimumTTL: Int { Int(ps_get_min_ttl(fileDescriptor, Int32(family))) }

    private var peerDescription: String { peerAddress?.description ?? "peer" }

    /// Reads what is there into `buffer`: the count, 0 at end of stream, `nil` when it would block.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int? {
        let count = ps_read(fileDescriptor, buffer.baseAddress, buffer.count)
        if count == -Int(EAGAIN) || count == -Int(EWOULDBLOCK) { return nil }
        return try check("read from \(peerDescription)", count)
    }

    public func read(maximumCount: Int = 65_536) throws(SocketError) -> TCPReadResult {
        var buffer = [UInt8](repeating: 0, count: maximumCount)
        let count = buffer.withUnsafeMutableBytes { ps_read(fileDescriptor, $0.baseAddress, $0.count) }
        if count == -Int(EAGAIN) || count == -Int(EWOULDBLOCK) { return .wouldBlock }
        _ = try check("read from \(peerDescription)", count)
        if count == 0 { return .endOfStream }
        buffer.removeLast(maximumCount - count)
        return .bytes(buffer)
    }

    /// Writes as much as the socket takes now and returns how much (0 when it would block); the caller
    /// keeps the rest and retries on writability.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        let count = ps_write(fileDescriptor, bytes.baseAddress, bytes.count)
        if count == -Int(EAGAIN) || count == -Int(EWOULDBLOCK) { return 0 }
        return try check("write to \(peerDescription)", count)
    }

    public func write(_ bytes: [UInt8]) throws(SocketError) -> Int {
        let count = bytes.withUnsafeBytes { ps_write(fileDescriptor, $0.baseAddress, $0.count) }
        if count == -Int(EAGAIN) || count == -Int(EWOULDBLOCK) { return 0 }
        return try check("write to \(peerDescription)", count)
    }

    /// Sends FIN; reading continues until the peer closes.
    public func shutdownWrite() throws(SocketError) {
        _ = try check("shutdown", ps_shutdown_write(fileDescriptor))
    }

    public func close() {
        guard isOpen else { return }
        isOpen = false
        state = .closed
        _ = ps_close(fileDescriptor)
    }
}

/// A nonblocking listening socket (BGP passive side, `local:179`). Accepted connections inherit the
/// listener's TTL and minimum TTL, and with a minimum TTL the kernel drops a SYN below it, so a peer
/// outside the GTSM radius never gets a connection at all.
public final class TCPListener {
    public let fileDescriptor: Int32
    public let family: Int
    public let options: TCPOptions
    public private(set) var localAddress: SocketAddress

    public static let bgpPort: UInt16 = 179

    public init(local: SocketAddress, options: TCPOptions = TCPOptions(), backlog: Int32 = 8) throws(SocketError) {
        family = local.address.version
        self.options = options
        fileDescriptor = try check("open TCP/IPv\(family) socket", ps_tcp_open(Int32(family)))
        localAddress = local
        // Every stored property is set: a throw from here on runs `deinit`, which closes the fd.
        try options.apply(to: fileDescriptor, family: family)
        _ = try check("SO_REUSEADDR", ps_set_reuseaddr(fileDescriptor, 1))
        var endpoint = local.endpoint
        _ = try check("bind \(local)", ps_bind(fileDescriptor, &endpoint))
        _ = try check("listen \(local)", ps_listen(fileDescriptor, backlog))
        var bound = ps_endpoint()
        _ = try check("getsockname", ps_local_endpoint(fileDescriptor, &bound))
        localAddress = SocketAddress(bound) ?? local
    }

    deinit { _ = ps_close(fileDescriptor) }

    /// The next pending connection, or `nil` when none is waiting.
    public func accept() throws(SocketError) -> TCPConnection? {
        let fd = ps_accept(fileDescriptor, nil)
        if fd == -EAGAIN || fd == -EWOULDBLOCK { return nil }
        _ = try check("accept on \(localAddress)", fd)
        return TCPConnection(adopting: fd, family: family, state: .established, options: options)
    }
}
