import PeerscopeWire

/// One BGP speaker's side of one peering: the finite state machine of RFC 4271 §8.
///
/// Sans-IO: every input takes the caller's `now` (monotonic nanoseconds) and returns the actions to
/// perform; the driver owns the socket and wakes the speaker with `advance(to:)` at `nextDeadline`.
///
/// Choices where RFC 4271 leaves room (§8.1.1 optional attributes):
/// - DelayOpen, DampPeerOscillations, SendNOTIFICATIONwithoutOPEN, TrackTcpState: off.
/// - One connection at a time: collision detection (§6.8) is the driver's, which accepts the peer's
///   connection only while we are in Connect or Active.
/// - PassiveTcpEstablishment never initiates: Active keeps listening with no ConnectRetryTimer
///   (the RFC would connect once it expired), which is what `neighbor … passive` means on routers.
/// - `automaticRestart`: after an error Idle issues AutomaticStart (Event 3) once ConnectRetryTime
///   has passed (the IdleHoldTime of §8.1.1), so a refused connection is retried.
/// - FSM errors carry the RFC 6608 subcodes (1 OpenSent, 2 OpenConfirm, 3 Established).
/// - The HoldTimer is restarted by KEEPALIVE and UPDATE only (§4.4, §8.2.2).
/// Not modelled: MinRouteAdvertisementIntervalTimer (UPDATEs leave at once), Unsupported Capability
/// (we require none), AFI/SAFI disable of RFC 7606, graceful restart beyond End-of-RIB.
///
/// A driver's loop: perform the actions of `start(now:)`; on each socket event call `tcpConnected`,
/// `tcpFailed` or `receive(bytes:now:)` and perform what comes back; sleep until `nextDeadline` and
/// call `advance(to:)`; apply TTL 255 / IP_MINTTL when `configuration.ttlSecurity` is set (RFC 5082).
public struct BGPSpeaker: Sendable {
    public typealias Nanoseconds = EndpointTime.Nanoseconds

    public let configuration: BGPSpeakerConfiguration
    /// The FSM state with its per-state data. Internal only so the sibling files of this type (the
    /// transitions, the message handlers) can switch on it; nothing else touches it.
    var current: State = .idle(restartAt: nil)
    var framer = BGPMessageFramer()
    var jitter: BGPTimerJitter?
    /// A start was asked for and no stop since: the condition for AutomaticStart.
    var enabled = false
    /// What we originate, one route per prefix, in the order first announced.
    public internal(set) var originatedRoutes: [BGPRoute]
    public internal(set) var messagesSent = BGPMessageCounts()
    public internal(set) var messagesReceived = BGPMessageCounts()
    public internal(set) var lastError: BGPSpeakerError?
    /// RFC 4271 §8.1.1 ConnectRetryCounter.
    public internal(set) var connectRetryCounter = 0
    public internal(set) var establishedTransitions = 0

    enum State: Sendable {
        case idle(restartAt: Nanoseconds?)
        case connect(connectRetryAt: Nanoseconds)
        case active(connectRetryAt: Nanoseconds?)
        case openSent(holdAt: Nanoseconds)
        case openConfirm(Session)
        case established(Session)
    }

    /// Per-connection data once the peer's OPEN was accepted.
    struct Session: Sendable {
        var negotiated: BGPNegotiatedSession
        /// nil when the negotiated hold time is 0 (§4.2: no hold timer, no keepalives).
        var holdAt: Nanoseconds?
        var keepaliveAt: Nanoseconds?
        var adjRIBIn = BGPAdjRIBIn()
    }

    public init(configuration: BGPSpeakerConfiguration) {
        self.configuration = configuration
        jitter = configuration.jitterSeed.map(BGPTimerJitter.init(seed:))
        originatedRoutes = []
        for route in configuration.routes { Self.upsert(route, into: &originatedRoutes) }
    }

    // MARK: What a `show bgp neighbors` would print

    public var state: BGPSessionState {
        switch current {
        case .idle: .idle
        case .connect: .connect
        case .active: .active
        case .openSent: .openSent
        case .openConfirm: .openConfirm
        case .established: .established
        }
    }

    public var negotiated: BGPNegotiatedSession? {
        switch current {
        case .openConfirm(let session), .established(let session): session.negotiated
        case .idle, .connect, .active, .openSent: nil
        }
    }

    /// Routes learned from the peer; empty outside Established.
    public var adjRIBIn: BGPAdjRIBIn {
        if case .established(let session) = current { return session.adjRIBIn }
        return BGPAdjRIBIn()
    }

    /// The earliest running timer; call `advance(to:)` then.
    public var nextDeadline: Nanoseconds? {
        switch current {
        case .idle(let restartAt): restartAt
        case .connect(let at): at
        case .active(let at): at
        case .openSent(let holdAt): holdAt
        case .openConfirm(let session), .established(let session):
            [session.holdAt, session.keepaliveAt].compactMap { $0 }.min()
        }
    }

    // MARK: Inputs

    /// ManualStart (Event 1), or ManualStart_with_PassiveTcpEstablishment (Event 4) when passive.
    public mutating func start(now: Nanoseconds) -> [BGPSpeakerAction] {
        enabled = true
        guard case .idle = current else { return [] }  // §8.2.2: ignored outside Idle
        return begin(now: now)
    }

