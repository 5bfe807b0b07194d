import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire
import Testing

/// The pipeline's stages and its idle ticks, over frames built in memory. The expectations come
/// from RFC 5880 §6.8.4 and the timers the test itself configures, as the lab's come from its config.
@Suite struct AnalysisPipelineTests {
    static let a = IPAddress("192.0.2.1")!
    static let b = IPAddress("192.0.2.2")!
    static let second: Int64 = 1_000_000_000
    static let millisecond: Int64 = 1_000_000

    /// One single-hop BFD frame (Ethernet, IPv4, UDP 3784) from `from`.
    static func frame(at time: Int64, from side: Int, state: BFDState) -> MemoryFrameSource.Item {
        // A: 300 ms tx, 300 ms rx, ×3; B: 200 ms tx, 500 ms rx, ×5 (the lab's FRR and BIRD timers).
        let packet = side == 0
            ? BFDControlPacket(state: state, detectMultiplier: 3, myDiscriminator: 11, yourDiscriminator: 22,
                               desiredMinTxInterval: 300_000, requiredMinRxInterval: 300_000)
            : BFDControlPacket(state: state, detectMultiplier: 5, myDiscriminator: 22, yourDiscriminator: 11,
                               desiredMinTxInterval: 200_000, requiredMinRxInterval: 500_000)
        var payload: [UInt8] = []
        packet.encode(into: &payload)
        let builder = side == 0 ? FrameBuilder.udp(from: a, 49152, to: b, 3784) : FrameBuilder.udp(from: b, 49153, to: a, 3784)
        return .frame(timestampNanoseconds: time, bytes: builder.build(payload: payload))
    }

    /// Both Up for 3 s (A every 300 ms, B every 500 ms), then B falls silent while A keeps sending;
    /// idle ticks every 100 ms in between, as a live source yields them. Returns the items and the
    /// time of B's last packet.
    static func exchange(silentAfter: Int64 = 3 * second, until end: Int64 = 6 * second)
        -> (items: [MemoryFrameSource.Item], lastB: Int64, bFrames: Int, aFrames: Int) {
        var events: [(Int64, Int)] = []  // (time, kind: 0 = A, 1 = B, 2 = tick)
        var time: Int64 = 0
        while time <= end { events.append((time, 0)); time += 300 * millisecond }
        time = 10 * millisecond
        var lastB: Int64 = 0
        while time <= silentAfter { events.append((time, 1)); lastB = time; time += 500 * millisecond }
        time = 50 * millisecond
        while time <= end { events.append((time, 2)); time += 100 * millisecond }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        let items = events.map { time, kind in
            kind == 2 ? .idle(nowNanoseconds: time) : frame(at: time, from: kind, state: .up)
        }
        return (items, lastB, events.filter { $0.1 == 1 }.count, events.filter { $0.1 == 0 }.count)
    }

    @Test("a side silent beyond its detection time (§6.8.4: its Detect Mult × max(peer's Required Min RX, its Desired Min TX)) is reported once, at the first tick after it")
    func silentPeerNoticedAtTick() throws {
        let (items, lastB, _, _) = Self.exchange()
        // B's packets: 5 × max(A's 300 ms Required Min RX, B's 200 ms Desired Min TX) = 1.5 s.
        let detection = 5 * 300 * Self.millisecond
        let source = MemoryFrameSource(items)
        var pipeline = AnalysisPipeline(stages: .sessions, rules: NoRules())
        var silences: [BFDSilence] = []
        var tickTimes: [Int64] = []
        while true {
            switch try source.nextEvent() {
            case .frame(let frame): pipeline.ingest(frame, sourceOrigin: source.originNanoseconds)
            case .idle(let now):
                tickTimes.append(now)
                silences += pipeline.tick(nowNanoseconds: now)
            case .end:
                pipeline.finish()
                #expect(silences.count == 1, "\(silences)")
                let silence = try #require(silences.first)
                #expect(silence.side == 1)  // B (192.0.2.2, the higher address)
                #expect(silence.detectionTime == 1_500_000)
                #expect(silence.lastHeardNanoseconds == lastB)
                let expectedTick = try #require(tickTimes.first { $0 > lastB + detection })
                #expect(silence.noticedNanoseconds == expectedTick)
                #expect(pipeline.silence.isSilent(session: silence.sessionID, side: 1))
                #expect(!pipeline.silence.isSilent(session: silence.sessionID, side: 0))
                return
            }
        }
    }

    @Test("a side heard again is no longer silent, and a side that keeps its rate never is")
    func silenceEndsWithAPacket() throws {
        var (items, lastB, _, _) = Self.exchange(until: 5 * Self.second)
        let back = lastB + 2 * Self.second
        items.append(Self.frame(at: back, from: 1, state: .up))
        items.append(.idle(nowNanoseconds: back + 100 * Self.millisecond))
        let source = MemoryFrameSource(items)
        var pipeline = AnalysisPipeline(stages: .sessions, rules: NoRules())
        var silences: [BFDSilence] = []
        loop: while true {
            switch try source.nextEvent() {
            case .frame(let frame): pipeline.ingest(frame)
            case .idle(let now): silences += pipeline.tick(nowNanoseconds: now)
            case .end: break loop
            }
        }
        #expect(silences.map(\.side) == [1])
        #expect(!pipeline.silence.isSilent(session: 1, side: 1))
    }

    @Test("the decode stage counts every frame and builds no session; the session stage builds the one the frames show")
    func stages() throws {
        let (items, _, bFrames, aFrames) = Self.exchange()
        var decodeOnly = AnalysisPipeline(stages: .decode, rules: NoRules())
        try decodeOnly.run(MemoryFrameSource(items))
        #expect(decodeOnly.decoder.tally.bfdControlTotal == aFrames + bFrames)
        #expect(decodeOnly.tracker.sessions.isEmpty)
        #expect(decodeOnly.isFinished)

        var sessions = AnalysisPipeline(stages: .sessions, rules: NoRules())
        try sessions.run(MemoryFrameSource(items))
        #expect(sessions.tracker.sessions.count == 1)
        let session = try #require(sessions.tracker.sessions.first)
        #expect(session.a?.packets == aFrames && session.b?.packets == bFrames)
        #expect(sessions.firstTimestampNanoseconds == 0)
    }

    @Test("frames in memory keep their bytes, times and numbering; idle ticks are not frames")
    func memorySource() throws {
        let source = MemoryFrameSource([.idle(nowNanoseconds: 5), .frame(timestampNanoseconds: 7, bytes: [1, 2, 3], originalLength: 60),
                                        .frame(timestampNanoseconds: 9, bytes: [4])])
        #expect(source.originNanoseconds == 7)
        guard case .idle(let now) = try source.nextEvent() else { Issue.record("expected an idle tick"); return }
        #expect(now == 5)
        let first = try #require(try source.next())
        #expect(first.number == 1 && first.timestampNanoseconds == 7 && Array(first.bytes) == [1, 2, 3])
        #expect(first.isTruncated && first.originalLength == 60)
        let second = try #require(try source.next())
        #expect(second.number == 2 && Array(second.bytes) == [4])
        #expect(try source.next() == nil)
        #expect(source.framesRead == 2)
    }
}
