import PeerscopeAnalysis
import PeerscopeWire

/// The rules stage of an `AnalysisPipeline`: the BFD engine (CONFORMANCE.md §1–5, §8) and the BGP
/// engine (§6, §7), fed as the trackers produce packets and events.
public final class ConformanceRules: AnalysisRules {
    // Reached only through the pipeline, one frame at a time: the dynamic exclusivity check a class
    // property otherwise pays on every packet buys nothing here.
    @exclusivity(unchecked) public private(set) var engine: BFDConformanceEngine
    @exclusivity(unchecked) public private(set) var bgpEngine: BGPConformanceEngine

    public init(options: CheckOptions) {
        engine = BFDConformanceEngine(options: options)
        bgpEngine = BGPConformanceEngine(options: options)
    }

    /// With rules other than the registry's (a test that watches what the engines dispatch).
    public init(options: CheckOptions, bfdRules: [BFDRule], bgpRules: [BGPRule]) {
        engine = BFDConformanceEngine(options: options, rules: bfdRules)
        bgpEngine = BGPConformanceEngine(options: options, rules: bgpRules)
    }

    /// Rule findings so far (BFD then BGP), without the capture-quality ones `CaptureAnalysis` adds.
    public var findingCount: Int { engine.findings.count + bgpEngine.findings.count }

    public func start(originNanoseconds: Int64) {
        engine.originNanoseconds = originNanoseconds
        bgpEngine.originNanoseconds = originNanoseconds
    }

    public func timeWentBack(atFrame frame: Int) { engine.timeWentBackAtFrame = frame }

    public func bfdPacket(_ context: BFDPacketContext, session: BFDSession) {
        engine.packet(context, session: session)
    }

    public func bfdEcho(frame: Int, time: Int64, source: IPAddress, ttl: UInt8, echo: BFDEchoPacket,
                        tracker: BFDSessionTracker) {
        engine.echo(frame: frame, time: time, source: source, ttl: ttl, echo: echo, tracker: tracker)
    }

    public func bfdMalformed(frame: Int, time: Int64, error: WireError, transport: BFDTransport, source: IPAddress?) {
        engine.malformed(frame: frame, time: time, error: error, transport: transport, source: source)
    }

    public func bgpEvent(_ event: BGPStreamEvent, session: BGPSession, side: Int) {
        bgpEngine.event(event, session: session, side: side)
    }

    public func bfdFold(_ session: BFDSession) { engine.fold(session) }

    public func bgpFold(_ session: BGPSession) { bgpEngine.fold(session) }

    public func finishBFD(sessions: [BFDSession], lastFrameTime: Int64) {
        engine.finish(sessions: sessions, lastFrameTime: lastFrameTime)
    }

    public func finishBGP(sessions: [BGPSession]) { bgpEngine.finish(sessions: sessions) }

    public func judge(failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession]) {
        bgpEngine.judge(failovers: failovers, bfd: bfd, bgp: bgp)
    }
}
