import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

@Suite("BFD timer rules: trigger and clean twin")
struct TimerRuleTests {
    @Test("BFD.TMR.SLOW.START: fast Desired Min TX while not Up")
    func slowStart() {
        var exchange = Exchange()
        exchange.send(.a)  // Down with 300 ms
        #expect(exchange.problems().contains("BFD.TMR.SLOW.START"))
        #expect(!Exchange.clean().problems().contains("BFD.TMR.SLOW.START"))
    }

    @Test("BFD.TMR.TX.FAST: gaps below 75% of the negotiated interval")
    func txFast() {
        var exchange = Exchange()
        exchange.handshake()
        exchange.periodic(seconds: 4, jitter: 0.55...0.65)
        #expect(exchange.problems().contains("BFD.TMR.TX.FAST"))
        #expect(!Exchange.clean().problems().contains("BFD.TMR.TX.FAST"))
    }

    @Test("BFD.TMR.TX.JITTER.MULT1: with Detect Mult 1 gaps above 90%")
    func jitterMult1() {
        var bad = Exchange()
        bad.a.multiplier = 1
        bad.handshake()
        bad.periodic(seconds: 4, jitter: 0.92...0.99)
        #expect(bad.problems().contains("BFD.TMR.TX.JITTER.MULT1"))
        var good = Exchange()
        good.a.multiplier = 1
        good.handshake()
        good.periodic(seconds: 4, jitter: 0.76...0.89)
        #expect(!good.problems().contains("BFD.TMR.TX.JITTER.MULT1"))
    }

    @Test("BFD.TMR.TX.SLOW: late packets; a silence the receiver survived is a capture gap")
    func txSlowAndCaptureGap() {
        var late = Exchange()
        late.handshake()
        late.periodic(seconds: 4, jitter: 1.1...1.2)
        #expect(late.problems().contains("BFD.TMR.TX.SLOW"))

        // A's packets missing for 2 s while B stays Up: the capture lost them, not A.
        var hole = Exchange.clean(seconds: 2)
        hole.periodic(seconds: 2, only: .b)
        hole.periodic(seconds: 2)
        let findings = hole.all()
        #expect(findings.contains("CAPTURE.GAP"))
        #expect(!hole.problems().contains("BFD.TMR.TX.SLOW"))
    }

    @Test("A capture started mid-session with one side's packets only: its gaps are not judged late against its own Desired Min TX")
    func txSlowNeedsThePeersParameters() {
        // RFC 5880 §6.8.2: A sends at max(its Desired Min TX 200 ms, B's Required Min RX 300 ms).
        // Until a packet of B's is seen, 200 ms is only a lower bound: gaps of 228–297 ms are
        // within 75–100 % of the real 300 ms interval and prove nothing late.
        var midSession = Exchange()
        midSession.a.desiredTx = 200_000
        midSession.b.requiredRx = 300_000
        midSession.a.state = .up
        midSession.a.yours = midSession.b.discriminator
        midSession.periodic(seconds: 4, only: .a)
        #expect(!midSession.problems().contains("BFD.TMR.TX.SLOW"))
        #expect(!midSession.problems().contains("BFD.TMR.TX.FAST"))
        // Twin: once B's packet shows its 300 ms, gaps of 110–120 % of it are late.
        var late = Exchange()
        late.a.desiredTx = 200_000
        late.b.requiredRx = 300_000
        late.handshake()
        late.periodic(seconds: 4, jitter: 1.1...1.2)
        #expect(late.problems().contains("BFD.TMR.TX.SLOW"))
    }

    @Test("BFD.TMR.JITTER.RANGE: a sender that applies no jitter at all")
    func noJitter() {
        var exchange = Exchange()
        exchange.handshake()
        exchange.periodic(seconds: 8, jitter: 1.0...1.0)
        #expect(exchange.problems().contains("BFD.TMR.JITTER.RANGE"))
        #expect(!Exchange.clean().problems().contains("BFD.TMR.JITTER.RANGE"))
    }

    @Test("BFD.TMR.POLL.REQUIRED: timers changed while Up without P; with a Poll it is clean")
    func pollRequired() {
        var bad = Exchange.clean(seconds: 2)
        bad.a.desiredTx = 200_000
        bad.periodic(seconds: 2)
        #expect(bad.problems().contains("BFD.TMR.POLL.REQUIRED"))

        var good = Exchange.clean(seconds: 2)
        good.a.desiredTx = 200_000
        good.advance(milliseconds: 1)
        good.send(.a, flags: .poll)
        good.advance(milliseconds: 2)
        good.send(.b, flags: .final)
        good.periodic(seconds: 2)
        #expect(!good.problems().contains("BFD.TMR.POLL.REQUIRED"))
        #expect(!good.problems().contains("BFD.TMR.FINAL.REPLY"))
    }

