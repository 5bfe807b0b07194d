import PeerscopeEndpoint
import PeerscopeProbe
import PeerscopeWire
import Testing

/// The verdict logic on synthetic records in virtual time: no sockets, no clock.
@Suite("Probe verdicts on recorded observations")
struct ProbeVerdictTests {
    static let ms: Int64 = 1_000_000
    static let ours: UInt32 = 0x1000_0001
    static let theirs: UInt32 = 0x2000_0002

    static func device(_ state: BFDState, diag: BFDDiagnostic = .none, yours: UInt32 = ours, flags: BFDFlags = [],
                       tx: Microseconds = 300_000, rx: Microseconds = 300_000, mult: UInt8 = 3) -> BFDControlPacket {
        BFDControlPacket(state: state, diagnostic: diag, flags: flags, detectMultiplier: mult, myDiscriminator: theirs,
                         yourDiscriminator: yours, desiredMinTxInterval: tx, requiredMinRxInterval: rx)
    }

    static func sent(_ time: Int64, injected: Bool = false, final: Bool = false) -> SentPacket {
        let packet = BFDControlPacket(state: .up, flags: final ? .final : [], myDiscriminator: ours, yourDiscriminator: theirs)
        return SentPacket(time: time, wallTime: time, bytes: packet.encoded, ttl: 255, injected: injected, localDiscriminator: ours)
    }

    /// Up packets every `gap` ms from `start` ms, `count` of them.
    static func upStream(_ record: inout ProbeRecord, from start: Int64, gaps: [Int64]) {
        var time = start * ms
        record.appendDevice(DevicePacket(time: time, packet: device(.up)))
        for gap in gaps {
            time += gap * ms
            record.appendDevice(DevicePacket(time: time, packet: device(.up)))
        }
    }

    @Test func handshakePassAndWrongDiscriminator() {
        var record = ProbeRecord()
        record.sentPackets.append(Self.sent(0))
        record.appendDevice(DevicePacket(time: 5 * Self.ms, packet: Self.device(.`init`)))
        record.appendDevice(DevicePacket(time: 9 * Self.ms, packet: Self.device(.up)))
        let pass = Evaluate.handshake(record, startedAt: 0)
        #expect(pass.verdict == .pass)
        #expect(pass.figure("time_to_up_ms") == ProbeFigure(9, "ms"))
        record.appendDevice(DevicePacket(time: 300 * Self.ms, packet: Self.device(.up, yours: 77)))
        #expect(Evaluate.handshake(record, startedAt: 0).verdict == .fail)
        #expect(Evaluate.handshake(ProbeRecord(), startedAt: 0).verdict == .fail)
    }

    @Test("a flood of undecodable packets from the peer's address: the device's state is its last decodable packet's, and one state change")
    func floodOfGarbageKeepsDeviceState() {
        var record = ProbeRecord()
        record.appendDevice(DevicePacket(time: 0, packet: Self.device(.up)))
        // 200,000 undecodable datagrams (what a hostile sender spoofing the peer's address gets
        // recorded): each append used to scan back over all of them to find the device's state.
        let garbage: [UInt8] = [0xFF, 0x00, 0x01]
        for index in 1...200_000 {
            record.appendDevice(DevicePacket(time: Int64(index) * 1_000, wallTime: Int64(index) * 1_000, bytes: garbage,
                                             packet: nil, ttl: 255, sourcePort: 49_152, destinationPort: 3_784))
        }
        #expect(record.deviceState == .up)
        record.appendDevice(DevicePacket(time: 300 * Self.ms, packet: Self.device(.down, diag: .controlDetectionTimeExpired)))
        #expect(record.deviceState == .down)
        #expect(record.stateChanges.map(\.to) == [.up, .down])
        #expect(record.devicePackets.count == 200_002)
    }

