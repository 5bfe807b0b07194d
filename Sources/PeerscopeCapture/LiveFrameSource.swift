import CPcap
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Frames from a live interface through libpcap: immediate mode (each packet handed over as it
/// arrives, not batched), nanosecond timestamps where the kernel offers them, a BPF filter, and a
/// poll timeout after which the source yields an idle tick with the current time, so a silent peer
/// is noticed when its detection time passes rather than at the next packet.
///
/// The handle is put in non-blocking mode and waited on with `poll(2)` on its selectable
/// descriptor: the idle tick then does not depend on how a libpcap version maps its read timeout
/// onto the kernel's ring (TPACKET_V3 blocks without one until a packet comes).
public final class LiveFrameSource: FrameSource, @unchecked Sendable {
    /// BFD single hop, BFD multihop and BGP.
    public static let defaultFilter = "udp port 3784 or udp port 4784 or tcp port 179"

    public let interface: String
    public let linkType: LinkType
    public let resolution: TimestampResolution
    public let snaplen: Int32
    public private(set) var framesRead = 0
    public private(set) var originNanoseconds: Int64?

    private let handle: OpaquePointer
    private let descriptor: Int32
    private let pollMilliseconds: Int32
    private let nanosecondsPerTick: Int64

    /// - Parameters:
    ///   - interface: e.g. `eth0`, `lo`, `any`.
    ///   - filter: BPF; `nil` captures everything.
    ///   - pollMilliseconds: how long a quiet interface waits before an idle tick.
    /// Throws `.openFailed` naming the interface (with the missing privilege spelled out when
    /// that is the cause) or `.invalidFilter`.
    public init(interface: String, filter: String? = LiveFrameSource.defaultFilter, snaplen: Int32 = 65_535,
                bufferBytes: Int32 = 4 << 20, pollMilliseconds: Int32 = 100) throws(CaptureError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw .openFailed(path: interface, detail: String(
                decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        func fail(_ error: CaptureError) -> CaptureError {
            pcap_close(handle)
            return error
        }
        pcap_set_snaplen(handle, snaplen)
        pcap_set_promisc(handle, 0)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_buffer_size(handle, bufferBytes)
        pcap_set_timeout(handle, pollMilliseconds)
        let nanosecondsAvailable = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO)) == 0
        let status = pcap_activate(handle)
        if status < 0 {
            let detail = String(cString: pcap_geterr(handle))
            let reason = detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail
            if status == PCAP_ERROR_PERM_DENIED {
                throw fail(.openFailed(path: interface, detail: "capturing needs root or CAP_NET_RAW (\(reason))"))
            }
            throw fail(.openFailed(path: interface, detail: reason))
        }
        if let filter {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                throw fail(.invalidFilter(filter: filter, detail: String(cString: pcap_geterr(handle))))
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                throw fail(.invalidFilter(filter: filter, detail: String(cString: pcap_geterr(handle))))
            }
        }
        let descriptor = pcap_get_selectable_fd(handle)
        guard descriptor >= 0, pcap_setnonblock(handle, 1, &errorBuffer) == 0 else {
            throw fail(.openFailed(path: interface, detail: "no pollable descriptor for the capture"))
        }
        let nanoseconds = nanosecondsAvailable && pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO)
        self.interface = interface
        self.handle = handle
        self.descriptor = descriptor
        self.pollMilliseconds = pollMilliseconds
        self.snaplen = snaplen
        linkType = LinkType(dlt: pcap_datalink(handle))
        resolution = nanoseconds ? .nanoseconds : .microseconds
        nanosecondsPerTick = nanoseconds ? 1 : 1_000
    }

    deinit { pcap_close(handle) }

    public func nextEvent() throws(CaptureError) -> FrameSourceEvent {
        while true {
            if let frame = try readBuffered() { return .frame(frame) }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, pollMilliseconds)
            if ready == 0 || (ready < 0 && errno == EINTR) {
                return .idle(nowNanoseconds: Self.now())
            }
            if ready < 0 {
                throw .readFailed(path: interface, afterFrame: framesRead, detail: String(cString: strerror(errno)))
            }
            if entry.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0, entry.revents & Int16(POLLIN) == 0 {
                throw .readFailed(path: interface, afterFrame: framesRead, detail: "the interface went away")
            }
        }
    }

    public func next() throws(CaptureError) -> Frame? { try nextFrameSkippingIdle() }

    /// A frame the kernel already holds, or nil without waiting.
    private func readBuffered() throws(CaptureError) -> Frame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1:
            guard let header, let data else { return nil }
            framesRead += 1
            // With nanosecond precision libpcap puts nanoseconds in tv_usec. A live clock is
            // today's: no 2038 wrap to undo (see CaptureReader for files).
            let time = Int64(header.pointee.ts.tv_sec) &* 1_000_000_000
                &+ Int64(header.pointee.ts.tv_usec) &* nanosecondsPerTick
            if originNanoseconds == nil { originNanoseconds = time }
            let captured = Int(header.pointee.caplen)
            return Frame(number: framesRead, timestampNanoseconds: time, capturedLength: captured,
                         originalLength: max(Int(header.pointee.len), captured), linkType: linkType,
                         bytes: UnsafeRawBufferPointer(start: data, count: captured))
        case 0, PCAP_ERROR_BREAK:
            return nil
        default:
            throw .readFailed(path: interface, afterFrame: framesRead, detail: String(cString: pcap_geterr(handle)))
        }
    }

    /// Frames the kernel still buffers, handed to `body` without waiting (a recorder stopping).
    public func drain(_ body: (Frame) -> Void) {
        while let frame = try? readBuffered() { body(frame) }
    }

    /// Packets the kernel dropped because they were not read fast enough (`ps_drop`) and the
    /// interface dropped (`ps_ifdrop`); nil when libpcap cannot tell.
    public var drops: (kernel: Int, interface: Int)? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return (Int(stats.ps_drop), Int(stats.ps_ifdrop))
    }

    /// Wall-clock time in Unix-epoch nanoseconds, the clock the kernel stamps packets with.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }
}
