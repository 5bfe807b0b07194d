import PeerscopeEndpoint
import PeerscopeWire

/// RFC 5882: what the BGP session does when BFD goes AdminDown or fails.
extension Evaluate {
    /// admindown: Down with diag 3, and (with BGP) no NOTIFICATION, FIN or RST while watching.
    public static func adminDown(_ record: ProbeRecord, adminDownAt: Int64, until: Int64, bgpWatched: Bool) -> CaseOutcome {
        let ourAdminDown = record.sentPackets.firstIndex { $0.time >= adminDownAt }
        var evidence: [EvidenceReference] = ourAdminDown.map { [.sent($0)] } ?? []
        guard let down = record.deviceIndices(from: adminDownAt, to: until).first(where: {
            record.devicePackets[$0].state == .down || record.devicePackets[$0].state == .adminDown
        }), let packet = record.devicePackets[down].packet else {
            return CaseOutcome(.fail, "the device did not leave Up after our AdminDown", evidence: evidence)
        }
        evidence.append(.device(down))
        var figures = [("diag", diagFigure(packet.diagnostic))]
        let teardown = record.bgp.indices.first { record.bgp[$0].time >= adminDownAt && record.bgp[$0].time < until
            && record.bgp[$0].isTeardownByPeer }
        if bgpWatched { figures.append(("bgp_kept", ProbeFigure(teardown == nil ? 1 : 0, "bool", text: teardown == nil ? "yes" : "no"))) }
        if packet.state != .down || packet.diagnostic.rawValue != 3 {
            return CaseOutcome(.fail, "the device went \(packet.state) with diag \(packet.diagnostic.rawValue), not Down with diag 3",
                               figures: figures, evidence: evidence)
        }
        if let teardown {
            evidence.append(.bgp(teardown))
            return CaseOutcome(.fail, "Down with diag 3, but the device tore BGP down (\(describe(record.bgp[teardown].kind))) "
                               + "\(ProbeFigure(ms(record.bgp[teardown].time - adminDownAt), "ms").rendered) after our AdminDown",
                               figures: figures, evidence: evidence)
        }
        let seconds = ProbeFigure(ms(until - adminDownAt) / 1000, "s").rendered
        return CaseOutcome(.pass, bgpWatched ? "Down with diag 3; BGP kept for \(seconds)" : "Down with diag 3 (BGP not configured, not watched)",
                           figures: figures, evidence: evidence)
    }

    static func describe(_ kind: BGPObservation.Kind) -> String {
        switch kind {
        case .notificationReceived(let code, let subcode): "NOTIFICATION \(code)/\(subcode)"
        case .closedByPeer(let reset): reset ? "RST" : "FIN"
        case .notificationSent(let code, let subcode): "our NOTIFICATION \(code)/\(subcode)"
        case .closedByUs: "closed by us"
        case .connected: "connected"
        case .established: "Established"
        }
    }

    /// bfd-failure-bgp: BGP torn down within 1 s of the device's BFD Down; Cease/10 when a
    /// NOTIFICATION is sent.
    public static func bfdFailureBGP(_ record: ProbeRecord, silentAt: Int64, until: Int64,
                                     limitNanoseconds: Int64 = 1_000_000_000) -> CaseOutcome {
        guard let down = record.deviceIndices(from: silentAt, to: until).first(where: {
            record.devicePackets[$0].state == .down
        }) else {
            return CaseOutcome(.fail, "the device's BFD session stayed Up after we went silent")
        }
        let downTime = record.devicePackets[down].time
        var evidence: [EvidenceReference] = [.device(down)]
        let teardowns = record.bgp.indices.filter {
            record.bgp[$0].time >= silentAt && record.bgp[$0].time < until && record.bgp[$0].isTeardownByPeer
        }
        guard let first = teardowns.first else {
            return CaseOutcome(.fail, "BGP was not torn down within \(ProbeFigure(ms(until - downTime), "ms").rendered) of BFD Down",
                               evidence: evidence)
        }
        evidence.append(.bgp(first))
        // Both can arrive in one wake-up of the loop, the TCP segment read first: that is 0 ms.
        let failover = ms(max(0, record.bgp[first].time - downTime))
        var figures = [("failover_ms", ProbeFigure(failover, "ms"))]
        let notification: (UInt8, UInt8)? = teardowns.lazy.compactMap { index -> (UInt8, UInt8)? in
            if case .notificationReceived(let code, let subcode) = record.bgp[index].kind { return (code, subcode) }
            return nil
        }.first
        if let (code, subcode) = notification {
            figures.append(("notification", ProbeFigure(Double(code) * 100 + Double(subcode), "code×100+subcode",
                                                        text: "\(code)/\(subcode)\(code == 6 && subcode == 10 ? " (Cease, BFD Down)" : "")")))
        } else {
            figures.append(("notification", ProbeFigure(0, "code×100+subcode", text: "none (\(describe(record.bgp[first].kind)))")))
        }
        if record.bgp[first].time - downTime > limitNanoseconds {
            return CaseOutcome(.fail, "BGP torn down \(ProbeFigure(failover, "ms").rendered) after BFD Down (limit 1 s)",
                               figures: figures, evidence: evidence)
        }
        if let (code, subcode) = notification, code != 6 || subcode != 10 {
            return CaseOutcome(.fail, "NOTIFICATION \(code)/\(subcode), not Cease/BFD Down (6/10)", figures: figures, evidence: evidence)
        }
        return CaseOutcome(.pass, "BGP torn down \(ProbeFigure(failover, "ms").rendered) after BFD Down with "
                           + (notification != nil ? "Cease/10" : describe(record.bgp[first].kind)),
                           figures: figures, evidence: evidence)
    }
}
