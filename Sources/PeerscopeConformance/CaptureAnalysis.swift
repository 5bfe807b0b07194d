import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire

/// One capture analysed: an `AnalysisPipeline` (frames → decoder → BFD and BGP session trackers →
/// rule engines → BFD→BGP failover correlation) run over a `FrameSource`, plus the capture-quality
/// findings (§8). What `sessions`, `timeline` and `check` all stand on.
public struct CaptureAnalysis {
    public let path: String
    public private(set) var tracker: BFDSessionTracker
    /// The sessions held at the end, in ID order (the tracker's storage is not, once it folded).
    public private(set) var sessions: [BFDSession] = []
    public private(set) var bgpSessions: [BGPSession] = []
    public let stateLimits: StateLimits
    public private(set) var engine: BFDConformanceEngine
    public private(set) var bgpTracker: BGPSessionTracker
    public private(set) var bgpEngine: BGPConformanceEngine
    /// One entry per BFD Up→Down, linked to the BGP session on the same address pair.
    public private(set) var failovers: [Failover] = []
    public private(set) var tally = DecodeTally()
    public private(set) var firstTimestampNanoseconds: Int64?
    public private(set) var lastTimestampNanoseconds: Int64?
    public let resolution: TimestampResolution
    /// Records in the file up to where reading stopped, matching the filter or not (the last
    /// frame's number in Wireshark's numbering).
    public private(set) var recordsRead = 0
    /// Set when the file ended mid-record: everything before the cut was analysed.
    public private(set) var readError: CaptureError?
    /// Frames whose timestamp is earlier than the frame before them: how many, and the first few.
    public private(set) var backwardSteps = 0
    public private(set) var backwardFrames: [Int] = []

    /// With `--merge`: the capture points the frames came from and where each sat relative to a loss.
    public internal(set) var merge: MergedCaptureSummary?

    /// Opens and reads `path`. Unusable input throws; a file cut mid-record does not (see `readError`).
    public init(path: String, filter: String? = nil, options: CheckOptions = CheckOptions(),
                stages: AnalysisStages = .rules) throws(CaptureError) {
        try self.init(source: CaptureReader(path: path, filter: filter), path: path, options: options, stages: stages)
    }

    /// Reads `reader` to its end; `path` names it in reports. `stages` below `.rules` leaves the
    /// engines empty (no findings, no authentication verdicts). `threads: 2` reads and dissects on a
    /// second thread (`AnalysisPipeline.runReadingAhead`), with the same result.
    public init(source reader: some FrameSource, path: String, options: CheckOptions = CheckOptions(),
                stages: AnalysisStages = .rules, threads: Int = 1) throws(CaptureError)
    {
        var pipeline = Self.pipeline(options: options, resolution: reader.resolution, stages: stages)
        var readError: CaptureError?
        do throws(CaptureError) {
            if threads >= 2 {
                try pipeline.runReadingAhead(reader)
            } else {
                try pipeline.run(reader)
            }
        } catch {
            readError = error
        }
        self.init(finished: pipeline, path: path, resolution: reader.resolution, recordsRead: reader.framesRead,
                  readError: readError)
    }

    /// The pipeline `check` runs, for a caller that feeds it itself (`peerscope live`); hand it back
    /// finished to `init(finished:…)` for the same findings as `check` on the same frames.
    public static func pipeline(options: CheckOptions, resolution: TimestampResolution,
                                stages: AnalysisStages = .rules) -> AnalysisPipeline<ConformanceRules> {
        var effective = options
        effective.resolutionNanoseconds = resolution.nanoseconds
        return AnalysisPipeline(stages: stages, rules: ConformanceRules(options: effective),
                                tracker: BFDSessionTracker(maxSessions: options.stateLimits.maxSessions),
                                bgpTracker: BGPSessionTracker(bufferLimit: options.tcpBufferLimit,
                                                              limits: options.stateLimits),
                                backwardFramesKept: FindingSink.framesKept)
    }

    /// The analysis of what a finished `pipeline` saw.
    public init(finished pipeline: AnalysisPipeline<ConformanceRules>, path: String, resolution: TimestampResolution,
                recordsRead: Int, readError: CaptureError? = nil) {
        precondition(pipeline.isFinished, "the pipeline must be finished first")
        self.path = path
        self.resolution = resolution
        tracker = pipeline.tracker
        sessions = pipeline.tracker.trackedSessions
        bgpSessions = pipeline.bgpTracker.trackedSessions
        stateLimits = pipeline.rules.engine.options.stateLimits
        engine = pipeline.rules.engine
        bgpTracker = pipeline.bgpTracker
        bgpEngine = pipeline.rules.bgpEngine
        failovers = pipeline.failovers
        tally = pipeline.decoder.tally
        self.recordsRead = recordsRead
        self.readError = readError
        firstTimestampNanoseconds = pipeline.firstTimestampNanoseconds
        lastTimestampNanoseconds = pipeline.lastTimestampNanoseconds
        backwardSteps = pipeline.backwardSteps
        backwardFrames = pipeline.backwardFrames
    }


    /// Rule findings followed by capture-quality findings.
    public var findings: [Finding] {
        var all = engine.findings.all + bgpEngine.findings.all
        if tally.snapped > 0 {
            all.append(Finding(.CAPTURE.TRUNCATED, frames: [], measured: .count(Int(tally.snapped), noun: "frame"),
                               message: "\(tally.snapped) frame(s) cut short by the capture's snaplen"))
        }
        if backwardSteps > 0 {
            all.append(Finding(.CAPTURE.TIME.BACKWARDS, frames: backwardFrames, measured: .composite([.count(Int(backwardSteps), noun: "step"), .text(" back")]),
                               message: "Record timestamps go backwards \(backwardSteps) time(s) (a merged file, a clock step or damage); "
                                   + "no gap, delay or detection latency across such a step was judged"))
        }
        if let readError {
            all.append(Finding(.CAPTURE.TRUNCATED, frames: [recordsRead], message: "The file ends mid-record: \(readError)"))
        }
        all += merge?.findings(origin: firstTimestampNanoseconds ?? 0) ?? []
        all += stateCapFindings
        for (code, count) in tally.undecodable.sorted(by: { $0.key < $1.key }) {
            all.append(Finding(.CAPTURE.UNDECODABLE, frames: [], measured: .count(Int(count), noun: "frame"),
                               message: "\(count) frame(s) not decoded: \(code)"))
        }
        return all
    }

    public var durationNanoseconds: Int64 {
        guard let first = firstTimestampNanoseconds, let last = lastTimestampNanoseconds else { return 0 }
        // Saturated: the two ends of a damaged file may lie anywhere in Int64.
        let (duration, overflow) = last.subtractingReportingOverflow(first)
        return overflow ? (last > first ? .max : .min) : duration
    }
}
