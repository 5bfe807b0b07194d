import PeerscopeWire

/// One BFD session (RFC 5880 §6.8) as a value: feed it datagrams, timer wakeups and operator
/// commands with the current time; perform the actions it returns; wake it again at
/// `nextDeadline`. It reads no clock, opens no socket and draws jitter only from the generator it
/// is given, so the same machine drives `peerscope probe` and runs in virtual time in tests.
public struct BFDEndpoint: Sendable {
    private enum State: Sendable {
        case notStarted
        case adminDown
        case down
        case initialized
        case up(Up)
    }

    /// What only an Up session has: Poll Sequences run while Up (§6.8.3 ties them to timer changes
    /// of an Up session) and the echo function may only run while Up (§6.8.9).
    private struct Up: Sendable {
        var poll: BFDPollSequence?
        var pollHold: BFDPollHold?
        var echo: BFDEchoFunction?
    }

    private enum Deadline { case detection, echoDetection, pollHold, transmit, echoTransmit }

    /// How a Poll that starts now reaches the wire.
    private enum PollDelivery {
        /// On the next scheduled periodic packet (§6.5); at once only if nothing periodic flows.
        case riding
        /// At once: the packet's contents changed, which §6.8.7 sends between periodic slots.
        case atOnce
    }

    public let configuration: BFDEndpointConfiguration
    public private(set) var counters = BFDCounters()
    /// TTL / Hop Limit for every packet; the tester lowers it to probe the peer's RFC 5881 §5 check.
    public var transmitTTL: UInt8 = 255

    private var state: State = .notStarted
    private var jitter: BFDJitterSource
    private var authenticator: BFDAuthenticator?
    // §6.8.1 variables that are not the state or the configuration.
    private var remoteSessionState: BFDState = .down
    private var remoteDiscr: UInt32 = 0
    private var localDiag: BFDDiagnostic = .none
    private var configuredDesiredMinTx: Microseconds
    private var requiredMinRx: Microseconds
    private var remoteMinRx: Microseconds = 1
    private var remoteDemandMode = false
    // Last heard from the peer, for §6.8.4 and the echo rate.
    private var remoteDesiredMinTx: Microseconds = 0
    private var remoteDetectMult: UInt8 = 0
    private var remoteMinEchoRx: Microseconds = 0
    /// §6.8.3: raising Desired Min TX while Up changes the rate only once the Final arrives.
    private var transmitDesiredMinTx: Microseconds
    /// §6.8.3: lowering Required Min RX while Up shortens the Detection Time only once the Final arrives.
    private var detectionRequiredMinRx: Microseconds
    private var lastReceived: BFDNanoseconds?
    private var lastTransmit: BFDNanoseconds?
    private var detectionDeadline: BFDNanoseconds?
    private var nextTransmit: BFDNanoseconds?
    private var authSequenceExpiry: BFDNanoseconds?

    public init(configuration: BFDEndpointConfiguration,
                randomNumberGenerator: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        var random = BFDJitterSource(randomNumberGenerator)
        if let key = configuration.authentication {
            // §6.8.1: bfd.XmitAuthSeq starts at a random 32-bit value unless the caller chose one;
            // drawn from the injected generator so a seeded run repeats.
            let randomStart = key.startingSequenceNumber == nil ? UInt32.random(in: .min ... .max, using: &random) : 0
            authenticator = BFDAuthenticator(key: key, randomStart: randomStart)
        }
        jitter = random
        configuredDesiredMinTx = configuration.desiredMinTxInterval
        requiredMinRx = configuration.requiredMinRxInterval
        transmitDesiredMinTx = max(configuration.desiredMinTxInterval, slowStartInterval)
        detectionRequiredMinRx = configuration.requiredMinRxInterval
    }

    // MARK: Reading the session

    /// bfd.SessionState; Down before `start`.
    public var sessionState: BFDState {
        switch state {
        case .notStarted, .down: .down
        case .adminDown: .adminDown
        case .initialized: .`init`
        case .up: .up
        }
    }

    public var isStarted: Bool {
        if case .notStarted = state { return false }
        return true
    }

