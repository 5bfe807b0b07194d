import CPeerscopeSocket
import PeerscopeWire

/// What the kernel reported about one received datagram, beside its bytes.
public struct DatagramMetadata: Hashable, Sendable {
    /// The datagram's full length (larger than the bytes handed out when `isTruncated`).
    public var length: Int
    public var source: SocketAddress
    /// The IP header's destination address with the socket's local port; `nil` without packet info.
    public var destination: SocketAddress?
    /// Received IPv4 TTL or IPv6 hop limit (RFC 5881 §5 and RFC 5082 check it); `nil` if not reported.
    public var ttl: UInt8?
    /// The interface the datagram arrived on; 0 when unknown.
    public var interfaceIndex: UInt32
    /// SO_TIMESTAMPNS: when the kernel took the packet in, CLOCK_REALTIME ns (the pcap clock).
    public var kernelTimestampNanoseconds: Int64?
    /// `MonotonicClock` right after the datagram was read: the `now` to hand a sans-IO machine.
    public var receivedAtNanoseconds: Int64
    public var isTruncated: Bool
}

/// One received datagram: bytes plus metadata.
public struct ReceivedDatagram: Sendable {
    public var bytes: [UInt8]
    public var metadata: DatagramMetadata

    public var source: SocketAddress { metadata.source }
    public var destination: SocketAddress? { metadata.destination }
    public var ttl: UInt8? { metadata.ttl }
    public var interfaceIndex: UInt32 { metadata.interfaceIndex }
    public var kernelTimestampNanoseconds: Int64? { metadata.kernelTimestampNanoseconds }
    public var receivedAtNanoseconds: Int64 { metadata.receivedAtNanoseconds }
}

/// A nonblocking UDP socket that reports each datagram's TTL, destination, interface and kernel
/// timestamp and sends with a per-packet TTL. The file descriptor is closed when the object goes.
///
/// Not thread-safe: one owner (the driver's loop thread) at a time.
public final class UDPSocket {
    public let fileDescriptor: Int32
    /// 4 or 6.
    public let family: Int
    /// Known after `bind`; the port the destination of a received datagram is reported with.
    public private(set) var localAddress: SocketAddress?
    /// Only for `receive()`; allocated on first use, so a pool's thousands of transmit sockets do
    /// not each carry 64 KiB they never read into. Raw memory, not a lazy `[UInt8]`: writing
    /// through a lazy property's getter copied all 64 KiB on every datagram (found under a flood).
    private var receiveStorage: UnsafeMutableRawBufferPointer?
    private static let receiveBufferBytes = 65_536

    public init(family: Int) throws(SocketError) {
        precondition(family == 4 || family == 6, "family is 4 or 6")
        fileDescriptor = try check("open UDP/IPv\(family) socket", ps_udp_open(Int32(family)))
        self.family = family
    }

    deinit {
        _ = ps_close(fileDescriptor)
        receiveStorage?.deallocate()
    }

    public func bind(to local: SocketAddress, reuseAddress: Bool = false) throws(SocketError) {
        precondition(local.address.version == family, "bind address family must match the socket")
        if reuseAddress { _ = try check("SO_REUSEADDR", ps_set_reuseaddr(fileDescriptor, 1)) }
        var endpoint = local.endpoint
        _ = try check("bind \(local)", ps_bind(fileDescriptor, &endpoint))
        var bound = ps_endpoint()
        _ = try check("getsockname", ps_local_endpoint(fileDescriptor, &bound))
        localAddress = SocketAddress(bound)
    }

    /// connect(2) on a datagram socket: from now on the kernel queues here only datagrams from
    /// `peer`, and prefers this socket to an unconnected one bound to the same local address and
    /// port (a connected socket scores higher in the kernel's UDP lookup). Calling it again moves
    /// the association to another peer address or port.
    public func connect(to peer: SocketAddress) throws(SocketError) {
        precondition(peer.address.version == family, "peer address family must match the socket")
        var endpoint = peer.endpoint
        _ = try check("connect \(peer)", ps_connect(fileDescriptor, &endpoint))
    }

    /// SO_BINDTODEVICE: send and receive only through `interface` (needs CAP_NET_RAW).
    public func bind(toInterface interface: String) throws(SocketError) {
        _ = try check("SO_BINDTODEVICE \(interface)", ps_bind_to_device(fileDescriptor, interface))
    }

