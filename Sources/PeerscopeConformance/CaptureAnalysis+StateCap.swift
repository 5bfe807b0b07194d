import PeerscopeAnalysis

extension CaptureAnalysis {
    /// CAPTURE.STATE.CAP (issue 12 item 5): what the analysis stopped tracking individually because
    /// the capture named more sessions, connections or out-of-order bytes than its limits. A limit of
    /// the tool, never of the peers: INFO, with the option that raises it.
    var stateCapFindings: [Finding] {
        var findings: [Finding] = []
        let bfd = tracker.folded
        if bfd.sessions > 0 {
            findings.append(Finding(
                .CAPTURE.STATE.CAP, frames: [], measured: .composite([.count(Int(bfd.sessions), noun: "BFD session"), .text(" folded")]),
                expected: .composite([.atMost(.number(Int64(tracker.maxSessions))), .text(" tracked at once")]),
                message: "\(bfd.sessions) BFD session(s) (\(bfd.packets) packet(s), \(bfd.events) event(s)) were folded into counts "
                    + "after more than \(tracker.maxSessions) were tracked at once (the least recently seen first): their per-packet "
                    + "findings are counted in one finding per rule (marked as folded), the end-of-session rules (flaps, jitter, never Up, port reuse) did not judge them and they are "
                    + "not listed; a folded session seen again started as a new one. Raise the limit with --max-sessions"))
        }
        let bgp = bgpTracker.folded
        if bgp.sessions > 0 {
            findings.append(Finding(
                .CAPTURE.STATE.CAP, frames: [], measured: .composite([.count(Int(bgp.sessions), noun: "BGP connection"), .text(" folded")]),
                expected: .composite([.atMost(.number(Int64(bgpTracker.maxSessions))), .text(" tracked at once")]),
                message: "\(bgp.sessions) BGP connection(s) (\(bgp.packets) message(s), \(bgp.events) event(s)) were folded into counts, "
                    + "their reassembly buffers dropped, after more than \(bgpTracker.maxSessions) were tracked at once (the least "
                    + "recently seen first): their per-message findings are counted in one finding per rule (marked as folded), the end-of-capture rules did not judge them and they "
                    + "are not listed; a folded connection seen again started as a new one, picked up mid-stream. Raise the limit "
                    + "with --max-sessions"))
        }
        let unheld = bgpTracker.unheldDirectionsDropped
        if unheld > 0 {
            findings.append(Finding(
                .CAPTURE.STATE.CAP, frames: [], measured: .composite([.count(Int(unheld), noun: "TCP direction"), .text(" dropped")]),
                expected: .composite([.atMost(.number(Int64(2 * bgpTracker.maxSessions))), .text(" directions followed")]),
                message: "\(unheld) time(s) a port-179 segment of a connection no session held (no SYN seen, no BGP message "
                    + "completed yet) found more than \(2 * bgpTracker.maxSessions) directions followed: its direction was "
                    + "dropped with the partial bytes it held. Raise the limit with --max-sessions"))
        }
        let reassembly = bgpTracker.reassemblyCap
        if reassembly.gaps > 0 {
            findings.append(Finding(
                .CAPTURE.STATE.CAP, frames: reassembly.firstFrame.map { [$0] } ?? [],
                measured: .composite([.count(Int(reassembly.bytes), noun: "out-of-order byte"), .text(" released early")]),
                expected: .composite([.atMost(.count(Int(stateLimits.maxReassemblyBytes), noun: "byte")),
                                      .text(" held, all connections together")]),
                message: "TCP reassembly held more than \(stateLimits.maxReassemblyBytes) out-of-order byte(s) over all connections: "
                    + "\(reassembly.gaps) gap(s) were given up early and the \(reassembly.bytes) byte(s) behind them decoded after a "
                    + "hole (CAPTURE.TCP.HOLE). Raise the limit with --max-reassembly"))
        }
        return findings
    }
}