    public var variables: BFDSessionVariables {
        BFDSessionVariables(
            sessionState: sessionState, remoteSessionState: remoteSessionState,
            localDiscr: configuration.localDiscriminator, remoteDiscr: remoteDiscr, localDiag: localDiag,
            desiredMinTxInterval: advertisedDesiredMinTx, requiredMinRxInterval: requiredMinRx,
            remoteMinRxInterval: remoteMinRx, demandMode: configuration.demandMode,
            remoteDemandMode: remoteDemandMode, detectMult: configuration.detectMultiplier,
            authType: authenticator?.key.type, rcvAuthSeq: authenticator?.rcvAuthSeq ?? 0,
            xmitAuthSeq: authenticator?.xmitAuthSeq ?? 0, authSeqKnown: authenticator?.authSeqKnown ?? false,
            remoteDesiredMinTxInterval: remoteDesiredMinTx, remoteDetectMult: remoteDetectMult,
            remoteMinEchoRxInterval: remoteMinEchoRx)
    }

    /// §6.8.7: the interval periodic packets are sent at before jitter.
    public var negotiatedTransmitInterval: Microseconds { max(transmitDesiredMinTx, remoteMinRx) }

    /// §6.8.4, asynchronous mode: the peer's Detect Mult × max(Required Min RX, the peer's Desired
    /// Min TX). nil before the peer is heard, or while we asked for no packets (Required Min RX 0).
    public var detectionTime: BFDNanoseconds? {
        guard remoteDetectMult > 0, detectionRequiredMinRx > 0 else { return nil }
        return BFDNanoseconds(remoteDetectMult) * max(detectionRequiredMinRx, remoteDesiredMinTx).nanoseconds
    }

    public var isPollSequenceActive: Bool {
        if case .up(let up) = state { return up.poll != nil }
        return false
    }

    /// A Poll was asked for (timer change, D change or `poll(now:)`) but waits for the previous
    /// one to be disambiguated (§6.8.3): a packet with F clear from the peer, or a round trip.
    public var isPollSequenceQueued: Bool {
        if case .up(let up) = state { return up.pollHold?.queued ?? false }
        return false
    }

    public var isEchoActive: Bool {
        if case .up(let up) = state { return up.echo != nil }
        return false
    }

    /// When the driver must call `advance(to:)` next; nil when nothing is pending.
    public var nextDeadline: BFDNanoseconds? { dueDeadline?.at }

    // MARK: Inputs

    /// Leaves the initial Down: an active endpoint sends its first packet at once (§6.1).
    public mutating func start(now: BFDNanoseconds) -> [BFDEndpointAction] {
        guard case .notStarted = state else { return [] }
        state = .down
        var actions: [BFDEndpointAction] = []
        if !transmit(.periodic, now: now, into: &actions) { scheduleTransmit(from: now) }
        return actions
    }

    public mutating func receive(payload: [UInt8], ttl: UInt8, now: BFDNanoseconds) -> [BFDEndpointAction] {
        payload.withUnsafeBytes { receive(payload: $0, ttl: ttl, now: now) }
    }

