import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// The failover table: for each BFD Down, the chain from the fault to the withdrawals, each step
/// with its capture time and its offset from the BFD Down.
public struct FailoverRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func lines(_ analysis: CaptureAnalysis) -> [String] {
        guard !analysis.failovers.isEmpty else { return [] }
        let origin = analysis.firstTimestampNanoseconds ?? 0
        var lines = ["Failover"]
        for failover in analysis.failovers {
            var heading = "  BFD session \(failover.bfdSessionID)"
            heading += failover.bgpSessionID.map { " → BGP session \($0)" } ?? " (no BGP session on this address pair)"
            lines.append(heading)
            var table = TextTable(header: ["    STEP", "TIME", "FROM-DOWN", "FRAME", "WHAT"])
            // Steps in time order: the other end may have torn BGP down before this side's BFD noticed.
            var steps: [(time: Int64, cells: [String])] = []
            func row(_ step: String, _ time: Int64, frame: Int?, _ what: String) {
                steps.append((time, ["    " + step, Units.relativeTime(nanoseconds: time - origin, decimals: timeDecimals),
                                     signed(time - failover.downNanoseconds), frame.map(String.init) ?? "", what]))
            }
            if let received = failover.lastReceivedEstimateNanoseconds {
                row("last received", received, frame: nil, "peer's last packet that reached \(failover.declaredBy) (BFD Down − detection time)")
            }
            if let heard = failover.lastHeardNanoseconds {
                var what = "peer's last packet in the capture"
                if let received = failover.lastReceivedEstimateNanoseconds, heard > received + 1_000_000 {
                    what += ": later packets were lost after the capture point"
                }
                row("last captured", heard, frame: failover.lastHeardFrame, what)
            }
            row("BFD down", failover.downNanoseconds, frame: failover.downFrame,
                "\(failover.declaredBy) declares Down, diag \(failover.diagnostic.rawValue) \(failover.diagnostic)")
            let session = failover.bgpSessionID.flatMap { id in analysis.bgpSessions.first { $0.id == id } }
            switch failover.teardown {
            case .closed(let teardown)?:
                let by = session.map { "\($0.sides[teardown.side].address)" } ?? "?"
                row("BGP teardown", teardown.timeNanoseconds, frame: teardown.frameNumber, "\(teardown.cause) from \(by)")
            case .silence(let last)?:
                if let last { row("BGP silent", last, frame: nil, "last BGP message; no NOTIFICATION, FIN or RST captured") }
            case .stayedUp?:
                table.add(["    BGP", "", "", "", "session stayed up"])
            case nil:
                break
            }
            for step in steps.enumerated().sorted(by: { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }) {
                table.add(step.element.cells)
            }
            if let routes = failover.routesLost {
                table.add(["    routes", "", "", "", "\(routes) route(s) \(failover.declaredBy) had received from its peer went with the session"])
            }
            if let elsewhere = failover.withdrawalsElsewhere {
                table.add(["    withdrawals", Units.relativeTime(nanoseconds: elsewhere.timeNanoseconds - origin, decimals: timeDecimals),
                           signed(elsewhere.timeNanoseconds - failover.downNanoseconds), "\(elsewhere.frame)",
                           "\(elsewhere.prefixes) prefix(es) withdrawn on BGP session(s) \(elsewhere.sessions.map(String.init).joined(separator: ", ")) (first one)"])
            }
            lines += table.lines
            if let delay = failover.teardownDelayNanoseconds {
                lines.append("    failover time (BFD Down → BGP teardown): \(signed(delay))")
            }
        }
        lines.append("")
        return lines
    }

    private func signed(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0" }
        return nanoseconds < 0 ? "-" + Units.duration(nanoseconds: -nanoseconds) : "+" + Units.duration(nanoseconds: nanoseconds)
    }
}
