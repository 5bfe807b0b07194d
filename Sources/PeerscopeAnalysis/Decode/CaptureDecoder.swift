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
            let (decoded, first) = decode(frame, sourceOrigin: reader.originNanoseconds, into: &dissection)
            body(frame, decoded, dissection, first)
        }
    }

    /// One frame: dissected, classified and counted. Returns it with the origin of relative times:
    /// the source's first record (`sourceOrigin`, also when a filter skipped it, so times match
    /// Wireshark's), else the first frame decoded.
    public mutating func decode(_ frame: Frame, sourceOrigin: Int64?, into dissection: inout Dissection)
        -> (DecodedFrame, firstTimestampNanoseconds: Int64)
    {
        let first = firstTimestampNanoseconds ?? sourceOrigin ?? frame.timestampNanoseconds
        firstTimestampNanoseconds = first
        let decoded = FrameDecoder.decode(frame, into: &dissection)
        tally.count(decoded, snapped: frame.isTruncated)
        return (decoded, first)
    }

    /// A frame classified elsewhere (the reading thread of a threaded run), counted as `decode`
    /// counts it. Returns the origin of relative times, as `decode` does.
    public mutating func count(_ frame: Frame, classifiedAs frameClass: FrameClass, sourceOrigin: Int64?) -> Int64 {
        let first = firstTimestampNanoseconds ?? sourceOrigin ?? frame.timestampNanoseconds
        firstTimestampNanoseconds = first
        tally.count(frameClass, snapped: frame.isTruncated)
        return first
    }

    /// Counts every frame of `reader` by class, without building decoded values (`decode --count`).
    /// Inlinable so the loop is specialized for the caller's source: through the generic
    /// `FrameSource` each frame was copied and destroyed by its value witnesses (issue 14).
    @inlinable
    public mutating func count(_ reader: some FrameSource) throws(CaptureError) {
        var dissection = Dissection()
        while let frame = try reader.next() {
            count(frame, sourceOrigin: reader.originNanoseconds, into: &dissection)
        }
    }

    /// One frame of `count(_:)`: classified and counted. The common frame is classified by
    /// `FrameClassScan` in place; the rest (and every malformed one) by the full dissector.
    public mutating func count(_ frame: Frame, sourceOrigin: @autoclosure () -> Int64?, into dissection: inout Dissection) {
        if firstTimestampNanoseconds == nil {
            firstTimestampNanoseconds = sourceOrigin() ?? frame.timestampNanoseconds
        }
        let frameClass = FrameClassScan.classify(frame) ?? FrameDecoder.classify(frame, into: &dissection)
        tally.count(frameClass, snapped: frame.isTruncated)
    }
}