    /// §6.8.6 for one UDP payload with the TTL / Hop Limit it arrived with.
    public mutating func receive(payload: UnsafeRawBufferPointer, ttl: UInt8,
                                 now: BFDNanoseconds) -> [BFDEndpointAction] {
        counters.controlReceived += 1
        var actions: [BFDEndpointAction] = []
        if case .notStarted = state { return discard(.sessionNotStarted) }
        if let expiry = authSequenceExpiry, now >= expiry {
            authenticator?.forgetReceiveSequence()
            authSequenceExpiry = nil
        }
        let packet: BFDControlPacket
        switch BFDReceptionChecks.check(payload, ttl: ttl, hopMode: configuration.hopMode,
                                        localDiscriminator: configuration.localDiscriminator,
                                        authenticator: authenticator) {
        case .failure(let reason): return discard(reason)
        case .success(let checked): packet = checked
        }
        authenticator?.accept(packet)
        let periodicAllowedBefore = periodicTransmissionAllowed
        let demandBefore = localDemandActive
        let intervalBefore = negotiatedTransmitInterval
        let sentBefore = counters.controlSent
        remoteDiscr = packet.myDiscriminator
        remoteSessionState = packet.state
        remoteDemandMode = packet.flags.contains(.demand)
        remoteMinRx = packet.requiredMinRxInterval
        remoteDesiredMinTx = packet.desiredMinTxInterval
        remoteDetectMult = packet.detectMultiplier
        remoteMinEchoRx = packet.requiredMinEchoRxInterval
        if packet.final { completePollSequence(now: now, into: &actions) }
        lastReceived = now
        if authenticator != nil, let time = detectionTime { authSequenceExpiry = now + 2 * time }
        if case .adminDown = state {
            actions.append(contentsOf: discard(.sessionAdminDown))
            return actions
        }
        counters.controlAccepted += 1
        let local = sessionState
        if packet.state == .adminDown {
            if local != .down { changeState(to: .down, diagnostic: .neighborSignaledSessionDown, now: now, into: &actions) }
        } else {
            switch (local, packet.state) {
            case (.down, .down): changeState(to: .`init`, diagnostic: nil, now: now, into: &actions)
            case (.down, .`init`), (.`init`, .`init`), (.`init`, .up):
                changeState(to: .up, diagnostic: BFDDiagnostic.none, now: now, into: &actions)
            case (.up, .down): changeState(to: .down, diagnostic: .neighborSignaledSessionDown, now: now, into: &actions)
            default: break
            }
        }
        updateDetectionDeadline()
        if case .up = state, localDemandActive != demandBefore, !isPollSequenceActive {
            // §6.6: the D bit we send changed (the peer came Up or left Up while we stay Up); the
            // change goes out at once, as a Poll. A Poll already running carries it and is
            // repeated after its Final.
            requestPoll(.atOnce, now: now, into: &actions)
        }
        // §6.8.3: a packet with F clear after a Final disambiguates; a waiting Poll may start.
        if !packet.final { releasePollHold(now: now, into: &actions) }
        if counters.controlSent == sentBefore && !periodicAllowedBefore && periodicTransmissionAllowed {
            // The peer left Demand mode or lifted Required Min RX 0: periodic packets restart now.
            transmit(.resumed, now: now, into: &actions)
        } else if negotiatedTransmitInterval != intervalBefore {
            rescheduleTransmit(now: now)
        }
        // §6.8.7: a Poll is answered at once, whatever the timer, state or Demand mode say.
        if packet.poll { transmit(.final, now: now, into: &actions) }
        refreshEcho(now: now, into: &actions)
        return actions
    }

    /// An echo packet came back (§6.4). Only our own, while the echo function runs, counts.
    public mutating func receiveEcho(payload: [UInt8], now: BFDNanoseconds) -> [BFDEndpointAction] {
        guard case .up(var up) = state, var echo = up.echo else { return discard(.echoNotActive) }
        guard BFDEchoFunction.isOurs(payload, localDiscriminator: configuration.localDiscriminator) else {
            return discard(.echoForeign)
        }
        echo.deadline = now + BFDNanoseconds(configuration.detectMultiplier) * echo.interval
        up.echo = echo
        state = .up(up)
        counters.echoReturned += 1
        return []
    }

    /// Runs every timer due at or before `now`, earliest first.
    public mutating func advance(to now: BFDNanoseconds) -> [BFDEndpointAction] {
        var actions: [BFDEndpointAction] = []
        while let due = dueDeadline, due.at <= now {
            switch due.kind {
            case .detection: detectionTimeExpired(now: now, into: &actions)
            case .echoDetection: changeState(to: .down, diagnostic: .echoFunctionFailed, now: now, into: &actions)
            case .pollHold: releasePollHold(now: now, into: &actions)
            case .transmit:
                if !transmit(.periodic, now: now, into: &actions) { scheduleTransmit(from: now) }
            case .echoTransmit: sendEcho(now: now, into: &actions)
            }
        }
        return actions
    }

