import PeerscopeAnalysis
import PeerscopeCapture

/// What `--merge` adds to an analysis: the capture points, how many of their frames were the same
/// packet seen at another point, and where each point sat relative to a loss.
public struct MergedCaptureSummary: Sendable {
    public var points: [MergedFrameSource.Point]
    public var positions: CapturePositions
    public var windowNanoseconds: Int64
    /// Unique packets analysed.
    public var frames: Int

    /// The name a point goes by in messages: its file name without the directory.
    public func name(_ index: Int) -> String {
        String(points[index].path.split(separator: "/").last ?? Substring(points[index].path))
    }

    /// One `CAPTURE.UPSTREAM_LOSS` per direction and pair of points with packets lost between them
    /// (CONFORMANCE.md: a packet in a capture was sent, not necessarily received; two points on one
    /// path show which side of the loss each sat on).
    public func findings(origin: Int64) -> [Finding] {
        positions.losses.map { loss in
            let (up, down) = (name(loss.upstream), name(loss.downstream))
            let direction = "\(loss.direction.source) → \(loss.direction.destination)"
            let start = FindingValue.timestamp(nanoseconds: loss.firstMissingNanoseconds &- origin, decimals: 6)
            let lastCommon = loss.lastCommonFrame.map { "frame \($0)" } ?? "none"
            let message: FindingMessage = loss.isCut
                ? "Packets \(direction) seen at \(up) from t=\(start) on never reached \(down) (last seen at both: \(lastCommon)): the loss lies between the two capture points, \(up) upstream of it, \(down) downstream"
                : "Packets \(direction) seen at \(up) were missing at \(down) from t=\(start), with \(loss.seenAtBothAfterFirstMissing) seen at both afterwards: intermittent loss between the two capture points, \(up) upstream, \(down) downstream"
            return Finding(.CAPTURE.UPSTREAM_LOSS, side: loss.direction.source.description,
                           frames: [loss.firstMissingFrame, loss.lastMissingFrame].reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
                           measured: .composite([.number(Int64(loss.missing)), .text(" of "),
                                                 .count(Int(loss.missing + loss.seenAtBothAfterFirstMissing), noun: "packet"),
                                                 .text(" from the first missing one on")]),
                           message: message, relativeTimeNanoseconds: loss.firstMissingNanoseconds &- origin)
        }
    }
}

extension CaptureAnalysis {
    /// Several capture points of one event analysed as one capture (see `MergedFrameSource`); the
    /// frames are numbered in merged order. `path` names every file, joined by " + ".
    /// `wrap` may put the merged source inside another one (a progress display) before it is read.
    public init(merging paths: [String], filter: String? = nil, options: CheckOptions = CheckOptions(),
                windowNanoseconds: Int64, stages: AnalysisStages = .rules,
                wrap: (MergedFrameSource) -> any FrameSource = { $0 }) throws(CaptureError) {
        let source = try MergedFrameSource(paths: paths, filter: filter, windowNanoseconds: windowNanoseconds)
        try self.init(source: wrap(source), path: paths.joined(separator: " + "), options: options, stages: stages)
        merge = MergedCaptureSummary(points: source.points, positions: source.positions,
                                     windowNanoseconds: windowNanoseconds, frames: source.framesHandedOut)
    }
}
