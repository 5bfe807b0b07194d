import PeerscopeAnalysis
import PeerscopeWire

extension BGPConformanceEngine {
    /// After the last frame: capabilities, hold time and keepalives, GTSM — per session.
    public mutating func finish(sessions: [BGPSession]) {
        for session in sessions {
            reportNegotiation(session)
            checkHoldTime(session)
            checkKeepaliveRate(session)
            checkGTSM(session)
        }
        finishNeverEstablished(sessions)
    }

    private mutating func reportNegotiation(_ session: BGPSession) {
        guard let a = session.a.open, let b = session.b.open else { return }
        let frames = [session.a.openFrame, session.b.openFrame].compactMap { $0 }.sorted()
        func offered(_ open: BGPOpen) -> String { open.capabilities.map(\.name).joined(separator: ", ") }
        // Nothing is negotiated until both OPENs are confirmed (RFC 4271 §8.2.2): a session that
        // never reached Established shows only what each end offered.
        guard session.establishedTime != nil else {
            findings.add(Finding(.BGP.OPEN.CAPS, bgpSession: session.id, frames: frames,
                                 message: "\(session.a.address) AS\(a.autonomousSystem) offers [\(offered(a))], hold time \(a.holdTime) s; "
                                     + "\(session.b.address) AS\(b.autonomousSystem) offers [\(offered(b))], hold time \(b.holdTime) s; "
                                     + "never Established, so nothing was negotiated"))
            return
        }
        findings.add(Finding(.BGP.OPEN.CAPS, bgpSession: session.id, frames: frames,
                             measured: session.negotiatedCapabilities.joined(separator: ", "),
                             message: "\(session.a.address) AS\(a.autonomousSystem) offers [\(offered(a))]; "
                                 + "\(session.b.address) AS\(b.autonomousSystem) offers [\(offered(b))]; "
                                 + "negotiated [\(session.negotiatedCapabilities.joined(separator: ", "))]"))
        let hold = Int(min(a.holdTime, b.holdTime))
        let keepalives = session.sides.map { side in
            "\(side.address) every " + (side.keepaliveInterval.map { Units.duration(nanoseconds: $0) } ?? "–")
        }
        findings.add(Finding(.BGP.TMR.HOLD.NEGOTIATED, bgpSession: session.id, frames: frames,
                             measured: "\(hold) s", expected: "min(\(a.holdTime), \(b.holdTime)) s",
                             message: "Hold time \(a.holdTime) s / \(b.holdTime) s → negotiated \(hold) s"
                                 + (hold > 0 ? " (keepalive about \(Units.duration(nanoseconds: Int64(hold) * 333_333_333)))" : " (no keepalives)")
                                 + "; keepalives seen: " + keepalives.joined(separator: ", ")))
    }