    /// Changes bfd.DesiredMinTxInterval and bfd.RequiredMinRxInterval (§6.8.3). While Up this
    /// starts a Poll Sequence; a slower transmit rate and a shorter Detection Time wait for its Final.
    public mutating func setTimers(desiredMinTxInterval: Microseconds, requiredMinRxInterval: Microseconds,
                                   now: BFDNanoseconds) throws(BFDConfigurationError) -> [BFDEndpointAction] {
        guard desiredMinTxInterval != 0 else { throw .desiredMinTxIntervalZero }
        let advertisedBefore = advertisedDesiredMinTx
        let requiredBefore = requiredMinRx
        let intervalBefore = negotiatedTransmitInterval
        configuredDesiredMinTx = desiredMinTxInterval
        requiredMinRx = requiredMinRxInterval
        var actions: [BFDEndpointAction] = []
        if case .up = state {
            // Faster sending and a longer Detection Time are safe at once; the rest waits.
            transmitDesiredMinTx = min(transmitDesiredMinTx, configuredDesiredMinTx)
            detectionRequiredMinRx = max(detectionRequiredMinRx, requiredMinRx)
            if (advertisedDesiredMinTx != advertisedBefore || requiredMinRx != requiredBefore) && !isPollSequenceActive {
                requestPoll(.atOnce, now: now, into: &actions)
            }
        } else {
            transmitDesiredMinTx = advertisedDesiredMinTx
            detectionRequiredMinRx = requiredMinRx
        }
        if negotiatedTransmitInterval != intervalBefore && actions.isEmpty { rescheduleTransmit(now: now) }
        updateDetectionDeadline()
        return actions
    }

    /// Starts a Poll Sequence without changing anything, as a Demand mode system does to check the
    /// peer is still there (§6.6). Only while Up; nothing happens if one is running. While periodic
    /// packets flow, P rides on the next scheduled one and no extra packet is sent (§6.5); when
    /// none flow (the peer is in Demand mode) the first Poll packet goes out at once. Right after
    /// another Poll's Final it waits for §6.8.3's hold (`isPollSequenceQueued`).
    public mutating func poll(now: BFDNanoseconds) -> [BFDEndpointAction] {
        guard case .up = state, !isPollSequenceActive else { return [] }
        var actions: [BFDEndpointAction] = []
        requestPoll(.riding, now: now, into: &actions)
        return actions
    }

    /// §6.8.16: AdminDown with diag 7, announced at once and in every periodic packet after.
    public mutating func adminDown(now: BFDNanoseconds) -> [BFDEndpointAction] {
        guard isStarted, sessionState != .adminDown else { return [] }
        var actions: [BFDEndpointAction] = []
        changeState(to: .adminDown, diagnostic: .administrativelyDown, now: now, into: &actions)
        return actions
    }

    /// §6.8.16: back to Down; the diag keeps saying why the session was down.
    public mutating func adminUp(now: BFDNanoseconds) -> [BFDEndpointAction] {
        guard case .adminDown = state else { return [] }
        var actions: [BFDEndpointAction] = []
        changeState(to: .down, diagnostic: nil, now: now, into: &actions)
        return actions
    }

    // MARK: Tester hooks

    /// The packet the next periodic transmission would carry, authenticated with the next sequence
    /// number. A probe mutates it and sends it through `seal(_:)`.
    public func packetTemplate() -> BFDControlPacket {
        let packet = buildPacket(final: false)
        return authenticator?.sealed(packet) ?? packet
    }

    /// Recomputes the digest of a (possibly mutated) packet with the session's key and accounts its
    /// sequence number, so later packets stay in order. Fields are otherwise sent as given.
    public mutating func seal(_ packet: BFDControlPacket) -> BFDTransmission {
        let sealed = authenticator?.sealed(packet) ?? packet
        authenticator?.didSend(sealed)
        counters.controlSent += 1
        return BFDTransmission(packet: sealed, bytes: sealed.encoded, ttl: transmitTTL, cause: .injected)
    }
}

// MARK: The machine's moving parts (here because they switch over the private State)

