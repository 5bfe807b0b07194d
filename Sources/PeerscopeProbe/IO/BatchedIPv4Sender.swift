import CPeerscopeSocket
import PeerscopeWire

/// Sends the IPv4 packets of many sessions in one `sendmmsg` over a raw socket (issue 14 item 5):
/// every session keeps its own source address and its own source port from 49152–65535 (RFC 5881
/// §4: "the same UDP source port number MUST be used for all BFD Control packets associated with a
/// particular session", and it "SHOULD be unique"), which one shared UDP socket could not give;
/// the IPv4 and UDP headers are written by the C side. Each session's bound UDP socket stays open:
/// it holds the port, so nothing else on the host takes it, and receives the ICMP errors.
///
/// Internal on purpose, like `UDPSocket.send`: only the pool enqueues, after the session's
/// `PeerGuard` admitted the packet. Needs CAP_NET_RAW; IPv6 sessions send through their own socket.
final class BatchedIPv4Sender {
    /// Largest payload one slot holds: a BFD Control packet with the longest authentication
    /// section (RFC 5880 §4.4, SHA1: 24 + 28 bytes) fits many times over.
    static let slotBytes = 256
    let capacity = Int(PS_BATCH_MAX)
    private let fileDescriptor: Int32
    private var datagrams: [ps_raw_datagram]
    private let payloads: UnsafeMutableRawBufferPointer
    private(set) var count = 0
    /// Calls made and datagrams sent, for the syscalls-per-packet figure.
    private(set) var calls = 0
    private(set) var sent = 0

    init() throws(SocketError) {
        fileDescriptor = try check("open raw IPv4 socket (needs CAP_NET_RAW)", ps_raw_udp4_open())
        datagrams = Array(repeating: ps_raw_datagram(), count: capacity)
        payloads = .allocate(byteCount: capacity * Self.slotBytes, alignment: 8)
    }

    deinit {
        _ = ps_close(fileDescriptor)
        payloads.deallocate()
    }

    var isFull: Bool { count == capacity }

    /// Queues one datagram; false (nothing queued) when it is not IPv4 or does not fit a slot.
    func enqueue(_ bytes: [UInt8], from source: SocketAddress, to destination: SocketAddress, ttl: UInt8) -> Bool {
        guard !isFull, bytes.count <= Self.slotBytes,
              case .v4(let from) = source.address, case .v4(let to) = destination.address else { return false }
        let offset = count * Self.slotBytes
        bytes.withUnsafeBytes { payloads.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        var datagram = ps_raw_datagram()
        withUnsafeMutableBytes(of: &datagram.source) { $0.storeBytes(of: from.value.bigEndian, as: UInt32.self) }
        withUnsafeMutableBytes(of: &datagram.destination) { $0.storeBytes(of: to.value.bigEndian, as: UInt32.self) }
        datagram.source_port = source.port
        datagram.destination_port = destination.port
        datagram.ttl = ttl
        datagram.payload_length = UInt16(bytes.count)
        datagram.payload_offset = UInt32(offset)
        datagrams[count] = datagram
        count += 1
        return true
    }

    /// Sends everything queued; returns how many the kernel refused (0 normally) and its error.
    /// A partial send is continued from the first datagram the kernel did not take; that one is
    /// given up when the kernel refuses it alone (e.g. ENOBUFS), so a flush always ends.
    func flush() -> (refused: Int, error: SocketError?) {
        var done = 0, refused = 0
        var lastError: SocketError?
        while done < count {
            let result = datagrams.withUnsafeBufferPointer { list in
                ps_raw_udp4_sendmmsg(fileDescriptor, list.baseAddress! + done, UnsafePointer(payloads.baseAddress!.assumingMemoryBound(to: UInt8.self)),
                                     Int32(count - done))
            }
            calls += 1
            if result > 0 {
                done += Int(result)
                sent += Int(result)
            } else {
                lastError = SocketError("sendmmsg (raw IPv4)", result: Int(result))
                refused += 1
                done += 1
            }
        }
        count = 0
        return (refused, lastError)
    }
}