    /// The TTL / hop limit of every packet sent without a per-packet override.
    public var ttl: UInt8 {
        get { UInt8(truncatingIfNeeded: max(0, ps_get_ttl(fileDescriptor, Int32(family)))) }
    }

    public func setTTL(_ ttl: UInt8) throws(SocketError) {
        _ = try check("set TTL \(ttl)", ps_set_ttl(fileDescriptor, Int32(family), Int32(ttl)))
    }

    /// Asks for a receive queue of `bytes` (the kernel doubles it for bookkeeping); returns what it
    /// granted. A pool's one receive socket takes every session's packets, bursts included.
    @discardableResult
    public func setReceiveBufferSize(_ bytes: Int) throws(SocketError) -> Int {
        Int(try check("SO_RCVBUF \(bytes)", ps_set_receive_buffer(fileDescriptor, Int32(clamping: bytes))))
    }

    /// Sends one datagram; `ttl` overrides the socket's TTL for this packet only.
    /// Internal on purpose: outside this module every send goes through a `PeerGuard`
    /// (`BFDSocket.Transmitter.send`), so no code path can reach the wire without it.
    func send(_ bytes: UnsafeRawBufferPointer, to destination: SocketAddress, ttl: UInt8? = nil) throws(SocketError) {
        var endpoint = destination.endpoint
        let sent = ps_sendmsg(fileDescriptor, bytes.baseAddress, bytes.count, &endpoint, ttl.map(Int32.init) ?? -1)
        _ = try check("send to \(destination)", sent)
    }

    func send(_ bytes: [UInt8], to destination: SocketAddress, ttl: UInt8? = nil) throws(SocketError) {
        var endpoint = destination.endpoint
        let sent = bytes.withUnsafeBytes {
            ps_sendmsg(fileDescriptor, $0.baseAddress, $0.count, &endpoint, ttl.map(Int32.init) ?? -1)
        }
        _ = try check("send to \(destination)", sent)
    }

    /// Reads one queued datagram into `buffer` without allocating; `nil` when none is queued.
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> DatagramMetadata? {
        var info = ps_recv_info()
        let length = ps_recvmsg(fileDescriptor, buffer.baseAddress, buffer.count, &info)
        if length == -Int(EAGAIN) || length == -Int(EWOULDBLOCK) { return nil }
        _ = try check("recvmsg", length)
        return metadata(info, length: length)
    }

    /// Reads one queued datagram; `nil` when none is queued.
    public func receive() throws(SocketError) -> ReceivedDatagram? {
        var info = ps_recv_info()
        let buffer = receiveStorage ?? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.receiveBufferBytes, alignment: 8)
        receiveStorage = buffer
        let length = ps_recvmsg(fileDescriptor, buffer.baseAddress, buffer.count, &info)
        if length == -Int(EAGAIN) || length == -Int(EWOULDBLOCK) { return nil }
        _ = try check("recvmsg", length)
        let kept = min(length, buffer.count)
        return ReceivedDatagram(bytes: Array(UnsafeRawBufferPointer(rebasing: buffer[0..<kept])),
                                metadata: metadata(info, length: length))
    }

    func metadata(_ info: ps_recv_info, length: Int) -> DatagramMetadata {
        let source = SocketAddress(info.source) ?? SocketAddress(.unspecified(version: family), port: 0)
        var destination = SocketAddress(info.destination)
        destination?.port = localAddress?.port ?? 0
        // A zone belongs only to a link-local destination; a global one is the same on every link.
        if let address = destination?.address, case .v6(let v6) = address, v6.high >> 54 != 0x3FA {
            destination?.scopeID = 0
        }
        return DatagramMetadata(
            length: length, source: source, destination: destination,
            ttl: info.ttl >= 0 ? UInt8(truncatingIfNeeded: info.ttl) : nil,
            interfaceIndex: UInt32(bitPattern: info.ifindex),
            kernelTimestampNanoseconds: info.kernel_realtime_ns != 0 ? info.kernel_realtime_ns : nil,
            receivedAtNanoseconds: info.monotonic_ns, isTruncated: info.truncated != 0)
    }
}

#if canImport(Glibc)
import Glibc
#endif
