import PeerscopeCapture
import PeerscopeWire

/// One pass over frames as they come, from any `FrameSource`: decoder → BFD session tracker and
/// BGP session tracker → rules (optional stages, see `AnalysisStages`), then at `finish()` the
/// BFD→BGP failover correlation. Fed one frame at a time (`ingest`), told the time when nothing
/// arrives (`tick`), so a file, standard input and a live interface are all analysed the same way.
/// Holds sessions and reassembly windows, never frames.
public struct AnalysisPipeline<Rules: AnalysisRules> {
    public let stages: AnalysisStages
    public let rules: Rules
    public private(set) var decoder = CaptureDecoder()
    public private(set) var tracker: BFDSessionTracker
    public private(set) var bgpTracker: BGPSessionTracker
    /// One entry per BFD Up→Down, linked to the BGP session on the same address pair (at `finish`).
    public private(set) var failovers: [Failover] = []
    public private(set) var firstTimestampNanoseconds: Int64?
    public private(set) var lastTimestampNanoseconds: Int64?
    /// Frames whose timestamp is earlier than the frame before them: how many, and the first few.
    public private(set) var backwardSteps = 0
    public private(set) var backwardFrames: [Int] = []
    public let backwardFramesKept: Int
    /// BFD sides that have gone silent for longer than their detection time, as of the last tick.
    public private(set) var silence = BFDSilenceWatch()
    public private(set) var isFinished = false
    private var dissection = Dissection()

    public init(stages: AnalysisStages, rules: Rules, tracker: BFDSessionTracker = BFDSessionTracker(),
                bgpTracker: BGPSessionTracker = BGPSessionTracker(), backwardFramesKept: Int = 8) {
        self.stages = stages
        self.rules = rules
        self.tracker = tracker
        self.bgpTracker = bgpTracker
        self.backwardFramesKept = backwardFramesKept
    }

    /// The largest magnitude of a timestamp the analysis works with.
    public static var timestampBound: Int64 { 1 << 62 }

    /// Every rule subtracts one timestamp from another: kept within ±2⁶² ns (±146 years), no two
    /// can be further apart than Int64 holds, whatever a damaged file says.
    public static func bounded(_ nanoseconds: Int64) -> Int64 { min(max(nanoseconds, -timestampBound), timestampBound) }