    @Test("BFD.TMR.POLL.HOLD: slowing down before the Final arrives")
    func pollHold() {
        var bad = Exchange.clean(seconds: 2)
        bad.a.desiredTx = 900_000
        bad.advance(milliseconds: 1)
        bad.send(.a, flags: .poll)
        for _ in 0..<3 {
            bad.advance(milliseconds: 800)
            bad.send(.a, flags: .poll)  // the peer never answers, A already at the new rate
        }
        #expect(bad.problems().contains("BFD.TMR.POLL.HOLD"))

        var good = Exchange.clean(seconds: 2)
        good.a.desiredTx = 900_000
        good.advance(milliseconds: 1)
        good.send(.a, flags: .poll)
        good.advance(milliseconds: 5)
        good.send(.b, flags: .final)
        good.periodic(seconds: 3)
        #expect(!good.problems().contains("BFD.TMR.POLL.HOLD"))
    }

    @Test("BFD.TMR.FINAL.REPLY: a Final without a Poll, and a Poll never answered")
    func finalReply() {
        var unsolicited = Exchange.clean(seconds: 2)
        unsolicited.advance(milliseconds: 1)
        unsolicited.send(.b, flags: .final)
        #expect(unsolicited.problems().contains("BFD.TMR.FINAL.REPLY"))

        var unanswered = Exchange.clean(seconds: 2)
        unanswered.advance(milliseconds: 1)
        unanswered.send(.a, flags: .poll)
        unanswered.periodic(seconds: 3, only: .b)
        #expect(unanswered.problems().contains("BFD.TMR.FINAL.REPLY"))
        #expect(!Exchange.clean().problems().contains("BFD.TMR.FINAL.REPLY"))
    }

    @Test("BFD.TMR.REMOTE.RX.ZERO: transmitting although the peer asked for nothing")
    func remoteRxZero() {
        var exchange = Exchange.clean(seconds: 2)
        exchange.b.requiredRx = 0
        exchange.advance(milliseconds: 1)
        exchange.send(.b, flags: .poll)
        exchange.advance(milliseconds: 2)
        exchange.send(.a, flags: .final)
        var b = exchange.b
        b.requiredRx = 0
        exchange.periodic(seconds: 3, only: .a)
        #expect(exchange.problems().contains("BFD.TMR.REMOTE.RX.ZERO"))
        #expect(!Exchange.clean().problems().contains("BFD.TMR.REMOTE.RX.ZERO"))
    }

    /// A stops sending; B declares Down with diag 1 after `afterMilliseconds` from A's last packet.
    func detection(afterMilliseconds: Double, aKeepsTalking: Bool = false) -> Exchange {
        var exchange = Exchange.clean(seconds: 3)
        let lastA = exchange.packets.last { $0.source == exchange.a.address }!.timeNanoseconds
        exchange.periodic(seconds: 0.05, only: .b)
        exchange.now = lastA + Int64(afterMilliseconds * 1_000_000)
        // B's packets stamped after its Down would make the capture's time run backwards (they are
        // all at the tail, after A's last packet): B fell silent before declaring Down.
        exchange.packets.removeAll { $0.timeNanoseconds > exchange.now }
        exchange.b.state = .down
        exchange.b.yours = 0
        exchange.send(.b, diagnostic: .controlDetectionTimeExpired, slow: true)
        if aKeepsTalking {
            // A, not hearing B either, keeps sending Up; B keeps sending Down: both deaf.
            for _ in 0..<4 {
                exchange.advance(milliseconds: 300)
                exchange.send(.a)
                exchange.send(.b, diagnostic: .controlDetectionTimeExpired, slow: true)
            }
        }
        return exchange
    }

    @Test("BFD.TMR.DETECT.EARLY / LATE against the detection time (900 ms here)")
    func detectionTime() {
        #expect(detection(afterMilliseconds: 400).problems().contains("BFD.TMR.DETECT.EARLY"))
        let ok = detection(afterMilliseconds: 905)
        #expect(!ok.problems().contains("BFD.TMR.DETECT.EARLY"))
        #expect(!ok.problems().contains("BFD.TMR.DETECT.LATE"))
        #expect(ok.all().contains("BFD.TMR.DETECT.LATE"))  // the INFO latency report
        #expect(detection(afterMilliseconds: 1_500).problems().contains("BFD.TMR.DETECT.LATE"))
    }

    @Test("an early-looking Down with evidence of deafness is CAPTURE.UPSTREAM_LOSS, not EARLY")
    func upstreamLoss() {
        let exchange = detection(afterMilliseconds: 10, aKeepsTalking: true)
        let all = exchange.all()
        #expect(all.contains("CAPTURE.UPSTREAM_LOSS"))
        #expect(!all.contains("BFD.TMR.DETECT.EARLY"))
    }
}
