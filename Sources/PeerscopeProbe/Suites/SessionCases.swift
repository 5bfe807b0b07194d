import PeerscopeEndpoint
import PeerscopeWire

/// handshake — RFC 5880 §6.2, §6.8.6.
public struct HandshakeCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "handshake", title: "Three-way handshake and time to Up", rfc: "RFC 5880 §6.2, §6.8.6",
        purpose: "The device brings a session Up with the tester (Down → Init → Up).",
        steps: ["Tester starts active, sends Down", "Wait for the device to reach Up (≤ 10 s)"],
        passCriteria: "The device reaches Up; its packets carry our discriminator as Your Discriminator.",
        figures: ["time_to_up_ms"])
    public let budgetSeconds = 14.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        // The runner started the session to hear the peer; a later run of this case starts anew.
        if context.driver.endpoint.counters.upTransitions > 0 || context.record.stateChanges.contains(where: { $0.side == .tester && $0.to == .up }) {
            try context.driver.startSession()
        }
        let started = context.driver.sessionStartedAt
        try context.wait(10, until: { context.isUp })
        return Evaluate.handshake(context.record, startedAt: started)
    }
}

/// slow-start — RFC 5880 §6.8.3.
public struct SlowStartCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "slow-start", title: "Slow start while not Up", rfc: "RFC 5880 §6.8.3",
        purpose: "Before Up the device transmits no faster than once per second.",
        steps: ["Tester stays passive and silent towards the device's Down packets for 3 s",
                "Measure the gaps between the device's packets while it is not Up"],
        passCriteria: "Every gap ≥ 750 ms (1 s with at most 25% jitter) and Desired Min TX ≥ 1 s in its packets.",
        figures: ["min_gap_ms", "desired_min_tx_us"])
    public let budgetSeconds = 20.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        try context.ensureUp()
        // Silent and deaf: the device times us out, then sends Down packets nobody answers.
        context.driver.muted = true
        context.driver.deaf = true
        let silentAt = context.now
        guard try context.wait(10, until: { context.record.deviceState.map { $0 != .up } ?? false }) else {
            return .inconclusive("the device stayed Up for 10 s after we went silent")
        }
        let from = context.now
        try context.wait(3.5)
        _ = silentAt
        return Evaluate.slowStart(context.record, from: from, to: context.now)
    }
}

/// intervals — RFC 5880 §6.8.2, §6.8.7.
public struct IntervalsCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "intervals", title: "Interval negotiation", rfc: "RFC 5880 §6.8.2, §6.8.7",
        purpose: "The device transmits at max(its Desired Min TX, our Required Min RX) with 75–100% jitter, for several Required Min RX values.",
        steps: ["For Required Min RX of 300 ms, 500 ms and 1 s: Poll, wait for Final, measure 20 gaps"],
        passCriteria: "Median gap within 75–100% of the negotiated interval and no gap above 100% + tolerance for each value.",
        figures: ["negotiated_tx_ms", "gap_p5_pct", "gap_median_pct", "gap_max_pct"])
    public let budgetSeconds = 60.0
    public static let requiredMinRxMilliseconds = [300, 500, 1000]
    public static let gapsPerValue = 20

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        try context.ensureUp()
        var steps: [Evaluate.IntervalStep] = []
        for milliseconds in Self.requiredMinRxMilliseconds {
            try context.driver.setTimers(desiredMinTxInterval: context.target.desiredMinTxInterval,
                                         requiredMinRxInterval: Microseconds(milliseconds * 1000))
            guard try context.wait(5, until: { !context.driver.endpoint.isPollSequenceActive }) else {
                return .inconclusive("no Final to our Poll for Required Min RX \(milliseconds) ms")
            }
            // The packet after the Final may still follow the old schedule; start one interval later.
            let settle = context.now
            try context.wait(Double(milliseconds) / 1000)
            guard let device = context.deviceLast, device.state == .up else {
                throw PreconditionFailed("the session went Down during the interval measurement")
            }
            let negotiated = Int64(BFDTimingModel.transmitInterval(desiredMinTx: device.desiredMinTxInterval,
                                                                   remoteMinRx: Microseconds(milliseconds * 1000))) * 1000
            let from = context.now
            let wanted = Self.gapsPerValue + 1
            try context.wait(Double(negotiated) * Double(wanted) / 1e9 + 1, until: {
                Evaluate.periodicGaps(context.record, from: from, to: .max, states: [.up]).count >= wanted - 1
            })
            _ = settle
            steps.append(Evaluate.IntervalStep(requiredMinRxMilliseconds: milliseconds, negotiatedNanoseconds: negotiated,
                                               from: from, to: context.now))
        }
        try context.driver.setTimers(desiredMinTxInterval: context.target.desiredMinTxInterval,
                                     requiredMinRxInterval: context.target.requiredMinRxInterval)
        try context.wait(3, until: { !context.driver.endpoint.isPollSequenceActive })
        return Evaluate.intervals(context.record, steps: steps, gapsWanted: Self.gapsPerValue)
    }
}

/// detect-mult3 / detect-mult5 — RFC 5880 §6.8.4.
public struct DetectionCase: ProbeCase {
    public let multiplier: UInt8
    public let info: ProbeCaseInfo
    public let budgetSeconds = 20.0

