import PeerscopeCapture
import PeerscopeWire

/// One pass over a capture: every frame is dissected, classified and counted, then handed to the
/// caller, who decides what to print. Nothing is kept between frames.
public struct CaptureDecoder {
    public private(set) var tally = DecodeTally()
    public private(set) var firstTimestampNanoseconds: Int64?

    public init() {}

    /// Reads `reader` to its end, handing each frame to `body` with the first frame's timestamp
    /// (the origin of relative times). Frames read before a mid-file error have been handed to
    /// `body` when the error is thrown.
    public mutating func run(_ reader: some FrameSource,
                             _ body: (Frame, DecodedFrame, Dissection, _ firstTimestampNanoseconds: Int64) -> Void)
        throws(CaptureError)
    {
        var dissection = Dissection()
        while let frame = try reader.next() {
            // The file's first record, also when a filter skipped it: times match Wireshark's.
            let first = firstTimestampNanoseconds ?? reader.originNanoseconds ?? frame.timestampNanoseconds
            firstTimestampNanoseconds = first
            let decoded = FrameDecoder.decode(frame, into: &dissection)
            tally.count(decoded, snapped: frame.isTruncated)
            body(frame, decoded, dissection, first)
        }
    }

    /// Counts every frame of `reader` by class, without building decoded values (`decode --count`).
    public mutating func count(_ reader: some FrameSource) throws(CaptureError) {
        var dissection = Dissection()
        while let frame = try reader.next() {
            if firstTimestampNanoseconds == nil {
                firstTimestampNanoseconds = reader.originNanoseconds ?? frame.timestampNanoseconds
            }
            tally.count(FrameDecoder.classify(frame, into: &dissection), snapped: frame.isTruncated)
        }
    }
}
