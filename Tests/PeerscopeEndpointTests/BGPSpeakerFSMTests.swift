import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// The FSM's transitions and timers one speaker at a time (RFC 4271 §8.2.2), driven by hand.
@Suite("BGP speaker: finite state machine")
struct BGPSpeakerFSMTests {
    let second = BGPBackToBack.second

    func speaker(_ configuration: BGPSpeakerConfiguration = BGPLab.speaker()) -> BGPSpeaker {
        BGPSpeaker(configuration: configuration)
    }

    /// A speaker that sent its OPEN at time 0 and waits for the peer's.
    func openSent(_ configuration: BGPSpeakerConfiguration = BGPLab.speaker()) -> BGPSpeaker {
        var speaker = speaker(configuration)
        _ = speaker.start(now: 0)
        _ = speaker.tcpConnected(now: 0)
        return speaker
    }

    // RFC 4271 §8.2.2 Idle, Event 1 (ManualStart): ConnectRetryTimer started, TCP connection initiated.
    @Test func manualStartConnectsAndArmsTheConnectRetryTimer() {
        var speaker = speaker()
        let actions = speaker.start(now: 5 * second)
        #expect(actions == [.stateChanged(from: .idle, to: .connect), .connect])
        #expect(speaker.nextDeadline == 125 * second)
        #expect(speaker.start(now: 6 * second).isEmpty)  // ManualStart outside Idle is ignored
    }

    // RFC 4271 §8.1.1 PassiveTcpEstablishment and §8.2.2 Idle, Event 4: Active, listening, never connecting.
    @Test func passiveSpeakerWaitsForThePeerToConnect() {
        var link = BGPBackToBack(BGPLab.speaker(passive: true),
                                 BGPLab.speaker(as: 65002, peer: 65001, id: BGPLab.routerB, passive: true))
        link.start()
        link.run(seconds: 3600)
        #expect(link.a.state == .active && link.b.state == .active)
        #expect(link.actions(of: .a) == [.stateChanged(from: .idle, to: .active), .listen])
        #expect(link.a.nextDeadline == nil)
        // Once the active side starts, the passive one accepts.
        var mixed = BGPBackToBack(BGPLab.speaker(passive: true), BGPLab.speaker(as: 65002, peer: 65001, id: BGPLab.routerB))
        mixed.start([.a])
        mixed.run(seconds: 600)
        #expect(mixed.a.state == .active)
        mixed.start([.b])
        #expect(mixed.a.state == .established && mixed.b.state == .established)
    }

    // RFC 4271 §8.2.2 Connect, Event 18 (TcpConnectionFails) → Idle; then AutomaticStart (Event 3)
    // after ConnectRetryTime retries the connection.
    @Test func refusedConnectionGoesIdleAndIsRetriedAfterConnectRetryTime() {
        var speaker = speaker()
        _ = speaker.start(now: 0)
        let failed = speaker.tcpFailed(now: 1 * second)
        #expect(failed.contains(.close) && failed.contains(.stateChanged(from: .connect, to: .idle)))
        #expect(speaker.lastError == .connectionFailed(in: .connect))
        #expect(speaker.nextDeadline == 121 * second)
        #expect(speaker.advance(to: 120 * second).isEmpty)
        #expect(speaker.advance(to: 121 * second) == [.stateChanged(from: .idle, to: .connect), .connect])
        #expect(speaker.nextDeadline == 241 * second)
    }

    // RFC 4271 §8.2.2 Idle: without AutomaticStart a failure stays Idle until the next ManualStart.
    @Test func withoutAutomaticRestartIdleWaitsForManualStart() {
        var speaker = speaker(BGPLab.speaker(automaticRestart: false))
        _ = speaker.start(now: 0)
        _ = speaker.tcpFailed(now: 0)
        #expect(speaker.state == .idle && speaker.nextDeadline == nil)
        #expect(speaker.start(now: 10 * second).contains(.connect))
    }

    // RFC 4271 §8.2.2 Connect, Event 9 (ConnectRetryTimer_Expires): drop the attempt, connect again,
    // restart the timer, stay in Connect. The time is configurable (§10 suggests 120 s).
    @Test func hangingConnectIsRetriedEachConnectRetryTime() throws {
        var configuration = BGPLab.speaker()
        configuration.connectRetryTimeSeconds = 5
        var speaker = speaker(configuration)
        _ = speaker.start(now: 0)
        #expect(speaker.advance(to: 4 * second).isEmpty)
        #expect(speaker.advance(to: 5 * second) == [.close, .connect])
        #expect(speaker.state == .connect && speaker.nextDeadline == 10 * second)
        #expect(speaker.advance(to: 10 * second) == [.close, .connect])
    }

