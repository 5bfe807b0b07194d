import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Issue 11 item 5: a MUST only where the packets prove a MUST was broken. Each case has its
/// trigger and its clean twin; the truth is the RFC clause named in each test.
@Suite("severity: MUST only when the packets prove it")
struct SeverityTests {
    /// `exchange`'s findings of `rule` at `level`.
    static func findings(_ exchange: Exchange, _ rule: String, options: CheckOptions = CheckOptions()) -> [Finding] {
        exchange.run(options: options).findings.filter { $0.rule.id == rule }
    }

    @Test("a side that drops its session (Down, diag 3, peer still Up) is a diag finding, not a §6.2 MUST")
    func localDownWithDiag3() {
        // RFC 5880 §6.8.6: Up moves to Down with diag 3 on a *received* Down; a local Down is not
        // a transition the received packets must explain, only its diag is wrong (§6.8.1 LocalDiag).
        var deleted = Exchange.clean(seconds: 2)
        deleted.a.state = .down
        deleted.a.yours = 0
        deleted.send(.a, diagnostic: .neighborSignaledSessionDown, slow: true)
        #expect(Self.findings(deleted, "BFD.FSM.TRANSITION").isEmpty)
        let diag = Self.findings(deleted, "BFD.FSM.DIAG.DOWN")
        #expect(diag.count == 1 && diag.first?.level == .should)
        #expect(diag.first?.frames == diag.first?.frames.sorted())

        // Twin: the peer went AdminDown first; diag 3 then tells the truth.
        var told = Exchange.clean(seconds: 2)
        told.b.state = .adminDown
        told.send(.b, diagnostic: .administrativelyDown)
        told.advance(milliseconds: 5)
        told.a.state = .down
        told.a.yours = 0
        told.send(.a, diagnostic: .neighborSignaledSessionDown, slow: true)
        #expect(Self.findings(told, "BFD.FSM.TRANSITION").isEmpty)
        #expect(Self.findings(told, "BFD.FSM.DIAG.DOWN").isEmpty)
    }

    @Test("echo packets are judged with the §6.8.9 jitter: 75–100 % of Required Min Echo RX")
    func echoJitter() {
        func echoFindings(gapMilliseconds: Int64) -> [String] {
            var exchange = Exchange()
            exchange.b.echoRx = 50_000
            exchange.handshake()
            exchange.periodic(seconds: 1)
            var tracker = BFDSessionTracker()
            var engine = BFDConformanceEngine()
            for observation in exchange.packets {
                tracker.observe(observation) { context, session in engine.packet(context, session: session) }
            }
            var time = exchange.now
            for index in 0..<10 {
                time += gapMilliseconds * 1_000_000
                let echo = BFDEchoPacket(payloadLength: 24, payloadDigest: UInt64(index))
                engine.echo(frame: 1000 + 2 * index, time: time, source: exchange.a.address, ttl: 255, echo: echo, tracker: tracker)
                engine.echo(frame: 1001 + 2 * index, time: time + 500_000, source: exchange.a.address, ttl: 254, echo: echo, tracker: tracker)
            }
            engine.finish(sessions: tracker.sessions, lastFrameTime: time)
            return engine.findings.all.map(\.rule.id)
        }
        // 40 ms of 50 ms = 80 %: inside the jitter §6.8.9 allows (clean twin).
        #expect(!echoFindings(gapMilliseconds: 40).contains("BFD.IP.ECHO.RATE"))
        // 35 ms = 70 %: below 75 % even with the tolerance of 1 ms + 1 µs (trigger).
        #expect(echoFindings(gapMilliseconds: 35).contains("BFD.IP.ECHO.RATE"))
    }

    @Test("a short gap across the peer's Final (a Poll Sequence ending) is at most a SHOULD (§6.8.3, §6.8.7)")
    func shortGapAcrossFinal() {
        // A polls to a faster rate; B's Final arrives; A sends its next packet at once. The gap
        // from A's previous periodic packet is short, but the interval changed inside it.
        func run(final: Bool) -> [Finding] {
            var exchange = Exchange.clean(seconds: 2)
            exchange.advance(milliseconds: 250)
            exchange.send(.a)
            exchange.advance(milliseconds: 250)
            exchange.send(.a, flags: .poll)
            exchange.advance(milliseconds: 1)
            if final { exchange.send(.b, flags: .final) }
            exchange.advance(milliseconds: 1)
            exchange.send(.a)
            return Self.findings(exchange, "BFD.TMR.TX.FAST")
        }
        let acrossFinal = run(final: true)
        #expect(!acrossFinal.contains { $0.level == .must })
        #expect(acrossFinal.contains { $0.level == .should })
        // Twin with no Final in the gap: 2 ms at 300 ms is a MUST (§6.8.7, 75 % floor).
        #expect(run(final: false).contains { $0.level == .must })
    }

    /// The words of a typed value (its prose and state words; numbers say no "must").
    static func prose(_ value: FindingValue?) -> [String] {
        switch value {
        case .text(let text), .word(let text), .address(let text): [text]
        case .composite(let parts): parts.flatMap(prose)
        case .range(let a, let b), .within(let a, let b), .change(let a, let b), .transition(let a, let b): prose(a) + prose(b)
        case .atLeast(let bound), .atMost(let bound), .below(let bound), .plusMinus(let bound): prose(bound)
        default: []
        }
    }

    @Test("rule levels and message words agree: no 'must' in a SHOULD or INFO rule")
    func levelsAndWords() {
        for rule in RuleCatalog.all where rule.level != .must {
            #expect(!rule.summary.lowercased().contains("must"), "\(rule.id) is \(rule.level) but says: \(rule.summary)")
        }
    }

    @Test("and in every finding over every committed capture: a SHOULD or INFO never says 'must'", arguments: GoldenFindingsTests.captures())
    func findingWords(capture: String) throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/\(capture)").path
        for finding in try CaptureAnalysis(path: path).findings where finding.level != .must {
            let words = ([finding.messageText] + Self.prose(finding.expected)).joined(separator: " ").lowercased()
            #expect(!words.contains("must"), "\(finding.level) \(finding.rule.id) in \(capture): \(finding.messageText)")
        }
    }
}

/// Issue 11 item 4: a finding's frames are the frames that show it, ascending, each once.
@Suite("evidence: frames sorted, unique, and the right ones")
struct EvidenceTests {
    @Test("repeats fold into ascending unique frames (no 6,6,6,9,9,9; no 82,79)")
    func foldedFrames() {
        var sink = FindingSink()
        for frame in [82, 79, 6, 6, 6, 9, 9, 9] {
            sink.add(Finding(.BFD.IP.PORT.SRC, session: 1, side: "192.0.2.1", frames: [frame, frame], message: "x"))
        }
        let finding = sink.all[0]
        #expect(finding.frames == [6, 9, 79, 82])
        #expect(finding.occurrences == 8)
        #expect(Finding(.BFD.FSM.TRANSITION, frames: [54, 64, 53], message: "x").frames == [53, 54, 64])
    }
}
