import PeerscopeWire

/// What a pipeline builds on top of decoding: `decode` stops at the decoder, `timeline` needs the
/// session trackers, `check` (and `sessions`, whose table shows the authentication verdicts)
/// also runs the rules.
public enum AnalysisStages: Int, Comparable, Sendable {
    /// Dissect and count each frame; no sessions are built.
    case decode
    /// BFD and BGP session trackers and the BFD→BGP failover correlation.
    case sessions
    /// The sessions plus the conformance rules, fed as the trackers produce packets and events.
    case rules

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The rules stage of an `AnalysisPipeline`, plugged in from PeerscopeConformance (which depends
/// on this module, not the other way round). A class: the trackers lend their sessions to the
/// rules through closures, and a reference held in a local is what those closures can capture
/// without claiming the whole pipeline.
public protocol AnalysisRules: AnyObject {
    /// The origin of relative times (the source's first record), once, before any other call.
    func start(originNanoseconds: Int64)
    /// The file's clock went backwards at `frame`: no gap spanning it may be judged.
    func timeWentBack(atFrame frame: Int)
    func bfdPacket(_ context: BFDPacketContext, session: BFDSession)
    func bfdEcho(frame: Int, time: Int64, source: IPAddress, ttl: UInt8, echo: BFDEchoPacket,
                 tracker: BFDSessionTracker)
    func bfdMalformed(frame: Int, time: Int64, error: WireError, transport: BFDTransport, source: IPAddress?)
    func bgpEvent(_ event: BGPStreamEvent, session: BGPSession, side: Int)
    /// A session or connection the tracker folded away at its cap (`StateLimits`), before its slot is reused.
    func bfdFold(_ session: BFDSession)
    func bgpFold(_ session: BGPSession)
    /// After the last frame, in this order: the BFD rules over whole sessions, then (after the BGP
    /// tracker flushed what it held) the BGP ones, then the failover chain.
    func finishBFD(sessions: [BFDSession], lastFrameTime: Int64)
    func finishBGP(sessions: [BGPSession])
    func judge(failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession])
}

/// The rules stage of a pipeline that runs none.
public final class NoRules: AnalysisRules {
    public init() {}
    public func start(originNanoseconds: Int64) {}
    public func timeWentBack(atFrame frame: Int) {}
    public func bfdPacket(_ context: BFDPacketContext, session: BFDSession) {}
    public func bfdEcho(frame: Int, time: Int64, source: IPAddress, ttl: UInt8, echo: BFDEchoPacket,
                        tracker: BFDSessionTracker) {}
    public func bfdMalformed(frame: Int, time: Int64, error: WireError, transport: BFDTransport, source: IPAddress?) {}
    public func bgpEvent(_ event: BGPStreamEvent, session: BGPSession, side: Int) {}
    public func bfdFold(_ session: BFDSession) {}
    public func bgpFold(_ session: BGPSession) {}
    public func finishBFD(sessions: [BFDSession], lastFrameTime: Int64) {}
    public func finishBGP(sessions: [BGPSession]) {}
    public func judge(failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession]) {}
}
