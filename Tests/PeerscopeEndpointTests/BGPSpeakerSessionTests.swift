import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Back-to-back sessions: establishment, routes, timers and orderly shutdowns, in virtual time.
@Suite("BGP speaker: sessions back to back")
struct BGPSpeakerSessionTests {
    static let routesA = [BGPLab.route("10.1.0.0", 16, via: "192.0.2.1"), BGPLab.route("10.2.0.0", 24, via: "192.0.2.1"),
                          BGPLab.route("2001:db8:a::", 48, via: "2001:db8::1")]
    static let routesB = [BGPLab.route("10.9.0.0", 16, via: "192.0.2.2"),
                          BGPLab.route("2001:db8:b::", 48, via: "2001:db8::2")]
    let second = BGPBackToBack.second

    // RFC 4271 §8.2.2 (Connect → OpenSent → OpenConfirm → Established), RFC 4760 (IPv4 in NLRI with
    // NEXT_HOP, IPv6 in MP_REACH_NLRI), RFC 4724 §2 (End-of-RIB per family), byte-by-byte delivery.
    @Test func speakersReachEstablishedAndExchangeIPv4AndIPv6RoutesByteByByte() {
        let link = BGPLab.established(routesA: Self.routesA, routesB: Self.routesB, chunkSizes: [1])
        #expect(link.a.state == .established && link.b.state == .established)
        #expect(link.states(of: .a) == [.connect, .openSent, .openConfirm, .established])
        #expect(link.states(of: .b) == [.active, .openSent, .openConfirm, .established])
        let negotiated = try! #require(link.a.negotiated)
        #expect(negotiated.families == [.ipv4Unicast, .ipv6Unicast])
        #expect(negotiated.holdTimeSeconds == 90 && negotiated.keepaliveTimeSeconds == 30)
        #expect(negotiated.fourOctetAS && negotiated.routeRefresh && negotiated.peerSupportsEndOfRIB)
        #expect(negotiated.peerAS == 65002 && negotiated.peerRouterID == BGPLab.routerB)

        let ribB = link.b.adjRIBIn
        #expect(ribB.count(.ipv4Unicast) == 2 && ribB.count(.ipv6Unicast) == 1)
        #expect(ribB.endOfRIB == [.ipv4Unicast, .ipv6Unicast])
        let v4 = try! #require(ribB.route(BGPLab.prefix("10.1.0.0", 16)))
        #expect(v4.nextHop == IPAddress("192.0.2.1") && v4.asPath == [65001] && v4.origin == 0)
        let v6 = try! #require(ribB.route(BGPLab.prefix("2001:db8:a::", 48)))
        #expect(v6.nextHop == IPAddress("2001:db8::1") && v6.asPath == [65001] && v6.family == .ipv6Unicast)
        #expect(link.a.adjRIBIn.count(.ipv4Unicast) == 1 && link.a.adjRIBIn.count(.ipv6Unicast) == 1)
        #expect(link.a.adjRIBIn.endOfRIB == [.ipv4Unicast, .ipv6Unicast])
        #expect(link.actions(of: .b).contains(.endOfRIBReceived(.ipv6Unicast)))
    }

    // RFC 4271 §8 over TCP: the message boundaries of the stream never matter to the framer.
    @Test(arguments: [[1], [2], [3, 7], [18], [19], [20], [1, 5, 13, 64], [100_000]])
    func establishmentAndRoutesDoNotDependOnChunking(chunkSizes: [Int]) {
        let link = BGPLab.established(routesA: Self.routesA, routesB: Self.routesB, chunkSizes: chunkSizes)
        #expect(link.a.state == .established && link.b.state == .established)
        #expect(link.b.adjRIBIn.totalCount == 3 && link.a.adjRIBIn.totalCount == 2)
        #expect(link.a.lastError == nil && link.b.lastError == nil)
    }

