import PeerscopeAnalysis
import PeerscopeWire

/// The failover chain of one BFD Down, as `sessions` prints it: last received → last captured →
/// BFD Down → BGP teardown → withdrawals elsewhere. Times in ns from the file's first frame.
/// The one record of a failover: `check --json`, `sessions --json` and the HTML report.
public struct ReportFailover: Codable, Sendable, Equatable {
    public var bfdSession: Int
    public var bgpSession: Int?
    public var declaredBy: String
    public var diag: UInt8
    public var diagName: String
    /// Down minus the detection time in force (RFC 5880 §6.8.4): the peer's last packet that
    /// reached the declaring side, if the timer ran its full course.
    public var lastReceivedNanoseconds: Int64?
    public var lastCapturedNanoseconds: Int64?
    public var lastCapturedFrame: Int?
    public var downNanoseconds: Int64
    public var downFrame: Int
    /// "closed" (NOTIFICATION/FIN/RST captured), "silence" or "stayed up"; nil without a BGP session.
    public var teardown: String?
    public var teardownCause: String?
    public var teardownBy: String?
    public var teardownNanoseconds: Int64?
    public var teardownFrame: Int?
    /// BFD Down to the BGP teardown: the failover time.
    public var failoverTimeNanoseconds: Int64?
    /// With "silence": the last BGP message before it.
    public var lastBGPMessageNanoseconds: Int64?
    public var routesLost: Int?
    public var withdrawalsNanoseconds: Int64?
    public var withdrawalsFrame: Int?
    public var withdrawnPrefixes: Int?
    public var withdrawalSessions: [Int]

    public init(_ failover: Failover, origin: Int64) {
        bfdSession = failover.bfdSessionID
        bgpSession = failover.bgpSessionID
        declaredBy = failover.declaredBy.description
        diag = failover.diagnostic.rawValue
        diagName = failover.diagnostic.description
        lastReceivedNanoseconds = failover.lastReceivedEstimateNanoseconds.map { $0 &- origin }
        lastCapturedNanoseconds = failover.lastHeardNanoseconds.map { $0 &- origin }
        lastCapturedFrame = failover.lastHeardFrame
        downNanoseconds = failover.downNanoseconds &- origin
        downFrame = failover.downFrame
        switch failover.teardown {
        case .closed(let teardown)?:
            self.teardown = "closed"
            teardownCause = "\(teardown.cause)"
            teardownNanoseconds = teardown.timeNanoseconds &- origin
            teardownFrame = teardown.frameNumber
        case .silence(let last)?:
            teardown = "silence"
            lastBGPMessageNanoseconds = last.map { $0 &- origin }
        case .stayedUp?:
            teardown = "stayed up"
        case nil:
            teardown = nil
        }
        teardownBy = failover.teardownBy?.description
        failoverTimeNanoseconds = failover.teardownDelayNanoseconds
        routesLost = failover.routesLost
        withdrawalsNanoseconds = failover.withdrawalsElsewhere.map { $0.timeNanoseconds &- origin }
        withdrawalsFrame = failover.withdrawalsElsewhere?.frame
        withdrawnPrefixes = failover.withdrawalsElsewhere?.prefixes
        withdrawalSessions = failover.withdrawalsElsewhere?.sessions ?? []
    }
}
