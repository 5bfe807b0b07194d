import PeerscopeAnalysis
import PeerscopeWire

/// BGP.TMR.KEEPALIVE.MAX (RFC 4271 §4.4, §6.5): with hold time H > 0 a side sends something at
/// least every H.
final class HoldTimeRule: BGPRule {
    override var events: BGPRuleEvents { .finishSession }

    /// RFC 4271 §4.4, §6.5: with hold time H > 0 a side must send something at least every H.
    /// A gap with a capture hole in it is not judged (the messages may be in the hole).
    override func finishSession(_ session: BGPSession, _ out: inout BGPRuleOutput) {
        guard session.establishedTime != nil, let hold = session.negotiatedHoldTime, hold > 0 else { return }
        let holdNanoseconds = Int64(hold) * 1_000_000_000
        let tolerance = out.options.toleranceNanoseconds
        for (index, side) in session.sides.enumerated() {
            var silence: (gap: Int64, from: Int, to: Int)?
            if let gap = side.longestGap { silence = (gap.nanoseconds, gap.fromFrame, gap.toFrame) }
            // The silence that ended in the peer's Hold Timer Expired counts too.
            if let teardown = session.teardown, teardown.side != index, let last = side.lastMessage,
               case .notification(let notification) = teardown.cause, notification.code == 4 {
                let gap = teardown.timeNanoseconds - last.time
                if gap > silence?.gap ?? -1 { silence = (gap, last.frame, teardown.frameNumber) }
            }
            guard let silence, silence.gap > holdNanoseconds + tolerance else { continue }
            let holeInside = session.events.contains { event in
                if case .hole = event.kind { return event.frameNumber > silence.from && event.frameNumber <= silence.to }
                return false
            }
            if holeInside { continue }
            let peerNoticed: FindingMessage
            if let teardown = session.teardown, teardown.side != index, case .notification(let notification) = teardown.cause,
               notification.code == 4 {
                peerNoticed = "; the peer sent NOTIFICATION Hold Timer Expired"
            } else {
                peerNoticed = "; no Hold Timer Expired NOTIFICATION from the peer was captured"
            }
            out.add(Finding(.BGP.TMR.KEEPALIVE.MAX, bgpSession: session.id, side: side.name,
                                 frames: [silence.from, silence.to], measured: .duration(nanoseconds: silence.gap),
                                 expected: .atMost(.seconds(Int64(hold))), tolerance: out.options.tolerance,
                                 message: "\(side.address) sent nothing for \(.duration(nanoseconds: silence.gap)) "
                                     + "(hold time \(hold) s)" + peerNoticed))
        }
    }
}