    // RFC 4271 §8.2.2 (Established): counts by type, as `show bgp neighbors` reports them, agree
    // with what crossed the wire on both ends.
    @Test func messageCountsByTypeMatchTheWire() {
        var link = BGPLab.established(routesA: Self.routesA, routesB: Self.routesB)
        link.run(seconds: 65)
        let sentA = link.a.messagesSent
        #expect(sentA.open == 1)
        // One UPDATE for the two IPv4 prefixes (shared attributes), one for IPv6, two End-of-RIB.
        #expect(sentA.update == 4)
        #expect(sentA.keepalive == 1 + 2)  // the OPEN's confirmation, then at 30 s and 60 s
        #expect(sentA == link.b.messagesReceived)
        #expect(link.b.messagesSent == link.a.messagesReceived)
        #expect(link.sent(by: .a).count == sentA.total)
    }

    // RFC 4271 §9 / RFC 4760 §4: withdrawals (IPv4 Withdrawn Routes, IPv6 MP_UNREACH_NLRI) leave the
    // peer's Adj-RIB-In; announcing at runtime adds to it.
    @Test func withdrawAndAnnounceAtRuntimeUpdateThePeersAdjRIBIn() throws {
        var link = BGPLab.established(routesA: Self.routesA, chunkSizes: [3])
        link.input(.a) { speaker, now in
            speaker.withdraw([BGPLab.prefix("10.1.0.0", 16), BGPLab.prefix("2001:db8:a::", 48)], now: now)
        }
        #expect(link.b.adjRIBIn.count(.ipv4Unicast) == 1 && link.b.adjRIBIn.count(.ipv6Unicast) == 0)
        #expect(link.actions(of: .b).contains(.routesWithdrawn([BGPLab.prefix("10.1.0.0", 16)])))
        #expect(link.actions(of: .b).contains(.routesWithdrawn([BGPLab.prefix("2001:db8:a::", 48)])))
        #expect(link.a.originatedRoutes.count == 1)

        link.input(.a) { speaker, now in
            try! speaker.announce([BGPLab.route("2001:db8:c::", 64, via: "2001:db8::1"),
                                   BGPRoute(prefix: BGPLab.prefix("10.3.0.0", 16), nextHop: IPAddress("192.0.2.1")!,
                                            med: 50, communities: [65001 << 16 | 7])], now: now)
        }
        #expect(link.b.adjRIBIn.count(.ipv4Unicast) == 2 && link.b.adjRIBIn.count(.ipv6Unicast) == 1)
        let route = try #require(link.b.adjRIBIn.route(BGPLab.prefix("10.3.0.0", 16)))
        #expect(route.med == 50 && route.communities == [65001 << 16 | 7])
        #expect(link.a.state == .established && link.b.state == .established)
    }

    // RFC 4271 §4.4 and §10: KEEPALIVEs every third of the negotiated hold time (the smaller one, §4.2).
    @Test func keepalivesAreSentEveryThirdOfTheNegotiatedHoldTime() {
        var link = BGPLab.established(holdA: 90, holdB: 30)
        #expect(link.a.negotiated?.holdTimeSeconds == 30 && link.b.negotiated?.keepaliveTimeSeconds == 10)
        link.run(seconds: 100)
        for side in BGPBackToBack.Side.allCases {
            let times = link.keepaliveTimes(of: side)
            #expect(times == (0...10).map { Int64($0) * 10 * second }, "\(side)")
        }
        #expect(link.a.state == .established && link.b.state == .established)
    }

