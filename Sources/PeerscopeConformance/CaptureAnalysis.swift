import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire

/// One pass over one capture: frames → decoder → BFD session tracker and BGP session tracker →
/// rule engines, then the BFD→BGP failover correlation and the capture-quality findings (§8).
/// What `sessions`, `timeline` and `check` all stand on.
public struct CaptureAnalysis {
    public let path: String
    public private(set) var tracker = BFDSessionTracker()
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
    public init(path: String, filter: String? = nil, options: CheckOptions = CheckOptions()) throws(CaptureError) {
        try self.init(source: CaptureReader(path: path, filter: filter), path: path, options: options)
    }

    /// Reads `reader` to its end; `path` names it in reports.
    public init(source reader: some FrameSource, path: String, options: CheckOptions = CheckOptions())
        throws(CaptureError)
    {
        self.path = path
        stateLimits = options.stateLimits
        resolution = reader.resolution
        var effective = options
        effective.resolutionNanoseconds = reader.resolution.nanoseconds
        engine = BFDConformanceEngine(options: effective)
        bgpEngine = BGPConformanceEngine(options: effective)
        bgpTracker = BGPSessionTracker(bufferLimit: options.tcpBufferLimit, limits: options.stateLimits)
        var decoder = CaptureDecoder()
        var tracker = BFDSessionTracker(maxSessions: options.stateLimits.maxSessions)
        var engine = self.engine
        var bgpTracker = self.bgpTracker
        var bgpEngine = self.bgpEngine
        var first: Int64?
        var last: Int64?
        var backwardSteps = 0
        var backwardFrames: [Int] = []
        do {
            try decoder.run(reader) { frame, decoded, dissection, origin in
                // Every rule subtracts one timestamp from another: kept within ±2⁶² ns (±146
                // years), no two can be further apart than Int64 holds, whatever a damaged file says.
                let time = Self.bounded(frame.timestampNanoseconds)
                let origin = Self.bounded(origin)
                if first == nil {
                    first = origin
                    engine.originNanoseconds = origin
                    bgpEngine.originNanoseconds = origin
                }
                if let previous = last, time < previous {
                    backwardSteps += 1
                    if backwardFrames.count < FindingSink.framesKept { backwardFrames.append(frame.number) }
                    engine.timeWentBackAtFrame = frame.number
                }
                last = time
                switch decoded {
                case .bfdControl:
                    guard let observation = BFDObservation(frame: frame.number, time: time,
                                                           decoded: decoded, dissection: dissection)
                    else { return }
                    tracker.observe(observation) { context, session in
                        engine.packet(context, session: session)
                    } fold: { engine.fold($0) }
                case .bfdEcho(let echo):
                    guard let network = dissection.network else { return }
                    tracker.observeEcho(source: network.source, destination: network.destination)
                    engine.echo(frame: frame.number, time: time, source: network.source,
                                ttl: network.ttl, echo: echo, tracker: tracker)
                case .bfdMalformed(let error, let transport):
                    engine.malformed(frame: frame.number, time: time, error: error,
                                     transport: transport, source: dissection.network?.source)
                case .bgpSegment(let tcp):
                    guard let network = dissection.network else { return }
                    let payload = UnsafeRawBufferPointer(
                        rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
                    bgpTracker.observe(frameNumber: frame.number, time: time, network: network,
                                       tcp: tcp, payload: payload) { event, session, side in
                        bgpEngine.event(event, session: session, side: side)
                    } fold: { bgpEngine.fold($0) }
                case .otherUDP, .otherTCP, .otherIP, .notIP, .undecodable:
                    break
                }
            }
        } catch {
            readError = error
        }
        let sessions = tracker.trackedSessions
        engine.finish(sessions: sessions, lastFrameTime: last ?? 0)
        bgpTracker.finish { event, session, side in bgpEngine.event(event, session: session, side: side) }
        let bgpSessions = bgpTracker.trackedSessions
        bgpEngine.finish(sessions: bgpSessions)
        failovers = FailoverCorrelator.correlate(bfd: sessions, bgp: bgpSessions)
        bgpEngine.judge(failovers: failovers, bfd: sessions, bgp: bgpSessions)
        self.sessions = sessions
        self.bgpSessions = bgpSessions
        self.tracker = tracker
        self.engine = engine
        self.bgpTracker = bgpTracker
        self.bgpEngine = bgpEngine
        tally = decoder.tally
        recordsRead = reader.framesRead
        firstTimestampNanoseconds = first
        lastTimestampNanoseconds = last
        self.backwardSteps = backwardSteps
        self.backwardFrames = backwardFrames
    }

    /// The largest magnitude of a timestamp the analysis works with.
    static let timestampBound: Int64 = 1 << 62

    static func bounded(_ nanoseconds: Int64) -> Int64 { min(max(nanoseconds, -timestampBound), timestampBound) }


    /// Rule findings followed by capture-quality findings.
    public var findings: [Finding] {
        var all = engine.findings.all + bgpEngine.findings.all
        if tally.snapped > 0 {
            all.append(Finding("CAPTURE.TRUNCATED", frames: [], measured: "\(tally.snapped) frame(s)",
                               message: "\(tally.snapped) frame(s) cut short by the capture's snaplen"))
        }
        if backwardSteps > 0 {
            all.append(Finding("CAPTURE.TIME.BACKWARDS", frames: backwardFrames, measured: "\(backwardSteps) step(s) back",
                               message: "Record timestamps go backwards \(backwardSteps) time(s) (a merged file, a clock step or damage); "
                                   + "no gap, delay or detection latency across such a step was judged"))
        }
        if let readError {
            all.append(Finding("CAPTURE.TRUNCATED", frames: [recordsRead], message: "The file ends mid-record: \(readError)"))
        }
        all += merge?.findings(origin: firstTimestampNanoseconds ?? 0) ?? []
        all += stateCapFindings
        for (code, count) in tally.undecodable.sorted(by: { $0.key < $1.key }) {
            all.append(Finding("CAPTURE.UNDECODABLE", frames: [], measured: "\(count) frame(s)",
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