extension BFDEndpoint {
    /// bfd.DesiredMinTxInterval as advertised: at least 1 s until the session is Up (§6.8.3).
    private var advertisedDesiredMinTx: Microseconds {
        if case .up = state { return configuredDesiredMinTx }
        return max(configuredDesiredMinTx, slowStartInterval)
    }

    /// §6.8.7 / §6.8.6: Demand mode is active on the local system (it set D and the peer stopped
    /// its periodic packets) and on the remote one (we stop ours).
    private var localDemandActive: Bool {
        configuration.demandMode && sessionState == .up && remoteSessionState == .up
    }

    private var remoteDemandActive: Bool {
        remoteDemandMode && sessionState == .up && remoteSessionState == .up
    }

    /// §6.8.7: a passive system is silent until it knows the peer's discriminator, a peer asking
    /// for Required Min RX 0 gets no periodic packets, and Demand mode on the peer stops them
    /// except while a Poll Sequence runs.
    private var periodicTransmissionAllowed: Bool {
        guard isStarted else { return false }
        if configuration.role == .passive && remoteDiscr == 0 { return false }
        if remoteMinRx == 0 { return false }
        return !remoteDemandActive || isPollSequenceActive
    }

    private var dueDeadline: (kind: Deadline, at: BFDNanoseconds)? {
        // Earliest first; on a tie the order detection, echo detection, poll hold, transmit, echo
        // transmit, so a session declared down says so in the packet that was due at the same
        // instant, and a Poll released now rides on that packet. No array: a pool asks this
        // several times per packet for thousands of sessions.
        var echo: BFDEchoFunction?
        var pollHold: BFDNanoseconds?
        if case .up(let up) = state {
            echo = up.echo
            if let hold = up.pollHold, hold.queued { pollHold = hold.until }
        }
        var best: (kind: Deadline, at: BFDNanoseconds)?
        if let at = detectionDeadline { best = (.detection, at) }
        if let at = echo?.deadline, best == nil || at < best!.at { best = (.echoDetection, at) }
        if let at = pollHold, best == nil || at < best!.at { best = (.pollHold, at) }
        if let at = nextTransmit, best == nil || at < best!.at { best = (.transmit, at) }
        if let at = echo?.nextTransmit, best == nil || at < best!.at { best = (.echoTransmit, at) }
        return best
    }

    private func buildPacket(final: Bool) -> BFDControlPacket {
        var flags: BFDFlags = []
        // §6.5: never P and F together; a Final goes out without P even mid-Poll.
        if final { flags.insert(.final) } else if isPollSequenceActive { flags.insert(.poll) }
        if configuration.controlPlaneIndependent { flags.insert(.controlPlaneIndependent) }
        if localDemandActive { flags.insert(.demand) }
        return BFDControlPacket(
            state: sessionState, diagnostic: localDiag, flags: flags,
            detectMultiplier: configuration.detectMultiplier, myDiscriminator: configuration.localDiscriminator,
            yourDiscriminator: remoteDiscr, desiredMinTxInterval: advertisedDesiredMinTx,
            requiredMinRxInterval: requiredMinRx,
            requiredMinEchoRxInterval: configuration.requiredMinEchoRxInterval,
            authentication: authenticator?.nextSection)
    }

    /// Sends a packet if §6.8.7 allows it; any packet but a Final restarts the periodic timer.
    @discardableResult
    private mutating func transmit(_ cause: BFDTransmission.Cause, now: BFDNanoseconds,
                                   into actions: inout [BFDEndpointAction]) -> Bool {
        guard cause == .final || periodicTransmissionAllowed else { return false }
        var packet = buildPacket(final: cause == .final)
        if let authenticator {
            packet = authenticator.sealed(packet)
            self.authenticator?.didSend(packet)
        }
        actions.append(.send(BFDTransmission(packet: packet, bytes: packet.encoded, ttl: transmitTTL, cause: cause)))
        counters.controlSent += 1
        if packet.poll, case .up(var up) = state, var poll = up.poll {
            if poll.firstSentAt == nil {
                poll.firstSentAt = now
                up.poll = poll
                state = .up(up)
                updateDetectionDeadline()
            }
        }
        if cause == .final {
            counters.finalsSent += 1
        } else {
            lastTransmit = now
            scheduleTransmit(from: now)
        }
        return true
    }

