import PeerscopeWire

/// The moves between states shared by several events of RFC 4271 §8.2.2, and the timers.
extension BGPSpeaker {
    var hasConnection: Bool {
        switch current {
        case .openSent, .openConfirm, .established: true
        case .idle, .connect, .active: false
        }
    }

    /// ManualStart / AutomaticStart from Idle (Events 1, 3, 4).
    mutating func begin(now: Nanoseconds) -> [BGPSpeakerAction] {
        var actions: [BGPSpeakerAction] = []
        connectRetryCounter = 0
        if configuration.passive {
            move(to: .active(connectRetryAt: nil), &actions)
            actions.append(.listen)
        } else {
            move(to: .connect(connectRetryAt: connectRetryDeadline(now)!), &actions)
            actions.append(.connect)
        }
        return actions
    }

    /// ManualStop / AutomaticStop: a NOTIFICATION when a BGP connection exists, then Idle.
    mutating func shutDown(_ notification: BGPNotification, now: Nanoseconds) -> [BGPSpeakerAction] {
        switch current {
        case .idle:
            // A stop also cancels a pending automatic restart.
            if !enabled { current = .idle(restartAt: nil) }
            return []
        case .connect, .active:
            return dropToIdle(nil, countRetry: false, now: now)
        case .openSent, .openConfirm, .established:
            return fail(notification, now: now, countRetry: false)
        }
    }

    /// Sends the NOTIFICATION, drops the connection, goes Idle (the common tail of §8.2.2's error events).
    mutating func fail(_ notification: BGPNotification, now: Nanoseconds, countRetry: Bool = true) -> [BGPSpeakerAction] {
        var actions: [BGPSpeakerAction] = []
        send(.notification(notification), &actions)
        return actions + dropToIdle(.notificationSent(notification), countRetry: countRetry, now: now)
    }

    /// Drops the connection and "releases all BGP resources": the Adj-RIB-In goes with it.
    mutating func dropToIdle(_ error: BGPSpeakerError?, countRetry: Bool, now: Nanoseconds) -> [BGPSpeakerAction] {
        var actions: [BGPSpeakerAction] = [.close]
        if let error { record(error, &actions) }
        if countRetry { connectRetryCounter += 1 }
        if case .established(var session) = current {
            let removed = session.adjRIBIn.removeAll()
            if !removed.isEmpty { actions.append(.routesWithdrawn(removed)) }
        }
        framer.reset()
        let restartAt = enabled && configuration.automaticRestart ? connectRetryDeadline(now, ignoringPassive: true) : nil
        move(to: .idle(restartAt: restartAt), &actions)
        return actions
    }

    mutating func move(to next: State, _ actions: inout [BGPSpeakerAction]) {
        let from = state
        current = next
        if state != from { actions.append(.stateChanged(from: from, to: state)) }
    }

    mutating func record(_ error: BGPSpeakerError, _ actions: inout [BGPSpeakerAction]) {
        lastError = error
        actions.append(.error(error))
    }

    mutating func send(_ message: BGPMessage, _ actions: inout [BGPSpeakerAction]) {
        messagesSent.count(message.type)
        actions.append(.send(message.encoded()))
    }

    /// Sends UPDATEs; §8.2.2: each one sent restarts the KeepaliveTimer (unless the hold time is 0).
    mutating func sendUpdates(_ messages: [[UInt8]], session: inout Session, now: Nanoseconds,
                              _ actions: inout [BGPSpeakerAction]) {
        guard !messages.isEmpty else { return }
        for message in messages {
            messagesSent.count(.update)
            actions.append(.send(message))
        }
        session.keepaliveAt = keepaliveDeadline(session.negotiated, now)
    }

    /// ConnectRetryTimer's next expiry; none for a passive speaker (it never initiates).
    mutating func connectRetryDeadline(_ now: Nanoseconds, ignoringPassive: Bool = false) -> Nanoseconds? {
        guard ignoringPassive || !configuration.passive else { return nil }
        return now + jittered(bgpNanoseconds(seconds: configuration.connectRetryTimeSeconds))
    }

    mutating func keepaliveDeadline(_ negotiated: BGPNegotiatedSession, _ now: Nanoseconds) -> Nanoseconds? {
        guard negotiated.holdTimeSeconds > 0 else { return nil }
        return now + jittered(bgpNanoseconds(seconds: negotiated.keepaliveTimeSeconds))
    }

    func holdDeadline(_ negotiated: BGPNegotiatedSession, _ now: Nanoseconds) -> Nanoseconds? {
        guard negotiated.holdTimeSeconds > 0 else { return nil }
        return now + bgpNanoseconds(seconds: negotiated.holdTimeSeconds)
    }

    private mutating func jittered(_ interval: Nanoseconds) -> Nanoseconds {
        guard var generator = jitter else { return interval }
        defer { jitter = generator }
        return generator.apply(interval)
    }

    /// The one timer due first: RFC 4271 Events 9 (ConnectRetry), 10 (Hold), 11 (Keepalive), and
    /// the automatic restart of Idle (Event 3).
    mutating func fireTimer(now: Nanoseconds) -> [BGPSpeakerAction] {
        switch current {
        case .idle:
            return begin(now: now)
        case .connect:
            // §8.2.2 Connect, Event 9: drop the attempt, try again, stay in Connect.
            current = .connect(connectRetryAt: connectRetryDeadline(now, ignoringPassive: true)!)
            return [.close, .connect]
        case .active:
            var actions: [BGPSpeakerAction] = []
            move(to: .connect(connectRetryAt: connectRetryDeadline(now, ignoringPassive: true)!), &actions)
            return actions + [.connect]
        case .openSent:
            return fail(BGPNotification(code: 4, subcode: 0), now: now)
        case .openConfirm(var session), .established(var session):
            if let holdAt = session.holdAt, holdAt <= now {
                return fail(BGPNotification(code: 4, subcode: 0), now: now)
            }
            var actions: [BGPSpeakerAction] = []
            send(.keepalive, &actions)
            session.keepaliveAt = keepaliveDeadline(session.negotiated, now)
            if case .established = current { current = .established(session) } else { current = .openConfirm(session) }
            return actions
        }
    }

    static func upsert(_ route: BGPRoute, into routes: inout [BGPRoute]) {
        if let index = routes.firstIndex(where: { $0.prefix == route.prefix }) {
            routes[index] = route
        } else {
            routes.append(route)
        }
    }
}