    @Test func slowStartGaps() {
        var record = ProbeRecord()
        Self.upStream(&record, from: 0, gaps: [300])
        for time: Int64 in [1_200, 2_100, 3_050] {
            record.appendDevice(DevicePacket(time: time * Self.ms, packet: Self.device(.down, diag: .controlDetectionTimeExpired, tx: 1_000_000)))
        }
        let pass = Evaluate.slowStart(record, from: 0, to: 4_000 * Self.ms)
        #expect(pass.verdict == .pass)
        #expect(pass.figure("min_gap_ms")?.value == 950)  // the first Down packet announces the change, out of turn
        record.appendDevice(DevicePacket(time: 3_400 * Self.ms, packet: Self.device(.down, tx: 1_000_000)))
        let fail = Evaluate.slowStart(record, from: 0, to: 4_000 * Self.ms)
        #expect(fail.verdict == .fail)
        #expect(fail.figure("min_gap_ms")?.value == 350)
        #expect(Evaluate.slowStart(ProbeRecord(), from: 0, to: 1).verdict == .inconclusive)
    }

    @Test func intervalsMedianAndMaximum() {
        var record = ProbeRecord()
        Self.upStream(&record, from: 0, gaps: Array(repeating: 270, count: 20))
        let step = Evaluate.IntervalStep(requiredMinRxMilliseconds: 300, negotiatedNanoseconds: 300 * Self.ms,
                                         from: 0, to: 10_000 * Self.ms)
        let pass = Evaluate.intervals(record, steps: [step])
        #expect(pass.verdict == .pass)
        #expect(pass.figure("gap_median_pct")?.value == 90)
        #expect(pass.figure("negotiated_tx_ms_rx300ms")?.value == 300)
        var slow = ProbeRecord()
        Self.upStream(&slow, from: 0, gaps: Array(repeating: 270, count: 19) + [400])
        let fail = Evaluate.intervals(slow, steps: [step])
        #expect(fail.verdict == .fail)
        #expect(fail.evidence.count >= 2)
        var fast = ProbeRecord()
        Self.upStream(&fast, from: 0, gaps: Array(repeating: 150, count: 20))
        #expect(Evaluate.intervals(fast, steps: [step]).verdict == .fail)
    }

    @Test func finalsAndStateChangesAreNotPeriodicGaps() {
        var record = ProbeRecord()
        Self.upStream(&record, from: 0, gaps: [300])
        record.appendDevice(DevicePacket(time: 310 * Self.ms, packet: Self.device(.up, flags: .final)))
        record.appendDevice(DevicePacket(time: 600 * Self.ms, packet: Self.device(.up)))
        #expect(Evaluate.periodicGaps(record, from: 0, to: .max).map(\.gap) == [300 * Self.ms, 300 * Self.ms])
    }