    private mutating func scheduleTransmit(from now: BFDNanoseconds) {
        nextTransmit = now + jitter.jittered(negotiatedTransmitInterval.nanoseconds,
                                             detectMultiplier: configuration.detectMultiplier)
    }

    /// The negotiated interval changed: count the next gap from the last packet with the new value.
    private mutating func rescheduleTransmit(now: BFDNanoseconds) {
        scheduleTransmit(from: lastTransmit ?? now)
        if let next = nextTransmit, next < now { nextTransmit = now }
    }

    private mutating func changeState(to new: BFDState, diagnostic: BFDDiagnostic?, now: BFDNanoseconds,
                                      into actions: inout [BFDEndpointAction]) {
        let old = sessionState
        guard old != new else { return }
        if let diagnostic { localDiag = diagnostic }
        switch new {
        case .adminDown: state = .adminDown
        case .down: state = .down
        case .`init`: state = .initialized
        case .up: state = .up(Up())
        }
        if old == .up { counters.downTransitions += 1 }
        actions.append(.stateChanged(from: old, to: new, diagnostic: localDiag))
        detectionRequiredMinRx = requiredMinRx
        transmitDesiredMinTx = advertisedDesiredMinTx
        if new == .up {
            counters.upTransitions += 1
            // §6.8.3: leaving slow start changes the advertised Desired Min TX, which needs a Poll;
            // §6.6: so does setting D, when the peer is Up already. The state change packet below
            // is the first to carry P.
            if configuredDesiredMinTx < slowStartInterval || localDemandActive {
                startPollSequence(now: now, into: &actions)
            }
        }
        // §6.8.7: a state change goes out at once rather than at the next periodic slot.
        transmit(.stateChange, now: now, into: &actions)
        updateDetectionDeadline()
    }

    /// Starts a Poll Sequence, or queues it while §6.8.3's hold after the previous one lasts.
    private mutating func requestPoll(_ delivery: PollDelivery, now: BFDNanoseconds,
                                      into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, up.poll == nil else { return }
        if let hold = up.pollHold {
            if now < hold.until {
                up.pollHold?.queued = true
                state = .up(up)
                return
            }
            up.pollHold = nil
            state = .up(up)
        }
        // §6.5: with periodic packets flowing, P goes on the scheduled ones; with none flowing
        // (the peer in Demand mode), the Poll needs packets of its own.
        let periodicFlowing = periodicTransmissionAllowed
        startPollSequence(now: now, into: &actions)
        if delivery == .atOnce || !periodicFlowing { transmit(.pollStart, now: now, into: &actions) }
    }

    /// Ends §6.8.3's hold (a packet with F clear arrived, or the round trip passed) and starts the
    /// Poll that waited for it, on the next periodic packet: its values already went out.
    private mutating func releasePollHold(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, let hold = up.pollHold else { return }
        up.pollHold = nil
        state = .up(up)
        if hold.queued { requestPoll(.riding, now: now, into: &actions) }
    }

    private mutating func startPollSequence(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, up.poll == nil else { return }
        up.poll = BFDPollSequence(announcedDesiredMinTx: configuredDesiredMinTx,
                                  announcedRequiredMinRx: requiredMinRx, announcedDemand: localDemandActive)
        state = .up(up)
        counters.pollSequencesStarted += 1
        actions.append(.pollSequenceStarted)
        updateDetectionDeadline()
    }

