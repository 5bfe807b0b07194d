import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// Something `peerscope live` reports as it happens.
public enum LiveEvent {
    /// A BFD side seen for the first time, or changing state (the event carries the diag, and for a
    /// Down the peer's last packet and the detection time in force).
    case bfd(session: BFDSession, event: BFDEvent)
    /// A side quiet for longer than its detection time: Down in the analyzer's view.
    case bfdSilence(session: BFDSession, silence: BFDSilence)
    /// A BGP session's state as the messages show it (`BGPSession.stateName`) changed.
    case bgp(session: BGPSession, from: String?, to: String)
    case finding(Finding)
}

/// What changed in a pipeline since the last look: new BFD state changes, BGP state changes and
/// new findings. Looks at every session each time (a live interface carries few).
public struct LiveChanges {
    private var bfdEventsSeen: [Int: Int] = [:]
    private var bgpStates: [Int: String] = [:]
    private var bfdFindingsSeen = 0
    private var bgpFindingsSeen = 0

    public init() {}

    public mutating func collect(_ pipeline: AnalysisPipeline<ConformanceRules>) -> [LiveEvent] {
        var events: [LiveEvent] = []
        for session in pipeline.tracker.sessions {
            let seen = bfdEventsSeen[session.id] ?? 0
            guard session.events.count > seen else { continue }
            for event in session.events[seen...] {
                switch event.kind {
                case .firstSeen, .stateChange: events.append(.bfd(session: session, event: event))
                default: break
                }
            }
            bfdEventsSeen[session.id] = session.events.count
        }
        for session in pipeline.bgpTracker.sessions {
            let state = session.stateName
            let before = bgpStates[session.id]
            if before != state {
                bgpStates[session.id] = state
                events.append(.bgp(session: session, from: before, to: state))
            }
        }
        let bfdFindings = pipeline.rules.engine.findings
        if bfdFindings.count > bfdFindingsSeen {
            events += bfdFindings.findings(in: bfdFindingsSeen..<bfdFindings.count).map(LiveEvent.finding)
            bfdFindingsSeen = bfdFindings.count
        }
        let bgpFindings = pipeline.rules.bgpEngine.findings
        if bgpFindings.count > bgpFindingsSeen {
            events += bgpFindings.findings(in: bgpFindingsSeen..<bgpFindings.count).map(LiveEvent.finding)
            bgpFindingsSeen = bgpFindings.count
        }
        return events
    }
}
