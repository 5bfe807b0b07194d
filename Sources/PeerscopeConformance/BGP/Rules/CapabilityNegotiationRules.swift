import PeerscopeAnalysis
import PeerscopeWire

/// BGP.OPEN.CAPS (RFC 5492) and BGP.TMR.HOLD.NEGOTIATED (RFC 4271 §4.2): what each end offered in
/// its OPEN and what the session negotiated, capabilities then hold time.
final class CapabilityNegotiationRules: BGPRule {
    override var events: BGPRuleEvents { .finishSession }

    override func finishSession(_ session: BGPSession, _ out: inout BGPRuleOutput) {
        guard let a = session.a.open, let b = session.b.open else { return }
        let frames = [session.a.openFrame, session.b.openFrame].compactMap { $0 }.sorted()
        func offered(_ open: BGPOpen) -> String { open.capabilities.map(\.name).joined(separator: ", ") }
        // Nothing is negotiated until both OPENs are confirmed (RFC 4271 §8.2.2): a session that
        // never reached Established shows only what each end offered.
        guard session.establishedTime != nil else {
            out.add(Finding(.BGP.OPEN.CAPS, bgpSession: session.id, frames: frames,
                                 message: "\(session.a.address) AS\(a.autonomousSystem) offers [\(offered(a))], hold time \(a.holdTime) s; "
                                     + "\(session.b.address) AS\(b.autonomousSystem) offers [\(offered(b))], hold time \(b.holdTime) s; "
                                     + "never Established, so nothing was negotiated"))
            return
        }
        out.add(Finding(.BGP.OPEN.CAPS, bgpSession: session.id, frames: frames,
                             measured: .text(session.negotiatedCapabilities.joined(separator: ", ")),
                             message: "\(session.a.address) AS\(a.autonomousSystem) offers [\(offered(a))]; "
                                 + "\(session.b.address) AS\(b.autonomousSystem) offers [\(offered(b))]; "
                                 + "negotiated [\(session.negotiatedCapabilities.joined(separator: ", "))]"))
        let hold = Int(min(a.holdTime, b.holdTime))
        let keepalives = session.sides.map { side -> FindingMessage in
            "\(side.address) every " + (side.keepaliveInterval.map { "\(.duration(nanoseconds: $0))" } ?? "–")
        }
        out.add(Finding(.BGP.TMR.HOLD.NEGOTIATED, bgpSession: session.id, frames: frames,
                             measured: .seconds(Int64(hold)),
                             expected: .composite([.text("min("), .number(Int64(a.holdTime)), .text(", "), .number(Int64(b.holdTime)), .text(") s")]),
                             message: "Hold time \(.seconds(Int64(a.holdTime))) / \(.seconds(Int64(b.holdTime))) → negotiated \(.seconds(Int64(hold)))"
                                 + (hold > 0 ? " (keepalive about \(.duration(nanoseconds: Int64(hold) * 1_000_000_000 / 3)))" : " (no keepalives)")
                                 + "; keepalives seen: " + keepalives.joined(separator: ", ")))
    }
}