    private mutating func completePollSequence(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        // A Final before our first P packet answers no Poll of this sequence (a late one of the
        // previous sequence, or a peer's mistake).
        guard case .up(var up) = state, let poll = up.poll, let firstSentAt = poll.firstSentAt else {
            counters.finalsWithoutPoll += 1
            return
        }
        up.poll = nil
        // §6.8.3: the answered Poll left at firstSentAt at the earliest, so no round trip is
        // longer than now − firstSentAt; a late Final to the last Poll is in by now + that.
        up.pollHold = BFDPollHold(until: now + (now - firstSentAt))
        state = .up(up)
        // The peer has seen the announced values: the held rate and Detection Time may follow them.
        transmitDesiredMinTx = min(poll.announcedDesiredMinTx, configuredDesiredMinTx)
        detectionRequiredMinRx = max(poll.announcedRequiredMinRx, requiredMinRx)
        counters.pollSequencesCompleted += 1
        actions.append(.pollSequenceCompleted)
        if poll.announcedDesiredMinTx != configuredDesiredMinTx || poll.announcedRequiredMinRx != requiredMinRx
            || poll.announcedDemand != localDemandActive
        {
            // Values changed again mid-Poll; only a new Poll can confirm them, once the hold is over.
            requestPoll(.riding, now: now, into: &actions)
        }
    }

    private mutating func updateDetectionDeadline() {
        switch state {
        case .notStarted, .adminDown:
            detectionDeadline = nil
        case .down, .initialized, .up:
            if localDemandActive {
                // §6.8.4: in Demand mode only an unanswered Poll detects a failure, counted from its
                // first packet over bfd.DetectMult × our own negotiated interval.
                if case .up(let up) = state, let firstSentAt = up.poll?.firstSentAt {
                    detectionDeadline = firstSentAt
                        + BFDNanoseconds(configuration.detectMultiplier) * negotiatedTransmitInterval.nanoseconds
                } else {
                    detectionDeadline = nil
                }
            } else if let lastReceived, let detectionTime {
                detectionDeadline = lastReceived + detectionTime
            } else {
                detectionDeadline = nil
            }
        }
    }

    private mutating func detectionTimeExpired(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        detectionDeadline = nil
        let wasLive = sessionState == .`init` || sessionState == .up
        // §6.8.1: a Detection Time without a packet forgets the peer's discriminator. Its state and
        // Demand bit go with it (our reading): they describe a peer no longer heard.
        remoteDiscr = 0
        remoteSessionState = .down
        remoteDemandMode = false
        remoteDetectMult = 0
        // §6.8.18: bfd.RemoteMinRxInterval goes back to its initial 1 µs, so a peer that asked for
        // no packets (Required Min RX 0) and then vanished cannot keep us silent for good. Reset
        // before the state change so the Down packet itself goes out.
        let intervalBefore = negotiatedTransmitInterval
        remoteMinRx = 1
        if wasLive {
            changeState(to: .down, diagnostic: .controlDetectionTimeExpired, now: now, into: &actions)
        } else if negotiatedTransmitInterval != intervalBefore {
            rescheduleTransmit(now: now)
        }
    }

    /// Starts or stops the echo function to match §6.8.9: Up, echo configured, and the peer
    /// willing to loop echo back (its Required Min Echo RX nonzero, §6.8.6).
    private mutating func refreshEcho(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state else { return }
        guard let echoConfiguration = configuration.echo, remoteMinEchoRx > 0 else {
            up.echo = nil
            state = .up(up)
            return
        }
        // Never faster than the peer allows (§6.8.9).
        let interval = max(echoConfiguration.desiredMinEchoTxInterval, remoteMinEchoRx).nanoseconds
        if var echo = up.echo {
            echo.interval = interval
            up.echo = echo
            state = .up(up)
            return
        }
        up.echo = BFDEchoFunction(interval: interval, nextTransmit: now,
                                  deadline: now + BFDNanoseconds(configuration.detectMultiplier) * interval)
        state = .up(up)
        sendEcho(now: now, into: &actions)
    }

    private mutating func sendEcho(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, var echo = up.echo else { return }
        actions.append(.sendEcho(echo.payload(localDiscriminator: configuration.localDiscriminator)))
        echo.sequence &+= 1
        echo.nextTransmit = now + echo.interval
        up.echo = echo
        state = .up(up)
        counters.echoSent += 1
    }

    private mutating func discard(_ reason: BFDDiscardReason) -> [BFDEndpointAction] {
        counters.count(reason)
        return [.discarded(reason)]
    }
}