    /// One frame. `sourceOrigin` is the source's first record's time (`FrameSource.originNanoseconds`),
    /// used for the first frame only.
    public mutating func ingest(_ frame: Frame, sourceOrigin: Int64? = nil) {
        precondition(!isFinished, "ingest after finish")
        let (decoded, rawOrigin) = decoder.decode(frame, sourceOrigin: sourceOrigin, into: &dissection)
        let time = advanceClock(frame, rawOrigin: rawOrigin)
        let runRules = stages >= .rules
        let rules = self.rules
        guard stages >= .sessions else { return }
        switch decoded {
        case .bfdControl:
            guard let observation = BFDObservation(frame: frame.number, time: time,
                                                   decoded: decoded, dissection: dissection)
            else { return }
            if runRules {
                tracker.observe(observation) { context, session in
                    rules.bfdPacket(context, session: session)
                } fold: { rules.bfdFold($0) }
            } else {
                tracker.observe(observation)
            }
        case .bfdEcho(let echo):
            guard let network = dissection.network else { return }
            tracker.observeEcho(source: network.source, destination: network.destination)
            if runRules {
                rules.bfdEcho(frame: frame.number, time: time, source: network.source, ttl: network.ttl, echo: echo,
                              tracker: tracker)
            }
        case .bfdMalformed(let error, let transport):
            if runRules {
                rules.bfdMalformed(frame: frame.number, time: time, error: error, transport: transport,
                                   source: dissection.network?.source)
            }
        case .bgpSegment(let tcp):
            guard let network = dissection.network else { return }
            let payload = UnsafeRawBufferPointer(
                rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
            if runRules {
                bgpTracker.observe(frameNumber: frame.number, time: time, network: network,
                                   tcp: tcp, payload: payload) { event, session, side in
                    rules.bgpEvent(event, session: session, side: side)
                } fold: { rules.bgpFold($0) }
            } else {
                bgpTracker.observe(frameNumber: frame.number, time: time, network: network, tcp: tcp, payload: payload)
            }
        case .otherUDP, .otherTCP, .otherIP, .notIP, .undecodable:
            break
        }
    }

    /// A frame another thread already classified as carrying neither BFD nor BGP (`otherUDP`,
    /// `otherTCP`, `otherIP`, `notIP`: see `runReadingAhead`): counted and timed exactly as `ingest`
    /// would, without dissecting it again; its bytes are not read.
    mutating func ingest(_ frame: Frame, classifiedAs frameClass: FrameClass, sourceOrigin: Int64?) {
        precondition(!isFinished, "ingest after finish")
        let rawOrigin = decoder.count(frame, classifiedAs: frameClass, sourceOrigin: sourceOrigin)
        _ = advanceClock(frame, rawOrigin: rawOrigin)
    }

    /// What every frame does to the pipeline's clock, whatever it carries: the origin (and the
    /// rules' start) at the first frame, backward steps. Returns the frame's bounded time.
    @inline(__always)
    private mutating func advanceClock(_ frame: Frame, rawOrigin: Int64) -> Int64 {
        let time = Self.bounded(frame.timestampNanoseconds)
        let runRules = stages >= .rules
        if firstTimestampNanoseconds == nil {
            let origin = Self.bounded(rawOrigin)
            firstTimestampNanoseconds = origin
            if runRules { rules.start(originNanoseconds: origin) }
        }
        if let previous = lastTimestampNanoseconds, time < previous {
            backwardSteps += 1
            if backwardFrames.count < backwardFramesKept { backwardFrames.append(frame.number) }
            if runRules { rules.timeWentBack(atFrame: frame.number) }
        }
        lastTimestampNanoseconds = time
        return time
    }

    /// The time is `nowNanoseconds` and nothing arrived since the last frame: returns the BFD sides
    /// whose detection time has passed without a packet since the last tick (each silence once).
    /// Changes no finding: what `finish` judges depends on the frames alone, as it would for the
    /// same frames read back from a file.
    public mutating func tick(nowNanoseconds: Int64) -> [BFDSilence] {
        guard stages >= .sessions else { return [] }
        return silence.check(tracker.sessions, nowNanoseconds: Self.bounded(nowNanoseconds))
    }

    /// After the last frame: what needs whole sessions. Call once.
    public mutating func finish() {
        guard !isFinished else { return }
        isFinished = true
        guard stages >= .sessions else { return }
        let rules = self.rules
        // In ID order: once the trackers folded sessions at their cap, their storage is not.
        let sessions = tracker.trackedSessions
        if stages >= .rules {
            rules.finishBFD(sessions: sessions, lastFrameTime: lastTimestampNanoseconds ?? 0)
            bgpTracker.finish { event, session, side in rules.bgpEvent(event, session: session, side: side) }
        } else {
            bgpTracker.finish()
        }
        let bgpSessions = bgpTracker.trackedSessions
        if stages >= .rules { rules.finishBGP(sessions: bgpSessions) }
        failovers = FailoverCorrelator.correlate(bfd: sessions, bgp: bgpSessions)
        if stages >= .rules { rules.judge(failovers: failovers, bfd: sessions, bgp: bgpSessions) }
    }

    /// Reads `source` to its end (a live source's idle ticks go to `tick`), then finishes.
    /// A source cut mid-record throws after everything before the cut was ingested; the pipeline
    /// is then finished all the same.
    public mutating func run(_ source: some FrameSource) throws(CaptureError) {
        defer { finish() }
        while true {
            switch try source.nextEvent() {
            case .frame(let frame): ingest(frame, sourceOrigin: source.originNanoseconds)
            case .idle(let now): _ = tick(nowNanoseconds: now)
            case .end: return
            }
        }
    }
}