    /// ManualStop (Event 2): Cease / Administrative Shutdown (RFC 4486) with an optional RFC 9003
    /// shutdown communication, cut to 255 octets on a character boundary.
    public mutating func stop(now: Nanoseconds, shutdownCommunication: String? = nil) -> [BGPSpeakerAction] {
        enabled = false
        var data: [UInt8] = []
        if let text = shutdownCommunication {
            var octets: [UInt8] = []
            for character in text {
                let utf8 = Array(String(character).utf8)
                guard octets.count + utf8.count <= 255 else { break }
                octets += utf8
            }
            data = [UInt8(octets.count)] + octets
        }
        let actions = shutDown(BGPNotification(code: 6, subcode: 2, data: data), now: now)
        connectRetryCounter = 0
        return actions
    }

    /// BFD declared the peer down (RFC 9384, an AutomaticStop, Event 8): Cease / BFD Down.
    public mutating func bfdDown(now: Nanoseconds) -> [BGPSpeakerAction] {
        let actions = shutDown(BGPNotification(code: 6, subcode: 10), now: now)
        if !actions.isEmpty { connectRetryCounter += 1 }
        return actions
    }

    /// Tcp_CR_Acked / TcpConnectionConfirmed (Events 16, 17): our connect succeeded or the peer's
    /// was accepted. We send our OPEN and wait up to the large hold time for theirs (§8.2.2).
    public mutating func tcpConnected(now: Nanoseconds) -> [BGPSpeakerAction] {
        switch current {
        case .connect, .active:
            var actions: [BGPSpeakerAction] = []
            framer.reset()
            send(.open(configuration.openMessage), &actions)
            move(to: .openSent(holdAt: now + bgpNanoseconds(seconds: configuration.openHoldTimeSeconds)), &actions)
            return actions
        case .idle, .openSent, .openConfirm, .established:
            return []
        }
    }

    /// TcpConnectionFails (Event 18): the connect failed, or the peer closed or reset the connection.
    public mutating func tcpFailed(now: Nanoseconds) -> [BGPSpeakerAction] {
        switch current {
        case .idle:
            return []
        case .connect:
            return dropToIdle(.connectionFailed(in: .connect), countRetry: false, now: now)
        case .openSent:
            // §8.2.2: OpenSent falls back to Active and keeps listening for the peer.
            var actions: [BGPSpeakerAction] = [.close]
            record(.connectionFailed(in: .openSent), &actions)
            move(to: .active(connectRetryAt: connectRetryDeadline(now)), &actions)
            actions.append(.listen)
            return actions
        case .active, .openConfirm, .established:
            return dropToIdle(.connectionFailed(in: self.state), countRetry: true, now: now)
        }
    }

    /// Bytes read from the connection, in any chunking.
    public mutating func receive(bytes: some Collection<UInt8>, now: Nanoseconds) -> [BGPSpeakerAction] {
        switch current {
        case .idle:
            return []
        case .connect, .active:
            // §8.2.2: a message without an established BGP connection is "any other event".
            return dropToIdle(.unexpectedMessage(in: self.state), countRetry: true, now: now)
        case .openSent, .openConfirm, .established:
            break
        }
        framer.append(bytes)
        var actions: [BGPSpeakerAction] = []
        while hasConnection {
            let message: [UInt8]?
            do throws(BGPErrorNotification) {
                message = try framer.next()
            } catch {
                actions += fail(error.notification, now: now)
                break
            }
            guard let message else { break }
            actions += handle(message, now: now)
        }
        return actions
    }

    /// Fires every timer due at `now`, earliest first.
    public mutating func advance(to now: Nanoseconds) -> [BGPSpeakerAction] {
        var actions: [BGPSpeakerAction] = []
        while let deadline = nextDeadline, deadline <= now {
            actions += fireTimer(now: now)
        }
        return actions
    }

    /// Adds or replaces routes we originate; sent at once when Established.
    public mutating func announce(_ routes: [BGPRoute], now: Nanoseconds) throws(BGPConfigurationError) -> [BGPSpeakerAction] {
        for route in routes { try route.validate() }
        for route in routes { Self.upsert(route, into: &originatedRoutes) }
        guard case .established(var session) = current else { return [] }
        var actions: [BGPSpeakerAction] = []
        let messages = BGPUpdateBuilder.announcements(routes, localAS: configuration.localAS, session: session.negotiated)
        sendUpdates(messages, session: &session, now: now, &actions)
        current = .established(session)
        return actions
    }

    /// Stops originating these prefixes; the withdrawals go out at once when Established.
    public mutating func withdraw(_ prefixes: [BGPPrefix], now: Nanoseconds) -> [BGPSpeakerAction] {
        let known = prefixes.filter { prefix in originatedRoutes.contains { $0.prefix == prefix } }
        originatedRoutes.removeAll { known.contains($0.prefix) }
        guard case .established(var session) = current, !known.isEmpty else { return [] }
        var actions: [BGPSpeakerAction] = []
        sendUpdates(BGPUpdateBuilder.withdrawals(known, session: session.negotiated), session: &session, now: now, &actions)
        current = .established(session)
        return actions
    }
}