    @Test func detectionWindowAndDiag() {
        func record(downAfter: Int64, diag: BFDDiagnostic) -> ProbeRecord {
            var record = ProbeRecord()
            record.sentPackets.append(Self.sent(1_000 * Self.ms))
            Self.upStream(&record, from: 0, gaps: [280, 290, 300])
            record.appendDevice(DevicePacket(time: (1_000 + downAfter) * Self.ms, packet: Self.device(.down, diag: diag)))
            return record
        }
        let expected = 900 * Self.ms, interval = 300 * Self.ms
        let pass = Evaluate.detection(record(downAfter: 912, diag: .controlDetectionTimeExpired), silentAt: 1_001 * Self.ms,
                                      lastSentTime: 1_000 * Self.ms, expectedNanoseconds: expected, intervalNanoseconds: interval)
        #expect(pass.verdict == .pass)
        #expect(pass.reason.hasPrefix("measured 912 ms (expected 900 ms)"))
        #expect(pass.figure("diag")?.value == 1)
        #expect(Evaluate.detection(record(downAfter: 1_100, diag: .controlDetectionTimeExpired), silentAt: 1_001 * Self.ms,
                                   lastSentTime: 1_000 * Self.ms, expectedNanoseconds: expected,
                                   intervalNanoseconds: interval).verdict == .fail)
        #expect(Evaluate.detection(record(downAfter: 500, diag: .controlDetectionTimeExpired), silentAt: 1_001 * Self.ms,
                                   lastSentTime: 1_000 * Self.ms, expectedNanoseconds: expected,
                                   intervalNanoseconds: interval).verdict == .fail)
        #expect(Evaluate.detection(record(downAfter: 900, diag: .neighborSignaledSessionDown), silentAt: 1_001 * Self.ms,
                                   lastSentTime: 1_000 * Self.ms, expectedNanoseconds: expected,
                                   intervalNanoseconds: interval).verdict == .fail)
    }

    @Test func staysUpUnderInjection() {
        var record = ProbeRecord()
        Self.upStream(&record, from: 0, gaps: [300, 300, 300])
        record.sentPackets += [Self.sent(100 * Self.ms, injected: true), Self.sent(400 * Self.ms, injected: true)]
        let pass = Evaluate.staysUp(record, from: 50 * Self.ms, to: 1_000 * Self.ms, what: "malformed packet")
        #expect(pass.verdict == .pass)
        #expect(pass.figure("device_state_after")?.text == "Up")
        record.appendDevice(DevicePacket(time: 950 * Self.ms, packet: Self.device(.down, diag: .neighborSignaledSessionDown)))
        let fail = Evaluate.staysUp(record, from: 50 * Self.ms, to: 1_000 * Self.ms, what: "malformed packet")
        #expect(fail.verdict == .fail)
        #expect(fail.figure("device_state_after")?.text == "Down")
        #expect(Evaluate.staysUp(ProbeRecord(), from: 0, to: 1, what: "x").verdict == .inconclusive)
    }

    @Test func adminDownKeepsBGP() {
        var record = ProbeRecord()
        Self.upStream(&record, from: 0, gaps: [300])
        record.sentPackets.append(Self.sent(400 * Self.ms))
        record.appendDevice(DevicePacket(time: 401 * Self.ms, packet: Self.device(.down, diag: .neighborSignaledSessionDown)))
        let pass = Evaluate.adminDown(record, adminDownAt: 400 * Self.ms, until: 5_400 * Self.ms, bgpWatched: true)
        #expect(pass.verdict == .pass)
        #expect(pass.figure("bgp_kept")?.value == 1)
        record.bgp.append(BGPObservation(time: 450 * Self.ms, wallTime: 0, kind: .notificationReceived(code: 6, subcode: 10)))
        let fail = Evaluate.adminDown(record, adminDownAt: 400 * Self.ms, until: 5_400 * Self.ms, bgpWatched: true)
        #expect(fail.verdict == .fail)
        #expect(fail.figure("bgp_kept")?.value == 0)
    }

    @Test func bfdFailureTearsBGPDown() {
        func record(after: Int64, code: UInt8, subcode: UInt8) -> ProbeRecord {
            var record = ProbeRecord()
            Self.upStream(&record, from: 0, gaps: [300])
            record.appendDevice(DevicePacket(time: 1_200 * Self.ms, packet: Self.device(.down, diag: .controlDetectionTimeExpired)))
            record.bgp.append(BGPObservation(time: (1_200 + after) * Self.ms, wallTime: 0,
                                             kind: .notificationReceived(code: code, subcode: subcode)))
            return record
        }
        let pass = Evaluate.bfdFailureBGP(record(after: 3, code: 6, subcode: 10), silentAt: 301 * Self.ms, until: 4_000 * Self.ms)
        #expect(pass.verdict == .pass)
        #expect(pass.figure("failover_ms")?.value == 3)
        #expect(pass.figure("notification")?.value == 610)
        #expect(Evaluate.bfdFailureBGP(record(after: 1_500, code: 6, subcode: 10), silentAt: 301 * Self.ms,
                                       until: 4_000 * Self.ms).verdict == .fail)
        #expect(Evaluate.bfdFailureBGP(record(after: 3, code: 4, subcode: 0), silentAt: 301 * Self.ms,
                                       until: 4_000 * Self.ms).verdict == .fail)
    }

    @Test func pollSequences() {
        var record = ProbeRecord()
        Self.upStream(&record, from: 0, gaps: [290, 280])
        record.sentPackets.append(Self.sent(600 * Self.ms))
        record.appendDevice(DevicePacket(time: 601 * Self.ms, packet: Self.device(.up, flags: .final)))
        Self.upStream(&record, from: 1_100, gaps: [560, 590, 540])
        let pass = Evaluate.pollByTester(record, pollSentAt: 600 * Self.ms, oldIntervalNanoseconds: 300 * Self.ms,
                                         newIntervalNanoseconds: 600 * Self.ms, detectionNanoseconds: 900 * Self.ms,
                                         until: 3_000 * Self.ms)
        #expect(pass.verdict == .pass)
        #expect(pass.figure("final_latency_ms")?.value == 1)

        var device = ProbeRecord()
        device.appendDevice(DevicePacket(time: 0, packet: Self.device(.up, flags: .poll)))
        #expect(Evaluate.pollByDevice(device, since: 0, until: 2_000 * Self.ms).verdict == .fail)  // no Final from us
        device.sentPackets.append(Self.sent(1 * Self.ms, final: true))
        Self.upStream(&device, from: 300, gaps: [300])
        #expect(Evaluate.pollByDevice(device, since: 0, until: 2_000 * Self.ms).verdict == .pass)
        #expect(Evaluate.pollByDevice(ProbeRecord(), since: 0, until: 1).verdict == .inconclusive)
    }

    @Test func observationCases() {
        var record = ProbeRecord()
        record.sentPackets.append(Self.sent(0))
        Self.upStream(&record, from: 0, gaps: [300])
        #expect(Evaluate.ports(record, transport: .singleHop).verdict == .pass)
        #expect(Evaluate.ttl(record, singleHop: true).verdict == .pass)
        #expect(Evaluate.discriminators(record).verdict == .pass)
        record.appendDevice(DevicePacket(time: 700 * Self.ms, packet: Self.device(.up), ttl: 254, sourcePort: 3784))
        #expect(Evaluate.ports(record, transport: .singleHop).verdict == .fail)
        #expect(Evaluate.ttl(record, singleHop: true).verdict == .fail)
        #expect(Evaluate.ttl(record, singleHop: false).verdict == .pass)
        record.appendDevice(DevicePacket(time: 900 * Self.ms, packet: Self.device(.up, yours: 5)))
        #expect(Evaluate.discriminators(record).verdict == .fail)
    }

    @Test func authenticationArgument() {
        guard case .success(let key) = AuthenticationArgument.parse("meticulous-keyed-sha1:7:secret") else {
            Issue.record("should parse")
            return
        }
        #expect(key.type == .meticulousKeyedSHA1 && key.keyID == 7)
        #expect(!"\(key)".contains("secret <") || !"\(key)".contains("secret\""))
        #expect(!String(describing: key).contains("secret:"))
        for bad in ["sha1:1:x", "simple:x:pw", "simple:1:", "keyed-md5:1:" + String(repeating: "k", count: 17), "simple"] {
            guard case .failure(let error) = AuthenticationArgument.parse(bad) else {
                Issue.record("\(bad) should not parse")
                continue
            }
            #expect(!error.description.contains("kkkk"))
        }
    }

    @Test func reportRendering() {
        let result = ProbeReport.Case(id: "detect-mult3", title: "Detection time, multiplier 3", rfc: "RFC 5880 §6.8.4",
                                      verdict: .pass, reason: "measured 912 ms (expected 900 ms), diag 1",
                                      figures: ["detection_time_ms": ProbeFigure(912, "ms")], figureOrder: ["detection_time_ms"],
                                      evidenceFrames: [3, 9], durationMilliseconds: 1_500)
        #expect(ProbeReportRenderer.progressLine(result)
                == "PASS          detect-mult3                Detection time, multiplier 3: measured 912 ms (expected 900 ms), diag 1")
        let report = ProbeReport(suite: "bfd-core", peer: "192.0.2.2", local: "192.0.2.1", transport: "single-hop",
                                 authentication: nil, bgp: nil, interrupted: false, durationMilliseconds: 1_500,
                                 summary: .init(pass: 1, fail: 0, inconclusive: 0), cases: [result], capture: nil,
                                 captureFrames: 10, findings: [], error: nil)
        let xml = ProbeReportRenderer.junit(report)
        #expect(xml.contains("<testcase classname=\"peerscope.probe.bfd-core\" name=\"detect-mult3: Detection time, multiplier 3\" time=\"1.500\">"))
        #expect(ProbeReportRenderer.table(report)[1].hasPrefix("detect-mult3  PASS     detection_time_ms=912 ms"))
    }
}
