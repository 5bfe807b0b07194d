import PeerscopeWire
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads another source on a thread of its own and hands its frames on through a `FrameRing`, so
/// reading (and whatever `classify` does per frame) overlaps with what the caller does with the
/// frames on its thread (issue 14: `check` on both cores). Everything arrives in the base's order
/// with the base's numbers, times and counters: frames, idle ticks, the end, and a read error
/// after the frames read before it. A frame's bytes stay valid until the next call, as with any
/// source.
///
/// `classify` runs on the reading thread for every frame and returns a tag the caller reads back
/// in `tag` with that frame. A nonzero tag means the caller will not look at the bytes: they are
/// not copied, and the frame it gets has no bytes (its lengths and everything else are kept).
public final class ReadAheadFrameSource: FrameSource, @unchecked Sendable {
    public let resolution: TimestampResolution
    /// The tag `classify` gave the frame last handed out (0 without a classifier).
    public var tag: UInt8 { state.pointee.tag }
    public var framesRead: Int { passThrough ? reader.base.framesRead : state.pointee.current.framesRead }
    public var originNanoseconds: Int64? {
        passThrough ? reader.base.originNanoseconds : state.pointee.current.originNanoseconds
    }
    public var position: (bytesRead: Int64, totalBytes: Int64)? {
        passThrough ? reader.base.position : state.pointee.current.position
    }

    private let ring: FrameRing
    private let reader: Reader
    private var thread: pthread_t?
    /// The caller's side, behind a pointer: class properties would pay a dynamic exclusivity check
    /// per frame.
    private struct State {
        var current = FrameRecord()
        var tag: UInt8 = 0
        var started = false
        var ended = false
        /// No thread could be started: the base is read on the caller's thread.
        var passThrough = false
    }
    private let state: UnsafeMutablePointer<State>
    private var passThrough: Bool { state.pointee.passThrough }

    /// `slots` records and `slabBytes` of frame bytes may be in flight (rounded up to powers of two).
    public init(_ base: some FrameSource, slots: Int = 4_096, slabBytes: Int = 8 << 20,
                classify: ((Frame) -> UInt8)? = nil) {
        resolution = base.resolution
        ring = FrameRing(slotCount: slots, slabBytes: slabBytes)
        reader = Reader(base: base, ring: ring, classify: classify)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        ring.abandoned.store(true, ordering: .relaxed)
        join()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    public func nextEvent() throws(CaptureError) -> FrameSourceEvent {
        if state.pointee.ended { return .end }
        if !state.pointee.started { start() }
        if state.pointee.passThrough {
            let event = try reader.base.nextEvent()
            if case .frame(let frame) = event { state.pointee.tag = reader.classify?(frame) ?? 0 }
            return event
        }
        state.pointee.current = ring.take()
        let current = state.pointee.current
        switch current.kind {
        case .frame:
            state.pointee.tag = current.tag
            var frame = Frame(number: current.number, timestampNanoseconds: current.timestampNanoseconds,
                              capturedLength: current.capturedLength, originalLength: current.originalLength,
                              linkType: current.linkType,
                              bytes: UnsafeRawBufferPointer(start: current.bytes, count: current.byteCount))
            frame.interfaceIndex = current.interfaceIndex
            if let pcapng = current.pcapng {
                frame.borrowPcapng(Unmanaged<PcapngExtras>.fromOpaque(pcapng).takeUnretainedValue())
            }
            return .frame(frame)
        case .idle:
            return .idle(nowNanoseconds: current.timestampNanoseconds)
        case .end:
            finishReading()
            return .end
        case .failed:
            finishReading()
            throw reader.failure ?? .readFailed(path: "", afterFrame: current.framesRead, detail: "read failed")
        }
    }

    public func next() throws(CaptureError) -> Frame? { try nextFrameSkippingIdle() }

    private func finishReading() {
        state.pointee.ended = true
        ring.releaseHeld()
        join()
    }

    private func start() {
        state.pointee.started = true
        let box = Unmanaged.passRetained(reader).toOpaque()
        var handle = pthread_t()
        #if canImport(Glibc)
        let status = pthread_create(&handle, nil, { argument in
            Unmanaged<Reader>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, box)
        #else
        let status = pthread_create(&handle, nil, { argument in
            Unmanaged<Reader>.fromOpaque(argument).takeRetainedValue().run()
            return nil
        }, box)
        #endif
        if status == 0 {
            thread = handle
        } else {
            // No thread to be had: the same frames, read on this one.
            Unmanaged<Reader>.fromOpaque(box).release()
            state.pointee.passThrough = true
        }
    }

    private func join() {
        guard let thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }

    /// The reading thread's side: the base source and the classifier, touched by that thread only
    /// (until it has ended: then `failure` is read by the consumer, after the ring's release/acquire).
    private final class Reader: @unchecked Sendable {
        let base: any FrameSource
        let ring: FrameRing
        let classify: ((Frame) -> UInt8)?
        var failure: CaptureError?

        init(base: any FrameSource, ring: FrameRing, classify: ((Frame) -> UInt8)?) {
            self.base = base
            self.ring = ring
            self.classify = classify
        }

        func run() {
            var position: (bytesRead: Int64, totalBytes: Int64)? = base.position
            var count = 0
            while true {
                var record = FrameRecord()
                var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
                let event: FrameSourceEvent
                do throws(CaptureError) {
                    event = try base.nextEvent()
                } catch {
                    failure = error
                    record.kind = .failed
                    record.framesRead = base.framesRead
                    record.originNanoseconds = base.originNanoseconds
                    _ = ring.publish(record, bytes: bytes)
                    return
                }
                switch event {
                case .frame(let frame):
                    record.kind = .frame
                    record.number = frame.number
                    record.timestampNanoseconds = frame.timestampNanoseconds
                    record.capturedLength = frame.capturedLength
                    record.originalLength = frame.originalLength
                    record.linkType = frame.linkType
                    record.interfaceIndex = frame.interfaceIndex
                    if let pcapng = frame.pcapng { record.pcapng = UnsafeRawPointer(Unmanaged.passRetained(pcapng).toOpaque()) }
                    record.tag = classify?(frame) ?? 0
                    if record.tag == 0 { bytes = frame.bytes }
                    // The position costs a seek on some sources: sampled, as a progress display needs.
                    count &+= 1
                    if count & 0xFFF == 0 { position = base.position }
                case .idle(let now):
                    record.kind = .idle
                    record.timestampNanoseconds = now
                case .end:
                    record.kind = .end
                    position = base.position
                }
                record.framesRead = base.framesRead
                record.originNanoseconds = base.originNanoseconds
                record.position = position
                guard ring.publish(record, bytes: bytes) else {
                    if let pcapng = record.pcapng { Unmanaged<PcapngExtras>.fromOpaque(pcapng).release() }
                    return
                }
                if record.kind == .end { return }
            }
        }
    }
}
