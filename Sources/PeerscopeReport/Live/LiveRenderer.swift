import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire

/// `peerscope live`: one line (or JSON object) per event, and on a terminal a session table in the
/// manner of FRR's `show bfd peers` / IOS `show bfd neighbors`, redrawn in place. Times are the
/// wall clock (UTC) of the frame that showed the event.
public struct LiveRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    /// "12:03:04.123" (UTC) of a Unix-epoch nanosecond timestamp.
    public func clock(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let day = ((seconds.quotient % 86_400) + 86_400) % 86_400
        let milliseconds = (seconds.remainder + 1_000_000_000) % 1_000_000_000 / 1_000_000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(two(day / 3_600)):\(two(day / 60 % 60)):\(two(day % 60)).\(millis)"
    }

    private func name(_ session: BFDSession, _ side: Int) -> String {
        session.sides[side]?.address.description ?? session.sides[1 - side]?.peerAddress.description ?? "?"
    }

    public func line(_ event: LiveEvent) -> String {
        switch event {
        case .bfd(let session, let event):
            let head = "\(clock(event.timeNanoseconds))  BFD \(session.id)  \(name(session, event.side)) → \(name(session, 1 - event.side))"
            switch event.kind {
            case .firstSeen(let state, let diag, _):
                return "\(head)  first seen \(state) (diag \(diag.rawValue) \(diag))  frame \(event.frameNumber)"
            case .stateChange(let from, let to, let diag):
                var text = "\(head)  \(from) → \(to) (diag \(diag.rawValue) \(diag))  frame \(event.frameNumber)"
                if from == .up, to != .up, let heard = event.peerLastHeard {
                    // Detection latency: from the peer's last packet the capture shows to this Down.
                    text += ", \(Units.duration(nanoseconds: event.timeNanoseconds &- heard.timeNanoseconds)) after the peer's last packet (frame \(heard.frameNumber))"
                    if let detection = event.detectionTimeInForce {
                        text += ", detection time \(Units.interval(microseconds: detection))"
                    }
                }
                return text
            default:
                return head
            }
        case .bfdSilence(let session, let silence):
            let silent = name(session, silence.side)
            return "\(clock(silence.noticedNanoseconds))  BFD \(session.id)  \(silent) → \(name(session, 1 - silence.side))  Down in the analyzer's view: detection time passed, no packet (\(Units.interval(microseconds: silence.detectionTime)) detection time, silent \(Units.duration(nanoseconds: silence.silentNanoseconds)) since frame \(silence.lastFrame))"
        case .bgp(let session, let from, let to):
            var text = "\(clock(session.lastEventTime))  BGP \(session.id)  \(session.a.address) ⇄ \(session.b.address)  \(from.map { "\($0) → " } ?? "")\(to)"
            if let teardown = session.teardown {
                text += " (\(teardown.cause) from \(session.sides[teardown.side].address), frame \(teardown.frameNumber))"
            }
            return text
        case .finding(let finding):
            // The `check` line, led by the session it belongs to instead of its indent.
            let where_ = finding.sessionID.map { "BFD \($0)  " } ?? finding.bgpSessionID.map { "BGP \($0)  " } ?? "capture  "
            return where_ + FindingsRenderer(timeDecimals: timeDecimals).line(finding).dropFirst(2)
        }
    }

    public func json(_ event: LiveEvent) -> String {
        var object = JSONLine()
        switch event {
        case .bfd(let session, let event):
            object.add("event", "bfd")
            object.add("time_ns", event.timeNanoseconds)
            object.add("frame", event.frameNumber)
            object.add("session", session.id)
            object.add("ip.src", name(session, event.side))
            object.add("ip.dst", name(session, 1 - event.side))
            switch event.kind {
            case .firstSeen(let state, let diag, _):
                object.add("from", nil as String?)
                object.add("bfd.sta", state.description)
                object.add("bfd.diag", Int(diag.rawValue))
            case .stateChange(let from, let to, let diag):
                object.add("from", from.description)
                object.add("bfd.sta", to.description)
                object.add("bfd.diag", Int(diag.rawValue))
                if from == .up, to != .up, let heard = event.peerLastHeard {
                    object.add("peer_last_frame", heard.frameNumber)
                    object.add("latency_ns", event.timeNanoseconds &- heard.timeNanoseconds)
                    object.add("detection_time_us", event.detectionTimeInForce)
                }
            default:
                break
            }
        case .bfdSilence(let session, let silence):
            object.add("event", "bfd.silence")
            object.add("time_ns", silence.noticedNanoseconds)
            object.add("session", session.id)
            object.add("ip.src", name(session, silence.side))
            object.add("last_frame", silence.lastFrame)
            object.add("silent_ns", silence.silentNanoseconds)
            object.add("detection_time_us", silence.detectionTime)
        case .bgp(let session, let from, let to):
            object.add("event", "bgp")
            object.add("time_ns", session.lastEventTime)
            object.add("session", session.id)
            object.add("a", session.a.address.description)
            object.add("b", session.b.address.description)
            object.add("from", from)
            object.add("state", to)
            object.add("teardown", session.teardown.map { "\($0.cause)" })
        case .finding(let finding):
            object.add("event", "finding")
            object.add("rule", finding.rule.id)
            object.add("level", finding.level.description)
            object.add("session", finding.sessionID)
            object.add("bgp_session", finding.bgpSessionID)
            object.add("side", finding.side)
            object.add("frames", finding.frames)
            object.add("message", FindingValueText.message(of: finding))
        }
        return object.line
    }

    /// The screen: a heading, the BFD and BGP session tables, then the latest event lines.
    public func screen(heading: String, pipeline: AnalysisPipeline<ConformanceRules>, recent: [String],
                       nowNanoseconds now: Int64) -> [String] {
        var lines = [heading, ""]
        var bfd = TextTable(header: ["ID", "PEER A", "PEER B", "LD/RD", "STATE A/B", "TX A→B", "TX B→A",
                                     "DETECT A/B", "PKTS A/B", "UP FOR", "LAST DOWN"])
        for session in pipeline.tracker.sessions {
            let a = session.a, b = session.b
            func state(_ index: Int) -> String {
                guard let side = session.sides[index] else { return "-" }
                return pipeline.silence.isSilent(session: session.id, side: index) ? "silent" : side.state.description
            }
            func tx(_ index: Int) -> String {
                session.negotiatedTxInterval(from: index).map { Units.interval(microseconds: $0.interval) } ?? "-"
            }
            func detect(_ index: Int) -> String {
                session.detectionTime(forPacketsFrom: 1 - index).map { Units.interval(microseconds: $0) } ?? "-"
            }
            let upSince = [a?.upSinceNanoseconds, b?.upSinceNanoseconds].compactMap { $0 }.max()
            let lastDown = [a, b].compactMap { $0?.lastDownDiagnostic }.first.map { "diag \($0.rawValue) \($0)" } ?? "-"
            bfd.add(["\(session.id)", name(session, 0), name(session, 1),
                     "\(a.map { String($0.myDiscriminator) } ?? "-")/\(b.map { String($0.myDiscriminator) } ?? "-")",
                     "\(state(0))/\(state(1))", tx(0), tx(1), "\(detect(0))/\(detect(1))",
                     "\(a?.packets ?? 0)/\(b?.packets ?? 0)",
                     upSince.map { Units.duration(nanoseconds: now &- $0) } ?? "-", lastDown])
        }
        lines += pipeline.tracker.sessions.isEmpty ? ["no BFD sessions yet"] : bfd.lines
        lines.append("")
        if !pipeline.bgpTracker.sessions.isEmpty {
            var bgp = TextTable(header: ["ID", "SPEAKER A", "SPEAKER B", "STATE", "MSGS A/B", "PREFIXES A/B"])
            for session in pipeline.bgpTracker.sessions {
                bgp.add(["\(session.id)", session.a.address.description, session.b.address.description, session.stateName,
                         "\(session.a.messagesSent)/\(session.b.messagesSent)",
                         "\(session.a.routes.count)/\(session.b.routes.count)"])
            }
            lines += bgp.lines
            lines.append("")
        }
        lines += recent
        return lines
    }
}

extension BGPSession {
    /// The time of the latest event (or message) the session shows.
    var lastEventTime: Int64 {
        events.last?.timeNanoseconds ?? sides.compactMap { $0.lastMessage?.time }.max() ?? 0
    }
}
