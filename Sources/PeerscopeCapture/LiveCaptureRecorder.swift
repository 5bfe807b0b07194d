import CPcap
import PeerscopeWire
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a recording did, read when it stops.
public struct LiveCaptureStatistics: Hashable, Sendable {
    public var framesWritten: Int
    /// Packets the kernel dropped because we did not read fast enough (`pcap_stats` ps_drop).
    public var droppedByKernel: Int
    /// Packets the interface or driver dropped (`ps_ifdrop`), when reported.
    public var droppedByInterface: Int
    /// Why the capture thread stopped early, if it did.
    public var error: String?
}

/// Records a live interface to a pcap/pcapng file on its own thread: how the active tester keeps a
/// capture of its own run (`-w run.pcapng`) for the same analysis as any other file.
///
/// Opened in immediate mode (each packet handed over at once, not batched) with nanosecond timestamps
/// where the kernel offers them, a 65,535-byte snaplen and a BPF filter. The capture is active once
/// `init` returns, so packets sent after it are recorded even before the thread is scheduled.
/// `stop()` drains what the kernel still holds, writes it, and closes the file; a started recorder
/// must be stopped (its thread holds it alive until then).
public final class LiveCaptureRecorder: @unchecked Sendable {
    /// BFD single hop, BFD multihop and BGP.
    public static let defaultFilter = "udp port 3784 or udp port 4784 or tcp port 179"

    public let interface: String
    public let path: String
    public let linkType: LinkType
    public let resolution: TimestampResolution

    // Touched only by the capture thread between `start` and the join in `stop`, then by `stop`.
    private let handle: OpaquePointer
    private var writer: CaptureWriter?
    private var statistics = LiveCaptureStatistics(framesWritten: 0, droppedByKernel: 0, droppedByInterface: 0)
    private let nanosecondsPerTick: Int64

    private let stopping = Atomic<Bool>(false)
    private let written = Atomic<Int>(0)
    private let lifecycle = Mutex<Lifecycle>(.opened)
    private enum Lifecycle { case opened, running(pthread_t), stopped(LiveCaptureStatistics) }

