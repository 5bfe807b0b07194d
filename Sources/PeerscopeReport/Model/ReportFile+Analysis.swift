import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance

extension ReportFile {
    /// The report of one analysed capture with the findings `check` would print for it (after
    /// `--rules` and `--min-level`); `isKnownDeviation` marks the MUSTs `--known-deviations` lists.
    public init(_ analysis: CaptureAnalysis, findings: [Finding], isKnownDeviation: (Finding) -> Bool = { _ in false }) {
        let origin = analysis.firstTimestampNanoseconds ?? 0
        path = analysis.path
        frames = analysis.tally.frames
        recordsRead = analysis.recordsRead
        originNanoseconds = origin
        durationNanoseconds = analysis.durationNanoseconds
        resolutionNanoseconds = analysis.resolution.nanoseconds
        capturePoints = analysis.merge.map { merge in merge.points.indices.map(merge.name) } ?? []
        readError = analysis.readError.map { "\($0)" }
        bfdSessions = analysis.sessions.map { session in
            ReportBFDSession(session, origin: origin) { analysis.engine.authentication(session: session.id, side: $0) }
        }
        bgpSessions = analysis.bgpSessions.map { ReportBGPSession($0, origin: origin) }
        failovers = analysis.failovers.map { ReportFailover($0, origin: origin) }
        self.findings = findings.map { ReportFinding($0, knownDeviation: $0.level == .must && isKnownDeviation($0)) }
    }
}
