import PeerscopeWire

/// Received messages, per state (RFC 4271 §8.2.2 Events 19–28).
extension BGPSpeaker {
    mutating func handle(_ message: [UInt8], now: Nanoseconds) -> [BGPSpeakerAction] {
        let type = BGPMessageType(rawValue: message[18])
        messagesReceived.count(type)
        if case .update = type {
            guard case .established(var session) = current else { return fsmError(now: now) }
            let actions = receiveUpdate(message, session: &session, now: now)
            if case .established = current { current = .established(session) }
            return actions
        }
        let decoded: BGPMessage
        switch decodeFramedMessage(message, options: BGPDecodingOptions()) {
        case .success(let value): decoded = value
        case .failure:
            // §6.2: a malformed OPEN without a more specific subcode is "Unspecific" (0).
            return fail(BGPNotification(code: type == .open ? 2 : 1, subcode: 0), now: now)
        }
        switch (current, decoded) {
        case (_, .notification(let notification)):
            var actions: [BGPSpeakerAction] = [.notificationReceived(notification)]
            // §8.2.2 Event 24 (NotifMsgVerErr) leaves the ConnectRetryCounter alone.
            let versionError = notification.code == 2 && notification.subcode == 1
            actions += dropToIdle(.notificationReceived(notification), countRetry: !versionError, now: now)
            return actions
        case (.openSent, .open(let open)):
            return receiveOpen(open, now: now)
        case (.openConfirm(var session), .keepalive):
            session.holdAt = holdDeadline(session.negotiated, now)
            return enterEstablished(session, now: now)
        case (.established(var session), .keepalive):
            session.holdAt = holdDeadline(session.negotiated, now)
            current = .established(session)
            return []
        case (.established(var session), .routeRefresh(let family, let subtype)):
            // RFC 2918 §4: answer with the Adj-RIB-Out of that family; ignore it when not negotiated
            // or for a family we never agreed on. Subtypes 1 and 2 are RFC 7313 markers, no request.
            guard session.negotiated.routeRefresh, subtype == 0, session.negotiated.families.contains(family) else {
                return []
            }
            var actions: [BGPSpeakerAction] = []
            let routes = originatedRoutes.filter { $0.family == family }
            let messages = BGPUpdateBuilder.announcements(routes, localAS: configuration.localAS, session: session.negotiated)
            sendUpdates(messages, session: &session, now: now, &actions)
            current = .established(session)
            return actions
        default:
            return fsmError(now: now)
        }
    }

    /// §8.2.2 "any other event" in OpenSent, OpenConfirm, Established: Finite State Machine Error,
    /// with the state named by the RFC 6608 subcode.
    private mutating func fsmError(now: Nanoseconds) -> [BGPSpeakerAction] {
        let subcode: UInt8 = switch current {
        case .openSent: 1
        case .openConfirm: 2
        case .established: 3
        case .idle, .connect, .active: 0
        }
        return fail(BGPNotification(code: 5, subcode: subcode), now: now)
    }

    /// OpenSent, Event 19: the peer's OPEN checked (§6.2) and negotiated; KEEPALIVE back, OpenConfirm.
    private mutating func receiveOpen(_ open: BGPOpen, now: Nanoseconds) -> [BGPSpeakerAction] {
        let negotiated: BGPNegotiatedSession
        do throws(BGPErrorNotification) {
            negotiated = try configuration.negotiate(with: open)
        } catch {
            return fail(error.notification, now: now)
        }
        framer.maximumLength = negotiated.maximumMessageLength
        var actions: [BGPSpeakerAction] = []
        send(.keepalive, &actions)
        let session = Session(negotiated: negotiated, holdAt: holdDeadline(negotiated, now),
                              keepaliveAt: keepaliveDeadline(negotiated, now))
        move(to: .openConfirm(session), &actions)
        return actions
    }

    /// OpenConfirm, Event 26: Established; then our routes and an End-of-RIB per family (RFC 4724 §2
    /// recommends the marker after the initial update even without graceful restart).
    private mutating func enterEstablished(_ session: Session, now: Nanoseconds) -> [BGPSpeakerAction] {
        var session = session
        var actions: [BGPSpeakerAction] = []
        establishedTransitions += 1
        move(to: .established(session), &actions)
        actions.append(.established(session.negotiated))
        var messages = BGPUpdateBuilder.announcements(originatedRoutes, localAS: configuration.localAS,
                                                      session: session.negotiated)
        if configuration.offerEndOfRIB {
            messages += session.negotiated.families.map(BGPUpdateBuilder.endOfRIB)
        }
        sendUpdates(messages, session: &session, now: now, &actions)
        current = .established(session)
        return actions
    }

    /// Established, Events 27/28: the Adj-RIB-In updated, or the session reset RFC 7606 demands.
    private mutating func receiveUpdate(_ message: [UInt8], session: inout Session, now: Nanoseconds)
        -> [BGPSpeakerAction]
    {
        let reception: BGPUpdateReception
        do throws(BGPErrorNotification) {
            reception = try BGPUpdateProcessor.process(message, session: session.negotiated)
        } catch {
            current = .established(session)
            return fail(error.notification, now: now)
        }
        session.holdAt = holdDeadline(session.negotiated, now)
        var actions: [BGPSpeakerAction] = []
        for fault in reception.faults { record(fault, &actions) }
        let removed = reception.withdrawn.filter { session.adjRIBIn.remove($0.prefix, family: $0.family) }
        if !removed.isEmpty { actions.append(.routesWithdrawn(removed.map(\.prefix))) }
        for route in reception.announced { session.adjRIBIn.insert(route) }
        if !reception.announced.isEmpty { actions.append(.routesReceived(reception.announced)) }
        if let family = reception.endOfRIB {
            session.adjRIBIn.markEndOfRIB(family)
            actions.append(.endOfRIBReceived(family))
        }
        return actions
    }
}