    /// - Parameters:
    ///   - interface: e.g. `eth0`, `lo`, `any`.
    ///   - filter: BPF; `nil` records everything.
    ///   - timeoutMilliseconds: how often an idle capture thread checks whether to stop.
    public init(interface: String, path: String, filter: String? = LiveCaptureRecorder.defaultFilter,
                format: CaptureWriter.Format = .pcapng, snaplen: Int32 = 65_535,
                bufferBytes: Int32 = 4 << 20, timeoutMilliseconds: Int32 = 20) throws(CaptureError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw .openFailed(path: interface, detail: String(
                decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        func fail(_ detail: String) -> CaptureError {
            pcap_close(handle)
            return .openFailed(path: interface, detail: detail)
        }
        pcap_set_snaplen(handle, snaplen)
        pcap_set_promisc(handle, 0)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_buffer_size(handle, bufferBytes)
        pcap_set_timeout(handle, timeoutMilliseconds)
        let nanosecondsAvailable = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO)) == 0
        let status = pcap_activate(handle)
        if status < 0 {
            // The error text of a failed activation names the cause (no such device, permission).
            let detail = String(cString: pcap_geterr(handle))
            throw fail(detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail)
        }
        let precision = pcap_get_tstamp_precision(handle)
        let nanoseconds = nanosecondsAvailable && precision == Int32(PCAP_TSTAMP_PRECISION_NANO)
        let linkType = LinkType(dlt: pcap_datalink(handle))
        if let filter {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let detail = String(cString: pcap_geterr(handle))
                pcap_close(handle)
                throw .invalidFilter(filter: filter, detail: detail)
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                let detail = String(cString: pcap_geterr(handle))
                pcap_close(handle)
                throw .invalidFilter(filter: filter, detail: detail)
            }
        }
        let writer: CaptureWriter
        do {
            writer = try CaptureWriter(path: path, format: format, linkType: linkType, snaplen: UInt32(snaplen))
        } catch {
            pcap_close(handle)
            throw error
        }
        self.interface = interface
        self.path = path
        self.handle = handle
        self.writer = writer
        self.linkType = linkType
        resolution = nanoseconds ? .nanoseconds : .microseconds
        nanosecondsPerTick = nanoseconds ? 1 : 1_000
    }

    deinit {
        _ = stop()
        pcap_close(handle)
    }

    /// Frames written so far (readable from any thread while recording).
    public var framesWritten: Int { written.load(ordering: .relaxed) }

    /// Starts the capture thread. Calling it twice is a no-op.
    public func start() throws(CaptureError) {
        let failure: CaptureError? = lifecycle.withLock { state in
            guard case .opened = state else { return nil }
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let status = pthread_create(&thread, nil, { context in
                let recorder = Unmanaged<LiveCaptureRecorder>.fromOpaque(context!).takeRetainedValue()
                recorder.captureLoop()
                return nil
            }, context)
            guard status == 0 else {
                Unmanaged<LiveCaptureRecorder>.fromOpaque(context).release()
                return .openFailed(path: interface, detail: "cannot start capture thread: \(String(cString: strerror(status)))")
            }
            state = .running(thread)
            return nil
        }
        if let failure { throw failure }
    }

    /// Stops the thread, writes what the kernel still buffers, closes the file. Idempotent.
    @discardableResult
    public func stop() -> LiveCaptureStatistics {
        lifecycle.withLock { state in
            switch state {
            case .stopped(let statistics):
                return statistics
            case .opened:
                // Never started: still drain, so a caller that forgot `start` gets what was captured.
                drainAndClose()
            case .running(let thread):
                stopping.store(true, ordering: .releasing)
                pcap_breakloop(handle)
                pthread_join(thread, nil)
                drainAndClose()
            }
            state = .stopped(statistics)
            return statistics
        }
    }

    private func captureLoop() {
        while !stopping.load(ordering: .acquiring) {
            if !readOne() { break }
        }
    }

    /// Reads and writes one frame; false when the capture can go on no more.
    @discardableResult
    private func readOne() -> Bool {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1:
            if let header, let data { write(header.pointee, data) }
            return true
        case 0, PCAP_ERROR_BREAK:
            return true
        default:
            statistics.error = String(cString: pcap_geterr(handle))
            return false
        }
    }

    private func write(_ header: pcap_pkthdr, _ data: UnsafePointer<UInt8>) {
        guard let writer else { return }
        // With nanosecond precision libpcap puts nanoseconds in tv_usec.
        let timestamp = Int64(header.ts.tv_sec) * 1_000_000_000 + Int64(header.ts.tv_usec) * nanosecondsPerTick
        writer.write(timestampNanoseconds: timestamp,
                     bytes: Array(UnsafeBufferPointer(start: data, count: Int(header.caplen))),
                     originalLength: Int(header.len))
        statistics.framesWritten += 1
        written.wrappingAdd(1, ordering: .relaxed)
    }

    private func drainAndClose() {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        if statistics.error == nil, pcap_setnonblock(handle, 1, &errorBuffer) == 0 {
            // Nonblocking: pcap_next_ex returns 0 once the ring is empty.
            while true {
                var header: UnsafeMutablePointer<pcap_pkthdr>?
                var data: UnsafePointer<UInt8>?
                let status = pcap_next_ex(handle, &header, &data)
                if status == PCAP_ERROR_BREAK { continue }
                guard status == 1 else { break }
                guard let header, let data else { break }
                write(header.pointee, data)
            }
        }
        var stats = pcap_stat()
        if pcap_stats(handle, &stats) == 0 {
            statistics.droppedByKernel = Int(stats.ps_drop)
            statistics.droppedByInterface = Int(stats.ps_ifdrop)
        }
        writer?.flush()
        writer = nil  // closes the file
    }
}