    // RFC 4271 §10: jitter multiplies ConnectRetry and Keepalive intervals by a factor in [0.75, 1.0].
    @Test func jitteredKeepalivesStayBetweenThreeQuartersAndAllOfTheInterval() throws {
        var a = BGPLab.speaker(hold: 30)
        a.jitterSeed = 42
        var link = BGPBackToBack(a, BGPLab.speaker(as: 65002, peer: 65001, id: BGPLab.routerB, hold: 30, passive: true))
        link.start()
        link.run(seconds: 300)
        let times = link.keepaliveTimes(of: .a).dropFirst()  // the first answers the OPEN
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.count >= 29)
        #expect(gaps.allSatisfy { $0 >= 7_500_000_000 && $0 <= 10 * second })
        #expect(Set(gaps).count > 1)
        #expect(link.b.state == .established)
    }

    // RFC 4271 §6.5 and §8.2.2 (HoldTimer_Expires, Event 10): a silent peer gets Hold Timer Expired
    // exactly one hold time after its last KEEPALIVE or UPDATE.
    @Test func silentPeerGetsHoldTimerExpiredExactlyAtTheHoldTime() {
        var link = BGPLab.established(holdA: 30, holdB: 30)
        link.run(seconds: 25)  // B's last KEEPALIVE went out at 20 s
        link.frozen = [.b]
        link.run(seconds: 60)
        #expect(link.notificationsSent(by: .a) == [BGPNotification(code: 4, subcode: 0)])
        let expiry = link.log.first { $0.side == .a && $0.action == .error(.notificationSent(BGPNotification(code: 4, subcode: 0))) }
        #expect(expiry?.time == 50 * second)
        #expect(link.a.lastError == .notificationSent(BGPNotification(code: 4, subcode: 0)))
        #expect(link.a.state == .idle && link.states(of: .a).last == .idle)
    }

    // RFC 4271 §4.2 and §8.2.2: a hold time of 0 on either side means no KEEPALIVEs and no HoldTimer.
    @Test(arguments: [(UInt16(0), UInt16(0)), (0, 90), (90, 0)])
    func holdTimeZeroMeansNoKeepalivesAndNoHoldTimer(holdA: UInt16, holdB: UInt16) {
        var link = BGPLab.established(holdA: holdA, holdB: holdB)
        #expect(link.a.negotiated?.holdTimeSeconds == 0 && link.b.negotiated?.keepaliveTimeSeconds == 0)
        #expect(link.a.nextDeadline == nil && link.b.nextDeadline == nil)
        link.run(seconds: 3600)
        #expect(link.keepaliveTimes(of: .a) == [0] && link.keepaliveTimes(of: .b) == [0])
        #expect(link.a.state == .established && link.b.state == .established)
    }

    // RFC 9384 §3 (Cease subcode 10, BFD Down) on the wire; the peer records it (RFC 4271 §6.4).
    @Test func bfdDownSendsCeaseBFDDownAndThePeerRecordsIt() {
        var link = BGPLab.established(routesA: Self.routesA, routesB: Self.routesB, chunkSizes: [1])
        link.input(.a) { speaker, now in speaker.bfdDown(now: now) }
        let bfdDown = BGPNotification(code: 6, subcode: 10)
        #expect(link.notificationsSent(by: .a) == [bfdDown])
        #expect(bfdDown.subcodeName == "BFD Down")
        #expect(link.notificationsReceived(by: .b) == [bfdDown])
        #expect(link.b.lastError == .notificationReceived(bfdDown))
        #expect(link.a.state == .idle && link.b.state == .idle)
        #expect(link.b.adjRIBIn.totalCount == 0)
        #expect(link.actions(of: .b).contains { if case .routesWithdrawn(let p) = $0 { p.count == 3 } else { false } })
    }

    // RFC 4271 §8.2.2 (ManualStop), RFC 4486 §3 (Cease/Administrative Shutdown), RFC 9003 §2
    // (shutdown communication: a length octet then UTF-8).
    @Test func manualStopSendsAdministrativeShutdownWithItsCommunication() {
        var link = BGPLab.established(chunkSizes: [2])
        link.input(.a) { speaker, now in speaker.stop(now: now, shutdownCommunication: "maintenance — ticket 42") }
        let received = try! #require(link.notificationsReceived(by: .b).first)
        #expect(received.code == 6 && received.subcode == 2)
        #expect(received.shutdownCommunication == "maintenance — ticket 42")
        #expect(link.a.state == .idle && link.a.nextDeadline == nil && link.a.connectRetryCounter == 0)
        // B was not stopped: its automatic restart listens again after ConnectRetryTime.
        #expect(link.b.nextDeadline == link.now + 120 * second)
    }

    // RFC 9003 §2: the communication is at most 255 octets; cut on a character boundary.
    @Test func shutdownCommunicationIsCutToTwoHundredFiftyFiveOctets() {
        var link = BGPLab.established()
        link.input(.a) { speaker, now in speaker.stop(now: now, shutdownCommunication: String(repeating: "é", count: 200)) }
        let data = try! #require(link.notificationsSent(by: .a).first?.data)
        #expect(data[0] == 254 && data.count == 255)
    }

    // RFC 4271 §8.2.1.1 (AutomaticStart, Event 3) with IdleHoldTime = ConnectRetryTime: after an
    // error both ends come back by themselves.
    @Test func sessionComesBackAfterConnectRetryTimeWithAutomaticRestart() {
        var link = BGPLab.established(routesA: Self.routesA)
        link.input(.a) { speaker, now in speaker.bfdDown(now: now) }
        link.run(seconds: 119)
        #expect(link.a.state == .idle)
        link.run(seconds: 2)
        #expect(link.a.state == .established && link.b.state == .established)
        #expect(link.a.establishedTransitions == 2 && link.b.adjRIBIn.totalCount == 3)
    }

    // RFC 6793 §4.1 and §9: a 4-octet AS goes in the capability with AS_TRANS in My AS, both ways.
    @Test func fourOctetASNumbersUseASTransInTheOpenBothWays() throws {
        var link = BGPBackToBack(
            BGPLab.speaker(as: 4_200_000_001, peer: 4_200_000_002, routes: [BGPLab.route("10.1.0.0", 16, via: "192.0.2.1")]),
            BGPLab.speaker(as: 4_200_000_002, peer: 4_200_000_001, id: BGPLab.routerB, passive: true,
                           routes: [BGPLab.route("10.9.0.0", 16, via: "192.0.2.2")]))
        link.start()
        for side in BGPBackToBack.Side.allCases {
            guard case .open(let open) = try #require(link.sent(by: side).first?.message) else {
                Issue.record("first message is not an OPEN"); continue
            }
            #expect(open.myAS == 23456)
            #expect(open.capabilities.contains(.fourOctetAS(side == .a ? 4_200_000_001 : 4_200_000_002)))
        }
        #expect(link.a.negotiated?.peerAS == 4_200_000_002 && link.b.negotiated?.peerAS == 4_200_000_001)
        #expect(link.b.adjRIBIn.route(BGPLab.prefix("10.1.0.0", 16))?.asPath == [4_200_000_001])
        #expect(link.a.adjRIBIn.route(BGPLab.prefix("10.9.0.0", 16))?.asPath == [4_200_000_002])
    }

    // RFC 6793 §4.2.2 and §4.2.3: towards a 2-octet speaker, AS_TRANS in AS_PATH and the real path
    // in AS4_PATH, which the receiver merges back.
    @Test func largeASTowardATwoOctetPeerUsesASTransAndAS4Path() throws {
        var link = BGPBackToBack(
            BGPLab.speaker(as: 4_200_000_001, peer: 65002, routes: [BGPLab.route("10.1.0.0", 16, via: "192.0.2.1")]),
            BGPLab.speaker(as: 65002, peer: 23456, id: BGPLab.routerB, passive: true, fourOctetAS: false,
                           routes: [BGPLab.route("10.9.0.0", 16, via: "192.0.2.2")]))
        link.start()
        #expect(link.a.state == .established && link.a.negotiated?.fourOctetAS == false)
        let twoOctet = BGPDecodingOptions(fourOctetAS: false)
        let update = link.sent(by: .a, options: twoOctet).compactMap { entry -> BGPUpdate? in
            if case .update(let update) = entry.message, !update.announced.isEmpty { update } else { nil }
        }.first
        let attributes = try #require(update).attributes.map(\.value)
        #expect(attributes.contains(.asPath([BGPASPathSegment(type: 2, asns: [23456])])))
        #expect(attributes.contains(.as4Path([BGPASPathSegment(type: 2, asns: [4_200_000_001])])))
        #expect(link.b.adjRIBIn.route(BGPLab.prefix("10.1.0.0", 16))?.asPath == [4_200_000_001])
        #expect(link.a.adjRIBIn.route(BGPLab.prefix("10.9.0.0", 16))?.asPath == [65002])
    }
}
