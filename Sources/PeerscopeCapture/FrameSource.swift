/// Anything that hands out frames in time order, one at a time: a file or standard input
/// (`CaptureReader`), a live interface (`LiveFrameSource`), frames held in memory
/// (`MemoryFrameSource`), or several capture points of one event merged (`MergedFrameSource`).
/// A frame's bytes stay valid until the next call to `next()` or `nextEvent()`.
public protocol FrameSource: AnyObject {
    /// The resolution the timestamps were written with (timing tolerances use it).
    var resolution: TimestampResolution { get }
    /// The next frame, or `nil` at the end. A source cut mid-record throws after the frames before
    /// the cut were handed out. A live source waits here through its idle periods.
    func next() throws(CaptureError) -> Frame?
    /// The next frame, an idle tick (a live source that saw nothing for its poll timeout says what
    /// time it is, so timers can run out without a packet), or the end.
    func nextEvent() throws(CaptureError) -> FrameSourceEvent
    /// The timestamp of the source's first record, also when a filter skipped it (relative times
    /// then match Wireshark's); `nil` when the source has no such notion.
    var originNanoseconds: Int64? { get }
    /// Records read from the source so far, whether or not a filter kept them.
    var framesRead: Int { get }
    /// How far through its input the source is, in bytes, and the input's size; `nil` when there
    /// is no size to compare with (standard input, a live interface). Progress displays use it.
    var position: (bytesRead: Int64, totalBytes: Int64)? { get }
}

/// What a source yields: `FrameSource.nextEvent()`.
public enum FrameSourceEvent {
    case frame(Frame)
    /// Nothing arrived within the source's poll timeout; `nowNanoseconds` is the wall-clock time
    /// (Unix epoch, as frame timestamps are).
    case idle(nowNanoseconds: Int64)
    case end
}

extension FrameSource {
    public var originNanoseconds: Int64? { nil }
    public var position: (bytesRead: Int64, totalBytes: Int64)? { nil }

    /// A source that never idles: a frame or the end.
    public func nextEvent() throws(CaptureError) -> FrameSourceEvent {
        guard let frame = try next() else { return .end }
        return .frame(frame)
    }

    /// `next()` for a source whose events come first (it implements `nextEvent()`): idle ticks
    /// skipped, a frame or the end.
    public func nextFrameSkippingIdle() throws(CaptureError) -> Frame? {
        while true {
            switch try nextEvent() {
            case .frame(let frame): return frame
            case .idle: continue
            case .end: return nil
            }
        }
    }
}

extension CaptureReader: FrameSource {}