    // RFC 4271 §8.2.2 Active, Event 9: the ConnectRetryTimer moves Active to Connect and connects.
    @Test func connectRetryTimerInActiveConnects() {
        var speaker = openSent()
        _ = speaker.tcpFailed(now: 10 * second)
        #expect(speaker.state == .active)
        #expect(speaker.advance(to: 130 * second) == [.stateChanged(from: .active, to: .connect), .connect])
    }

    // RFC 4271 §8.2.2 OpenSent, Event 18: close, restart ConnectRetryTimer, keep listening, Active.
    @Test func tcpFailureInOpenSentFallsBackToActive() {
        var speaker = openSent()
        let actions = speaker.tcpFailed(now: 3 * second)
        #expect(actions.first == .close && actions.last == .listen)
        #expect(actions.contains(.stateChanged(from: .openSent, to: .active)))
        #expect(speaker.nextDeadline == 123 * second)
    }

    // RFC 4271 §8 ("HoldTimer … set to a large value", 4 minutes suggested) and §8.2.2 OpenSent, Event 10.
    @Test func openSentWaitsFourMinutesForThePeersOpen() {
        var speaker = openSent()
        #expect(speaker.nextDeadline == 240 * second)
        #expect(speaker.advance(to: 239 * second).isEmpty)
        let actions = speaker.advance(to: 240 * second)
        #expect(actions.first == .send(BGPMessage.notification(BGPNotification(code: 4, subcode: 0)).encoded()))
        #expect(speaker.state == .idle && speaker.messagesSent.notification == 1)
        #expect(speaker.connectRetryCounter == 1)
    }

    // RFC 4271 §8.2.2 (OpenSent, OpenConfirm, Established: any other event) with the RFC 6608 §4
    // subcodes naming the state: 5/1, 5/2, 5/3.
    @Test func unexpectedMessagesAreFiniteStateMachineErrorsNamingTheState() {
        var inOpenSent = openSent()
        _ = inOpenSent.receive(bytes: BGPMessage.keepalive.encoded(), now: 1)
        #expect(inOpenSent.lastError == .notificationSent(BGPNotification(code: 5, subcode: 1)))

        var inOpenConfirm = openSent()
        _ = inOpenConfirm.receive(bytes: bgpPeerOpen(), now: 1)
        #expect(inOpenConfirm.state == .openConfirm)
        _ = inOpenConfirm.receive(bytes: BGPMessage.update(BGPUpdate()).encoded(), now: 2)
        #expect(inOpenConfirm.lastError == .notificationSent(BGPNotification(code: 5, subcode: 2)))

        var established = BGPLab.established()
        established.inject(bgpPeerOpen(), into: .a)
        #expect(established.notificationsSent(by: .a) == [BGPNotification(code: 5, subcode: 3)])
        #expect(established.notificationsReceived(by: .b) == [BGPNotification(code: 5, subcode: 3)])
    }

    // RFC 4271 §8.2.2 OpenConfirm, Event 26: the peer's KEEPALIVE completes the session; its
    // NOTIFICATION (Event 25) drops it instead.
    @Test func openConfirmEndsOnKeepaliveOrNotification() {
        var speaker = openSent()
        _ = speaker.receive(bytes: bgpPeerOpen(), now: 1)
        #expect(speaker.negotiated?.peerAS == 65002)
        var declined = speaker
        let actions = speaker.receive(bytes: BGPMessage.keepalive.encoded(), now: 2)
        #expect(actions.contains(.stateChanged(from: .openConfirm, to: .established)))
        #expect(actions.contains { if case .established = $0 { true } else { false } })
        let cease = BGPNotification(code: 6, subcode: 5)
        let refused = declined.receive(bytes: BGPMessage.notification(cease).encoded(), now: 2)
        #expect(refused.contains(.notificationReceived(cease)) && declined.state == .idle)
    }

