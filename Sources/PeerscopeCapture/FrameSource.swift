/// Anything that hands out frames in time order, one at a time: a file, or several capture points of
/// one event merged (`MergedFrameSource`). A frame's bytes stay valid until the next call to `next()`.
public protocol FrameSource: AnyObject {
    /// The resolution the timestamps were written with (timing tolerances use it).
    var resolution: TimestampResolution { get }
    /// The next frame, or `nil` at the end. A source cut mid-record throws after the frames before
    /// the cut were handed out.
    func next() throws(CaptureError) -> Frame?
    /// The timestamp of the source's first record, also when a filter skipped it (relative times
    /// then match Wireshark's); `nil` when the source has no such notion.
    var originNanoseconds: Int64? { get }
    /// Records read from the source so far, whether or not a filter kept them.
    var framesRead: Int { get }
}

extension FrameSource {
    public var originNanoseconds: Int64? { nil }
}

extension CaptureReader: FrameSource {}
