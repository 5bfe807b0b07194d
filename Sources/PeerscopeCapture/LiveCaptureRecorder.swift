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
/// Reads through a `LiveFrameSource` (immediate mode, nanosecond timestamps where the kernel offers
/// them, a BPF filter), the same source `peerscope live` analyses. The capture is active once
/// `init` returns, so packets sent after it are recorded even before the thread is scheduled.
/// `stop()` drains what the kernel still holds, writes it, and closes the file; a started recorder
/// must be stopped (its thread holds it alive until then).
public final class LiveCaptureRecorder: @unchecked Sendable {
    /// BFD single hop, BFD multihop and BGP.
    public static let defaultFilter = LiveFrameSource.defaultFilter

    public let interface: String
    public let path: String
    public let linkType: LinkType
    public let resolution: TimestampResolution

    // Touched only by the capture thread between `start` and the join in `stop`, then by `stop`.
    private let source: LiveFrameSource
    private var writer: CaptureWriter?
    private var statistics = LiveCaptureStatistics(framesWritten: 0, droppedByKernel: 0, droppedByInterface: 0)

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
        let source = try LiveFrameSource(interface: interface, filter: filter, snaplen: snaplen,
                                         bufferBytes: bufferBytes, pollMilliseconds: timeoutMilliseconds)
        writer = try CaptureWriter(path: path, format: format, linkType: source.linkType, snaplen: UInt32(snaplen))
        self.interface = interface
        self.path = path
        self.source = source
        linkType = source.linkType
        resolution = source.resolution
    }

    deinit {
        _ = stop()
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
                // The thread sees the flag at its next frame or idle tick (one poll timeout at most).
                stopping.store(true, ordering: .releasing)
                pthread_join(thread, nil)
                drainAndClose()
            }
            state = .stopped(statistics)
            return statistics
        }
    }

    private func captureLoop() {
        while !stopping.load(ordering: .acquiring) {
            do throws(CaptureError) {
                switch try source.nextEvent() {
                case .frame(let frame): write(frame)
                case .idle: continue
                case .end: return
                }
            } catch {
                statistics.error = "\(error)"
                return
            }
        }
    }

    private func write(_ frame: Frame) {
        guard let writer else { return }
        writer.write(timestampNanoseconds: frame.timestampNanoseconds, bytes: Array(frame.bytes),
                     originalLength: frame.originalLength)
        statistics.framesWritten += 1
        written.wrappingAdd(1, ordering: .relaxed)
    }

    private func drainAndClose() {
        if statistics.error == nil { source.drain { write($0) } }
        if let drops = source.drops {
            statistics.droppedByKernel = drops.kernel
            statistics.droppedByInterface = drops.interface
        }
        writer?.flush()
        writer = nil  // closes the file
    }
}