    // RFC 4271 §8.2.2 Established, Event 25: a NOTIFICATION ends the session and every route learned on it.
    @Test func notificationInEstablishedDropsTheSessionAndItsRoutes() {
        var link = BGPLab.established(routesB: [BGPLab.route("10.9.0.0", 16, via: "192.0.2.2")])
        #expect(link.a.adjRIBIn.totalCount == 1)
        link.frozen = [.b]
        let reset = BGPNotification(code: 6, subcode: 4)
        link.inject(BGPMessage.notification(reset).encoded(), into: .a)
        #expect(link.a.state == .idle && link.a.adjRIBIn.totalCount == 0)
        #expect(link.a.lastError == .notificationReceived(reset))
        #expect(link.actions(of: .a).contains(.routesWithdrawn([BGPLab.prefix("10.9.0.0", 16)])))
    }

    // RFC 2918 §4: a ROUTE-REFRESH request is answered with the Adj-RIB-Out of that family.
    @Test func routeRefreshRequestIsAnsweredWithTheRoutesOfThatFamily() {
        var link = BGPLab.established(routesA: BGPSpeakerSessionTests.routesA)
        let before = link.a.messagesSent.update
        link.inject(BGPMessage.routeRefresh(family: .ipv6Unicast, subtype: 0).encoded(), into: .a)
        #expect(link.a.messagesReceived.routeRefresh == 1)
        #expect(link.a.messagesSent.update == before + 1)
        #expect(link.a.state == .established && link.b.adjRIBIn.count(.ipv6Unicast) == 1)
    }

    // RFC 4271 §8.2.2 Established: "Each time the local system sends a KEEPALIVE or UPDATE message,
    // it restarts its KeepaliveTimer".
    @Test func sendingAnUpdateRestartsTheKeepaliveTimer() {
        var link = BGPLab.established(holdA: 30, holdB: 30)
        link.run(seconds: 5)
        link.input(.a) { speaker, now in try! speaker.announce([BGPLab.route("10.5.0.0", 16, via: "192.0.2.1")], now: now) }
        link.run(seconds: 30)
        #expect(link.keepaliveTimes(of: .a) == [0, 15, 25, 35].map { $0 * second })
        #expect(link.keepaliveTimes(of: .b) == [0, 10, 20, 30].map { $0 * second })
    }

    // RFC 4271 §4.4 and §8.2.2 Established, Event 27: an UPDATE restarts the HoldTimer as a KEEPALIVE does.
    @Test func receivedUpdateRestartsTheHoldTimer() {
        var link = BGPLab.established(holdA: 30, holdB: 30)
        link.frozen = [.b]  // only what we inject reaches A
        link.run(seconds: 25)
        link.inject(RawUpdate.message(attributes: RawUpdate.mandatory, nlri: RawUpdate.nlri), into: .a)
        link.run(seconds: 29)
        #expect(link.a.state == .established)
        link.run(seconds: 1)
        #expect(link.a.state == .idle && link.notificationsSent(by: .a) == [BGPNotification(code: 4, subcode: 0)])
    }

    // RFC 4271 §8.2.2 Established, Event 18: the connection lost without NOTIFICATION.
    @Test func connectionLossInEstablishedIsRecordedAndCounted() {
        var link = BGPLab.established()
        link.frozen = [.b]
        link.input(.a) { speaker, now in speaker.tcpFailed(now: now) }
        #expect(link.a.state == .idle && link.a.lastError == .connectionFailed(in: .established))
        #expect(link.a.connectRetryCounter == 1)
    }