    /// RFC 4271 §4.4, §6.5: with hold time H > 0 a side must send something at least every H.
    /// A gap with a capture hole in it is not judged (the messages may be in the hole).
    private mutating func checkHoldTime(_ session: BGPSession) {
        guard session.establishedTime != nil, let hold = session.negotiatedHoldTime, hold > 0 else { return }
        let holdNanoseconds = Int64(hold) * 1_000_000_000
        let tolerance = options.toleranceNanoseconds
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
            let peerNoticed: String
            if let teardown = session.teardown, teardown.side != index, case .notification(let notification) = teardown.cause,
               notification.code == 4 {
                peerNoticed = "; the peer sent NOTIFICATION Hold Timer Expired"
            } else {
                peerNoticed = "; no Hold Timer Expired NOTIFICATION from the peer was captured"
            }
            findings.add(Finding(.BGP.TMR.KEEPALIVE.MAX, bgpSession: session.id, side: side.name,
                                 frames: [silence.from, silence.to], measured: Units.duration(nanoseconds: silence.gap),
                                 expected: "≤ \(hold) s", tolerance: options.toleranceText,
                                 message: "\(side.address) sent nothing for \(Units.duration(nanoseconds: silence.gap)) "
                                     + "(hold time \(hold) s)" + peerNoticed))
        }
    }

    /// RFC 4271 §4.4: KEEPALIVEs no more often than once a second, and a third of the hold time is
    /// a reasonable interval. The §10 jitter (75–100 %) may shorten a 1 s keepalive to 750 ms.
    private mutating func checkKeepaliveRate(_ session: BGPSession) {
        guard session.establishedTime != nil, let hold = session.negotiatedHoldTime, hold > 0 else { return }
        let tolerance = options.toleranceNanoseconds
        let third = Int64(hold) * 1_000_000_000 / 3
        for side in session.sides {
            // The evidence is the two KEEPALIVEs that came too close, not the OPEN.
            if let shortest = side.shortestKeepaliveGap, shortest.nanoseconds < 750_000_000 - tolerance {
                findings.add(Finding(.BGP.TMR.KEEPALIVE.RATE, bgpSession: session.id, side: side.name,
                                     frames: [shortest.fromFrame, shortest.toFrame],
                                     measured: Units.duration(nanoseconds: shortest.nanoseconds), expected: "≥ 1 s (≥ 750 ms with jitter)",
                                     message: "\(side.address) sent KEEPALIVEs \(Units.duration(nanoseconds: shortest.nanoseconds)) apart"), kind: "fast")
            }
            let frames = side.keepalives.last.map { [$0.frame] } ?? []
            if let typical = side.keepaliveInterval, typical > third + third / 4 + tolerance {
                findings.add(Finding(.BGP.TMR.KEEPALIVE.RATE, bgpSession: session.id, side: side.name,
                                     frames: frames, measured: Units.duration(nanoseconds: typical),
                                     expected: "about \(Units.duration(nanoseconds: third)) (hold \(hold) s ÷ 3)",
                                     message: "\(side.address) sends KEEPALIVEs every \(Units.duration(nanoseconds: typical)), "
                                         + "more than a third of the \(hold) s hold time: one lost KEEPALIVE nearly expires the peer's hold timer"),
                             kind: "slow")
            }
        }
    }

    /// RFC 5082 §3: with GTSM on, a speaker sends with TTL 255 and its peer discards anything less.
    /// Known on (`--gtsm`, `--gtsm-peer`): a TTL below 255 is proven to be discarded, a MUST. Not
    /// known: one end at 255 and the other below is a difference worth a SHOULD, except in iBGP
    /// (same AS) when the lower end is at 254, which is what a loopback peer one router away from
    /// the capture point shows whatever it sent.
    private mutating func checkGTSM(_ session: BGPSession) {
        for (index, side) in session.sides.enumerated() where side.messagesSent > 0 {
            let peer = session.sides[1 - index]
            let ttl = side.ttlMinimum == side.ttlMaximum ? "\(side.ttlMinimum)" : "\(side.ttlMinimum)–\(side.ttlMaximum)"
            let frames = side.firstMessage.map { [$0.frame] } ?? []
            if options.gtsm.isOn(between: side.address, and: peer.address) {
                guard side.ttlMinimum < 255 else { continue }
                findings.add(Finding(.BGP.IP.GTSM, level: .must, bgpSession: session.id, side: side.name, frames: frames,
                                     measured: "TTL \(ttl)", expected: "TTL 255 (GTSM on, as given to check)",
                                     message: "GTSM is on for this session (as given to check) and \(side.address) sends BGP with TTL \(ttl): "
                                         + "the peer discards it (RFC 5082 §3)"))
                continue
            }
            guard peer.messagesSent > 0, peer.ttlMinimum == 255, side.ttlMaximum < 255 else { continue }
            if side.ttlMaximum == 254, let mine = side.open?.autonomousSystem, mine == peer.open?.autonomousSystem { continue }
            findings.add(Finding(.BGP.IP.GTSM, bgpSession: session.id, side: side.name, frames: frames,
                                 measured: "TTL \(ttl)", expected: "TTL 255",
                                 message: "\(peer.address) sends BGP with TTL 255 (GTSM) but \(side.address) sends TTL \(ttl) "
                                     + "(whether GTSM is configured is not on the wire: --gtsm makes this a MUST)"))
        }
    }
}