    public init(multiplier: UInt8) {
        self.multiplier = multiplier
        info = multiplier == 3
            ? ProbeCaseInfo(
                id: "detect-mult3", title: "Detection time, multiplier 3", rfc: "RFC 5880 §6.8.4",
                purpose: "The tester goes silent; the device declares Down with diag 1 after Detect Mult × agreed interval.",
                steps: ["Session Up with tester mult 3", "Tester stops sending",
                        "Measure from the tester's last packet to the device's Down"],
                passCriteria: "Down with diag 1 within [detection time − one interval, detection time + 10% + tolerance].",
                figures: ["detection_time_ms", "expected_ms", "diag"])
            : ProbeCaseInfo(
                id: "detect-mult\(multiplier)", title: "Detection time, multiplier \(multiplier)", rfc: "RFC 5880 §6.8.4",
                purpose: "As detect-mult3 with Detect Mult \(multiplier).",
                steps: ["Session Up with tester mult \(multiplier)", "Tester stops sending", "Measure"],
                passCriteria: "As detect-mult3.", figures: ["detection_time_ms", "expected_ms", "diag"])
    }

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        try context.ensureUp(detectMultiplier: multiplier)
        // Just after one of our periodic packets, so "our last packet" is a fresh one.
        let sentBefore = context.record.sentPackets.endIndex
        try context.wait(2, until: { context.record.sentPackets.endIndex > sentBefore })
        guard let device = context.deviceLast, let lastSent = context.record.sentPackets.last else {
            throw PreconditionFailed("no packets exchanged")
        }
        // §6.8.4 at the device: we are its remote system.
        let ourDesired = context.driver.endpoint.variables.desiredMinTxInterval
        let interval = Int64(BFDTimingModel.transmitInterval(desiredMinTx: ourDesired,
                                                             remoteMinRx: device.requiredMinRxInterval)) * 1000
        let expected = BFDTimingModel.detectionTimeNanoseconds(remoteDetectMult: multiplier,
                                                               localRequiredMinRx: device.requiredMinRxInterval,
                                                               remoteDesiredMinTx: ourDesired)
        context.driver.muted = true
        let silentAt = context.now
        try context.wait(Double(expected) * 2 / 1e9 + 2, until: {
            context.record.deviceIndices(from: silentAt).contains {
                context.record.devicePackets[$0].state.map { $0 != .up } ?? false
            }
        })
        // Stay muted: the next case's ensureUp starts a new session with a new discriminator.
        return Evaluate.detection(context.record, silentAt: silentAt, lastSentTime: lastSent.time,
                                  expectedNanoseconds: expected, intervalNanoseconds: interval)
    }
}

/// poll-by-tester — RFC 5880 §6.5, §6.8.3.
public struct PollByTesterCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "poll-by-tester", title: "Poll sequence started by the tester", rfc: "RFC 5880 §6.5, §6.8.3",
        purpose: "The device answers a Poll with a Final and uses new timers only after it.",
        steps: ["Tester raises Required Min RX while Up and sends Poll", "Wait for the Final"],
        passCriteria: "A Final arrives within one detection time; the device's rate changes only after the Final.",
        figures: ["final_latency_ms"])
    public let budgetSeconds = 20.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        try context.ensureUp()
        guard let device = context.deviceLast else { throw PreconditionFailed("no packet from the device") }
        let ourRx = context.target.requiredMinRxInterval
        let raised = max(ourRx * 2, 600_000)
        let old = Int64(BFDTimingModel.transmitInterval(desiredMinTx: device.desiredMinTxInterval, remoteMinRx: ourRx)) * 1000
        let new = Int64(BFDTimingModel.transmitInterval(desiredMinTx: device.desiredMinTxInterval, remoteMinRx: raised)) * 1000
        // Our own Detection Time for the device's packets (§6.8.4, we are the local system).
        let detection = BFDTimingModel.detectionTimeNanoseconds(remoteDetectMult: device.detectMultiplier,
                                                                localRequiredMinRx: ourRx,
                                                                remoteDesiredMinTx: device.desiredMinTxInterval)
        let pollAt = context.now
        try context.driver.setTimers(desiredMinTxInterval: context.target.desiredMinTxInterval, requiredMinRxInterval: raised)
        try context.wait(Double(detection) / 1e9 + 0.5, until: { !context.driver.endpoint.isPollSequenceActive })
        try context.wait(Double(new) * 5 / 1e9)
        let until = context.now
        try context.driver.setTimers(desiredMinTxInterval: context.target.desiredMinTxInterval, requiredMinRxInterval: ourRx)
        try context.wait(3, until: { !context.driver.endpoint.isPollSequenceActive })
        return Evaluate.pollByTester(context.record, pollSentAt: pollAt, oldIntervalNanoseconds: old,
                                     newIntervalNanoseconds: new, detectionNanoseconds: detection, until: until)
    }
}

/// poll-by-device — RFC 5880 §6.5.
public struct PollByDeviceCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "poll-by-device", title: "Poll sequence started by the device", rfc: "RFC 5880 §6.5",
        purpose: "When the device changes its timers it polls and the session survives our Final.",
        steps: ["Trigger a timer change on the device where the lab can (vtysh), else observe its first Poll after Up"],
        passCriteria: "The device's Poll gets our Final and the session stays Up.",
        figures: ["poll_seen"])
    public let budgetSeconds = 16.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        // A device leaving slow start (1 s) for faster timers polls right after Up (§6.8.3): the
        // run so far usually holds one; otherwise bring up a new session and watch.
        let earlier = Evaluate.pollByDevice(context.record, since: 0, until: context.now)
        if earlier.verdict == .pass { return earlier }
        let since = context.now
        try context.driver.startSession()
        try context.wait(12, until: {
            context.record.deviceIndices(from: since).contains {
                (context.record.devicePackets[$0].packet?.poll ?? false) && context.record.devicePackets[$0].state == .up
            }
        })
        try context.wait(1.2)
        return Evaluate.pollByDevice(context.record, since: since, until: context.now)
    }
}