    // RFC 4271 §6.8 and RFC 6286 §2.3: the connection initiated by the higher BGP Identifier stays;
    // with equal identifiers the higher AS decides.
    @Test func collisionKeepsTheConnectionInitiatedByTheHigherIdentifier() {
        let low = BGPLab.routerA, high = BGPLab.routerB
        #expect(BGPSpeaker.collisionKeepsConnection(initiatedLocally: true, localIdentifier: high, remoteIdentifier: low,
                                                    localAS: 1, remoteAS: 2))
        #expect(!BGPSpeaker.collisionKeepsConnection(initiatedLocally: false, localIdentifier: high, remoteIdentifier: low,
                                                     localAS: 1, remoteAS: 2))
        #expect(BGPSpeaker.collisionKeepsConnection(initiatedLocally: false, localIdentifier: low, remoteIdentifier: high,
                                                    localAS: 1, remoteAS: 2))
        #expect(BGPSpeaker.collisionKeepsConnection(initiatedLocally: true, localIdentifier: low, remoteIdentifier: low,
                                                    localAS: 65002, remoteAS: 65001))
        #expect(!BGPSpeaker.collisionKeepsConnection(initiatedLocally: true, localIdentifier: low, remoteIdentifier: low,
                                                     localAS: 65001, remoteAS: 65002))
    }

    // RFC 4271 §8.2.2 OpenConfirm, Event 23 (OpenCollisionDump): Cease / Connection Collision
    // Resolution (RFC 4486 subcode 7), Idle, ConnectRetryCounter incremented.
    @Test func closeForCollisionSendsCeaseConnectionCollisionResolution() {
        var speaker = openSent()
        _ = speaker.receive(bytes: bgpPeerOpen(), now: 1)
        let actions = speaker.closeForCollision(now: 2)
        #expect(actions.first == .send(BGPMessage.notification(BGPNotification(code: 6, subcode: 7)).encoded()))
        #expect(speaker.state == .idle && speaker.connectRetryCounter == 1)
    }

    // RFC 4271 §8.1 session attributes and counters, as `show bgp neighbors` prints them.
    @Test func neighborStatusSummarisesThePeering() {
        var link = BGPLab.established(routesA: BGPSpeakerSessionTests.routesA)
        link.run(seconds: 31)
        let status = link.b.status
        #expect(status.state == .established && status.localAS == 65002 && status.peerAS == 65001)
        #expect(status.negotiated?.holdTimeSeconds == 90 && status.establishedTransitions == 1)
        #expect(status.prefixesReceived == [.ipv4Unicast: 2, .ipv6Unicast: 1])
        #expect(status.endOfRIBReceived == [.ipv4Unicast, .ipv6Unicast] && status.prefixesOriginated == 0)
        #expect(status.messagesReceived.keepalive == 2 && status.messagesReceived.update == 4)
        #expect(status.lastError == nil && !status.ttlSecurity)
    }

    // RFC 4271 §4.2: Hold Time 1 or 2 is not a valid configuration; 0 and 3 are.
    @Test func configurationRejectsHoldTimeOneOrTwo() {
        for hold: UInt16 in [1, 2] {
            #expect(throws: BGPConfigurationError.holdTimeOneOrTwo(hold)) {
                try BGPSpeakerConfiguration(localAS: 1, peerAS: 2, routerID: BGPLab.routerA, holdTimeSeconds: hold)
            }
        }
        #expect(throws: BGPConfigurationError.largeASWithoutFourOctetCapability(70000)) {
            try BGPSpeakerConfiguration(localAS: 70000, peerAS: 2, routerID: BGPLab.routerA, offerFourOctetAS: false)
        }
        #expect((try? BGPSpeakerConfiguration(localAS: 1, peerAS: 2, routerID: BGPLab.routerA, holdTimeSeconds: 3)) != nil)
        #expect(BGPLab.speaker(hold: 0).holdTimeSeconds == 0)
    }

    // RFC 5082: GTSM is the driver's job (TTL 255 out, minimum TTL 255 in); the FSM carries the flag.
    @Test func ttlSecurityIsCarriedForTheDriver() throws {
        let configuration = try BGPSpeakerConfiguration(localAS: 1, peerAS: 2, routerID: BGPLab.routerA, ttlSecurity: true)
        #expect(BGPSpeaker(configuration: configuration).configuration.ttlSecurity)
    }
}

/// The OPEN of B (AS 65002, 192.0.2.2) as A expects it, optionally altered.
func bgpPeerOpen(_ change: (inout BGPOpen) -> Void = { _ in }) -> [UInt8] {
    var open = BGPLab.speaker(as: 65002, peer: 65001, id: BGPLab.routerB).openMessageForTests
    change(&open)
    return BGPMessage.open(open).encoded()
}

extension BGPSpeakerConfiguration {
    /// What this configuration's OPEN looks like, rebuilt from its public fields (RFC 4271 §4.2).
    var openMessageForTests: BGPOpen {
        var capabilities: [BGPCapability] = families.map { .multiprotocol($0) }
        if offerRouteRefresh { capabilities.append(.routeRefresh) }
        if offerFourOctetAS { capabilities.append(.fourOctetAS(localAS)) }
        return BGPOpen(myAS: localAS > 65535 ? 23456 : UInt16(localAS), holdTime: holdTimeSeconds,
                       identifier: routerID, capabilities: capabilities)
    }
}
