import PeerscopeAnalysis
import PeerscopeConformance

/// The header of a `--merge` analysis: which capture points were read and how many of their frames
/// were one packet seen at several points (counted once).
public struct MergeRenderer {
    public init() {}

    public func lines(_ merge: MergedCaptureSummary) -> [String] {
        var lines = ["# merged \(merge.points.count) capture points by time: \(merge.frames) packet(s); one seen at several points within \(Units.duration(nanoseconds: merge.windowNanoseconds)) counts once"]
        for point in merge.points {
            lines.append("#   \(point.path): \(point.frames) frame(s), \(point.duplicates) of them seen earlier at another point")
        }
        return lines
    }
}

/// `--merge` in JSON: the points, the merged count and the losses located between points.
public struct MergeRecord: Codable, Sendable {
    public struct Point: Codable, Sendable {
        public var file: String
        public var frames: Int
        public var alsoSeenEarlierAtAnotherPoint: Int
    }

    public struct Loss: Codable, Sendable {
        public var source: String
        public var destination: String
        public var upstream: String
        public var downstream: String
        public var missing: Int
        public var seenAtBoth: Int
        public var seenAtBothAfterFirstMissing: Int
        public var firstMissingFrame: Int
        public var firstMissingTime: Double
        public var lastCommonFrame: Int?
        public var cut: Bool
    }

    public var points: [Point]
    public var packets: Int
    public var windowNs: Int64
    public var losses: [Loss]

    public init(_ merge: MergedCaptureSummary, origin: Int64) {
        points = merge.points.map { Point(file: $0.path, frames: $0.frames, alsoSeenEarlierAtAnotherPoint: $0.duplicates) }
        packets = merge.frames
        windowNs = merge.windowNanoseconds
        losses = merge.positions.losses.map { loss in
            Loss(source: loss.direction.source.description, destination: loss.direction.destination.description,
                 upstream: merge.points[loss.upstream].path, downstream: merge.points[loss.downstream].path,
                 missing: loss.missing, seenAtBoth: loss.seenAtBoth,
                 seenAtBothAfterFirstMissing: loss.seenAtBothAfterFirstMissing,
                 firstMissingFrame: loss.firstMissingFrame,
                 firstMissingTime: Double(loss.firstMissingNanoseconds &- origin) / 1e9,
                 lastCommonFrame: loss.lastCommonFrame, cut: loss.isCut)
        }
    }
}
