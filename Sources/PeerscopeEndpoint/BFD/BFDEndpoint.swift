import PeerscopeWire

/// One BFD session (RFC 5880 §6.8) as a value: feed it datagrams, timer wakeups and operator
/// commands with the current time; perform the actions it returns; wake it again at
/// `nextDeadline`. It reads no clock, opens no socket and draws jitter only from the generator it
/// is given, so the same machine drives `peerscope probe` and runs in virtual time in tests.
public struct BFDEndpoint: Sendable {
    enum State: Sendable {
        case notStarted
        case adminDown
        case down
        case initialized
        case up(Up)
    }

    /// What only an Up session has: Poll Sequences run while Up (§6.8.3 ties them to timer changes
    /// of an Up session) and the echo function may only run while Up (§6.8.9).
    struct Up: Sendable {
        var poll: BFDPollSequence?
        var pollHold: BFDPollHold?
        var echo: BFDEchoFunction?
    }

    enum Deadline { case detection, echoDetection, pollHold, transmit, echoTransmit }

    /// How a Poll that starts now reaches the wire.
    enum PollDelivery {
        /// On the next scheduled periodic packet (§6.5); at once only if nothing periodic flows.
        case riding
        /// At once: the packet's contents changed, which §6.8.7 sends between periodic slots.
        case atOnce
    }

    public let configuration: BFDEndpointConfiguration
    public internal(set) var counters = BFDCounters()
    /// TTL / Hop Limit for every packet; the tester lowers it to probe the peer's RFC 5881 §5 check.
    public var transmitTTL: UInt8 = 255

    var state: State = .notStarted
    var jitter: BFDJitterSource
    var authenticator: BFDAuthenticator?
    // §6.8.1 variables that are not the state or the configuration.
    var remoteSessionState: BFDState = .down
    var remoteDiscr: UInt32 = 0
    var localDiag: BFDDiagnostic = .none
    var configuredDesiredMinTx: Microseconds
    var requiredMinRx: Microseconds
    var remoteMinRx: Microseconds = 1
    var remoteDemandMode = false
    // Last heard from the peer, for §6.8.4 and the echo rate.
    var remoteDesiredMinTx: Microseconds = 0
    var remoteDetectMult: UInt8 = 0
    var remoteMinEchoRx: Microseconds = 0
    /// §6.8.3: raising Desired Min TX while Up changes the rate only once the Final arrives.
    var transmitDesiredMinTx: Microseconds
    /// §6.8.3: lowering Required Min RX while Up shortens the Detection Time only once the Final arrives.
    var detectionRequiredMinRx: Microseconds
    var lastReceived: BFDNanoseconds?
    var lastTransmit: BFDNanoseconds?
    var detectionDeadline: BFDNanoseconds?
    var nextTransmit: BFDNanoseconds?
    var authSequenceExpiry: BFDNanoseconds?

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
        transmitDesiredMinTx = BFDTimingModel.advertisedDesiredMinTx(configured: configuration.desiredMinTxInterval,
                                                                      sessionUp: false)
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
    public var negotiatedTransmitInterval: Microseconds {
        BFDTimingModel.transmitInterval(desiredMinTx: transmitDesiredMinTx, remoteMinRx: remoteMinRx)
    }

    /// §6.8.4, asynchronous mode: the peer's Detect Mult × max(Required Min RX, the peer's Desired
    /// Min TX). nil before the peer is heard, or while we asked for no packets (Required Min RX 0).
    public var detectionTime: BFDNanoseconds? {
        guard remoteDetectMult > 0, detectionRequiredMinRx > 0 else { return nil }
        return BFDTimingModel.detectionTimeNanoseconds(remoteDetectMult: remoteDetectMult,
                                                       localRequiredMinRx: detectionRequiredMinRx,
                                                       remoteDesiredMinTx: remoteDesiredMinTx)
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
        let receiver = BFDReceiverView(hopMode: configuration.hopMode,
                                       localDiscriminator: configuration.localDiscriminator,
                                       authenticationInUse: authenticator != nil)
        switch BFDReceptionChecks.check(payload, ttl: ttl, receiver: receiver,
                                        verifyAuthentication: { authenticator?.verify($0, raw: $1) }) {
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
        if authenticator != nil, let time = detectionTime {
            authSequenceExpiry = now + BFDTimingModel.authSequenceForgetAfterNanoseconds(detectionTimeNanoseconds: time)
        }
        if case .adminDown = state {
            actions.append(contentsOf: discard(.sessionAdminDown))
            return actions
        }
        counters.controlAccepted += 1
        if let change = BFDTransitionTable.onReceive(local: sessionState, received: packet.state) {
            changeState(to: change.next, diagnostic: change.diagnostic, now: now, into: &actions)
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
