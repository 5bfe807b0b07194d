import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// The failover table: for each BFD Down, the chain from the fault to the withdrawals, each step
/// with its capture time and its offset from the BFD Down.
public struct FailoverRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func lines(_ analysis: CaptureAnalysis) -> [String] {
        let origin = analysis.firstTimestampNanoseconds ?? 0
        return lines(analysis.failovers.map { ReportFailover($0, origin: origin) })
    }

    /// From the report model's records (times in ns from the first frame), as `--json` and the
    /// HTML report carry them.
    public func lines(_ failovers: [ReportFailover]) -> [String] {
        guard !failovers.isEmpty else { return [] }
        var lines = ["Failover"]
        for failover in failovers {
            var heading = "  BFD session \(failover.bfdSession)"
            heading += failover.bgpSession.map { " → BGP session \($0)" } ?? " (no BGP session on this address pair)"
            lines.append(heading)
            var table = TextTable(header: ["    STEP", "TIME", "FROM-DOWN", "FRAME", "WHAT"])
            // Steps in time order: the other end may have torn BGP down before this side's BFD noticed.
            var steps: [(time: Int64, cells: [String])] = []
            func row(_ step: String, _ time: Int64, frame: Int?, _ what: String) {
                steps.append((time, ["    " + step, Units.relativeTime(nanoseconds: time, decimals: timeDecimals),
                                     signed(time - failover.downNanoseconds), frame.map(String.init) ?? "", what]))
            }
            if let received = failover.lastReceivedNanoseconds {
                row("last received", received, frame: nil, "peer's last packet that reached \(failover.declaredBy) (BFD Down − detection time)")
            }
            if let heard = failover.lastCapturedNanoseconds {
                var what = "peer's last packet in the capture"
                if let received = failover.lastReceivedNanoseconds, heard > received + 1_000_000 {
                    what += ": later packets were lost after the capture point"
                }
                row("last captured", heard, frame: failover.lastCapturedFrame, what)
            }
            row("BFD down", failover.downNanoseconds, frame: failover.downFrame,
                "\(failover.declaredBy) declares Down, diag \(failover.diag) \(failover.diagName)")
            switch failover.teardown {
            case "closed":
                if let time = failover.teardownNanoseconds {
                    row("BGP teardown", time, frame: failover.teardownFrame,
                        "\(failover.teardownCause ?? "?") from \(failover.teardownBy ?? "?")")
                }
            case "silence":
                if let last = failover.lastBGPMessageNanoseconds {
                    row("BGP silent", last, frame: nil, "last BGP message; no NOTIFICATION, FIN or RST captured")
                }
            case "stayed up":
                table.add(["    BGP", "", "", "", "session stayed up"])
            default:
                break
            }
            for step in steps.enumerated().sorted(by: { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }) {
                table.add(step.element.cells)
            }
            if let routes = failover.routesLost {
                table.add(["    routes", "", "", "", "\(routes) route(s) \(failover.declaredBy) had received from its peer went with the session"])
            }
            if let time = failover.withdrawalsNanoseconds, let prefixes = failover.withdrawnPrefixes {
                table.add(["    withdrawals", Units.relativeTime(nanoseconds: time, decimals: timeDecimals),
                           signed(time - failover.downNanoseconds), failover.withdrawalsFrame.map(String.init) ?? "",
                           "\(prefixes) prefix(es) withdrawn on BGP session(s) \(failover.withdrawalSessions.map(String.init).joined(separator: ", ")) (first one)"])
            }
            lines += table.lines
            if let delay = failover.failoverTimeNanoseconds {
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
