import PeerscopeWire

/// Builds BGP sessions from TCP segments to or from port 179: one session per TCP connection,
/// sides ordered by address, with what each side sent, the peer's Adj-RIB-In rebuilt from the
/// UPDATEs, and how the session ended. Memory follows sessions and routes, not packets; connections
/// are capped (`maxSessions`): at the cap the least recently seen one is folded into `folded` with
/// its reassembly buffers (issue 12 item 5) and its storage slot reused. Seen again, it starts fresh.
public struct BGPSessionTracker: Sendable {
    private struct ConnectionKey: Hashable {
        var low: IPAddress
        var lowPort: UInt16
        var high: IPAddress
        var highPort: UInt16

        /// The key of the connection a packet from `sender` to `receiver` belongs to, and whether
        /// the sender is its low side (side A).
        static func between(_ sender: (IPAddress, UInt16), _ receiver: (IPAddress, UInt16)) -> (ConnectionKey, forward: Bool) {
            sender < receiver
                ? (ConnectionKey(low: sender.0, lowPort: sender.1, high: receiver.0, highPort: receiver.1), true)
                : (ConnectionKey(low: receiver.0, lowPort: receiver.1, high: sender.0, highPort: sender.1), false)
        }
    }

    private struct AddressPair: Hashable {
        var low: IPAddress
        var high: IPAddress
    }

    /// Storage: one connection per slot. In ID order until the first fold; see `trackedSessions`.
    public private(set) var sessions: [BGPSession] = []
    private var streams: BGPStreamTracker
    private var open: [ConnectionKey: Int] = [:]
    /// The ID of the latest session on each address pair (what a new one links back to).
    private var latestOnPair: [AddressPair: Int] = [:]
    /// Per slot: the connection it holds.
    private var slotKeys: [ConnectionKey] = []
    private var recency = RecencyList()
    private var nextID = 1
    /// Most connections held at once.
    public let maxSessions: Int
    /// Connections folded away at the cap (`packets` counts their BGP messages).
    public private(set) var folded = FoldedSessions()
    /// Directions dropped beyond the cap that had produced no session yet (their bytes, at most a
    /// partial message or a pure ACK, are lost to the analysis).
    public private(set) var unheldDirectionsDropped = 0
    /// UPDATEs from one side closer together than this fold into one timeline event.
    public static let burstWindowNanoseconds: Int64 = 1_000_000_000

    public init(bufferLimit: Int = 1 << 20, limits: StateLimits = StateLimits()) {
        streams = BGPStreamTracker(bufferLimit: bufferLimit, totalBufferLimit: limits.maxReassemblyBytes)
        maxSessions = limits.maxSessions
    }

    public var holes: Int { streams.holes }
    /// TCP directions the reassembly follows (at most two per connection held, plus up to twice
    /// the cap of directions that carried nothing for a session).
    public var reassemblyDirections: Int { streams.directionCount }
    /// Out-of-order data given up because the total reassembly cap was reached.
    public var reassemblyCap: BGPStreamTracker.CapTally { streams.capTally }

    /// The connections held, in ID order (what reports list).
    public var trackedSessions: [BGPSession] {
        folded.sessions == 0 ? sessions : sessions.sorted { $0.id < $1.id }
    }

    /// Feeds one segment; `handle` sees every event after the session took it in, with the session
    /// and the sending side, so rules can judge it in context.
    public mutating func observe(frameNumber: Int, time: Int64, network: NetworkSummary, tcp: TCPHeader,
                                 payload: UnsafeRawBufferPointer,
                                 _ handle: (BGPStreamEvent, BGPSession, Int) -> Void = { _, _, _ in },
                                 fold: (BGPSession) -> Void = { _ in }) {
        let events = streams.segment(frameNumber: frameNumber, time: time, network: network, tcp: tcp, payload: payload)
        let (key, _) = ConnectionKey.between((network.source, tcp.sourcePort), (network.destination, tcp.destinationPort))
        guard !events.isEmpty else {
            if let index = open[key] {
                recency.touch(index)
            } else if streams.directionCount > 2 * maxSessions {
                // A segment of a connection no session holds (never opened here, or folded at the
                // cap) that completed nothing: beyond the cap such directions would pile up with
                // nothing to show for them (a flood of one partial segment per 4-tuple).
                streams.forget(key.low, key.lowPort, key.high, key.highPort)
                unheldDirectionsDropped += 1
            }
            return
        }
        let isNewConnection = tcp.flags.contains(.syn) && !tcp.flags.contains(.ack)
        var index = open[key]
        if index == nil || (isNewConnection && sessions[index!].teardown != nil) {
            index = newSession(key, fold: fold)
        }
        recency.touch(index!)
        if let option = tcp.authenticationOption {
            let sender = network.source == key.low && tcp.sourcePort == key.lowPort ? 0 : 1
            sessions[index!].sides[sender].tcpAuthentication = option
        }
        for event in events {
            // An ACK may release the other direction's data, so the side is the event's sender.
            let sender = event.source
            let side = (sender.0 == key.low && sender.1 == key.lowPort) ? 0 : 1
            apply(event, to: index!, side: side)
            handle(event, sessions[index!], side)
        }
    }

    private mutating func newSession(_ key: ConnectionKey, fold: (BGPSession) -> Void) -> Int {
        let pair = AddressPair(low: key.low, high: key.high)
        let session = BGPSession(id: nextID, previous: latestOnPair[pair], a: (key.low, key.lowPort), b: (key.high, key.highPort))
        nextID += 1
        let index: Int
        if sessions.count < maxSessions {
            index = sessions.count
            sessions.append(session)
            slotKeys.append(key)
            recency.append()
            folded.peakTracked = sessions.count
        } else {
            // At the cap: the connection seen longest ago makes room (O(1), no scan).
            index = recency.leastRecent ?? 0
            let old = sessions[index]
            let oldKey = slotKeys[index]
            folded.sessions += 1
            folded.packets += old.sides[0].messages.reduce(0, +) + old.sides[1].messages.reduce(0, +)
            folded.events += old.events.count
            fold(old)
            if open[oldKey] == index { open[oldKey] = nil }
            let oldPair = AddressPair(low: oldKey.low, high: oldKey.high)
            if latestOnPair[oldPair] == old.id, oldPair != pair { latestOnPair[oldPair] = nil }
            if oldKey != key { streams.forget(oldKey.low, oldKey.lowPort, oldKey.high, oldKey.highPort) }
            sessions[index] = session
            slotKeys[index] = key
        }
        open[key] = index
        latestOnPair[pair] = session.id
        return index
    }

    /// At the end of the capture: decodes what still waited behind a gap.
    public mutating func finish(_ handle: (BGPStreamEvent, BGPSession, Int) -> Void = { _, _, _ in }) {
        for event in streams.finish() {
            let (key, forward) = ConnectionKey.between(event.source, event.destination)
            guard let index = open[key] else { continue }
            // Already at the frame that carried it (BGPStreamTracker.finish).
            apply(event, to: index, side: forward ? 0 : 1)
            handle(event, sessions[index], forward ? 0 : 1)
        }
    }

    private mutating func apply(_ event: BGPStreamEvent, to index: Int, side: Int) {
        switch event {
        case .transport(let transport): apply(transport, to: index, side: side)
        case .message(let record): apply(record, to: index, side: side)
        }
    }

    private mutating func apply(_ transport: BGPTransportEvent, to index: Int, side: Int) {
        let mark = (frame: transport.frameNumber, time: transport.timeNanoseconds)
        switch transport.kind {
        case .connect:
            sessions[index].initiator = side
            sessions[index].connectTime = mark.time
            append(.connect, index, side, mark)
        case .accept:
            append(.accept, index, side, mark)
        case .fin:
            append(.fin, index, side, mark)
            closeIfOpen(index, side, mark, .fin)
        case .reset:
            append(.reset, index, side, mark)
            closeIfOpen(index, side, mark, .reset)
        case .hole(let missing, _):
            sessions[index].holes += 1
            append(.hole(missing: missing), index, side, mark)
        case .resynchronised, .conflict, .endsMidMessage:
            break
        }
    }

    private mutating func apply(_ record: BGPMessageRecord, to index: Int, side: Int) {
        let mark = (frame: record.frameNumber, time: record.timeNanoseconds)
        let peer = 1 - side
        // In place: copying a side (its route set and histories) per message was the largest cost.
        withSide(index, side) { me in
            me.ttlMinimum = min(me.ttlMinimum, record.ttl)
            me.ttlMaximum = max(me.ttlMaximum, record.ttl)
            if let last = me.lastMessage {
                let gap = mark.time - last.time
                if gap > me.longestGap?.nanoseconds ?? -1 { me.longestGap = (gap, last.frame, mark.frame) }
            }
            if me.firstMessage == nil { me.firstMessage = mark }
            me.lastMessage = mark
        }
        guard case .success(let message) = record.message else {
            sessions[index].sides[side].messages[0] += 1
            if case .failure(let error) = record.message { append(.malformed(error), index, side, mark) }
            return
        }
        let typeIndex = Int(message.type.rawValue)
        sessions[index].sides[side].messages[typeIndex < 6 ? typeIndex : 0] += 1
        switch message {
        case .open(let open):
            sessions[index].sides[side].open = open
            sessions[index].sides[side].openFrame = mark.frame
            append(.open(open), index, side, mark)
        case .keepalive:
            sessions[index].sides[side].keepalives.add(frame: mark.frame, time: mark.time)
            if sessions[index].sides[peer].open != nil, sessions[index].sides[side].open != nil {
                sessions[index].sides[side].confirmedOpen = true
                if sessions[index].sides[peer].confirmedOpen, sessions[index].establishedTime == nil {
                    sessions[index].establishedTime = mark.time
                    sessions[index].establishedFrame = mark.frame
                    append(.established(holdTimeSeconds: sessions[index].negotiatedHoldTime ?? 0), index, side, mark)
                }
            }
        case .update(let update):
            if let family = update.endOfRIB {
                sessions[index].sides[side].endOfRIB[family] = mark.time
                append(.endOfRIB(family), index, side, mark)
            } else {
                applyRoutes(update, index, side, mark)
            }
        case .notification(let notification):
            sessions[index].sides[side].lastNotification = notification
            append(.notification(notification), index, side, mark)
            closeIfOpen(index, side, mark, .notification(notification))
        case .routeRefresh(let family, let subtype):
            append(.routeRefresh(family, subtype: subtype), index, side, mark)
        case .unknown:
            break
        }
    }

    private mutating func applyRoutes(_ update: BGPUpdate, _ index: Int, _ side: Int, _ mark: (frame: Int, time: Int64)) {
        // Does this UPDATE continue the side's open burst of UPDATEs (one timeline event)?
        var burst: (event: Int, messages: Int, announced: Int, withdrawn: Int)?
        if let open = sessions[index].openBurst[side],
           case .updates(let messages, let plus, let minus, _) = sessions[index].events[open].kind,
           mark.time - sessions[index].events[open].timeNanoseconds < Self.burstWindowNanoseconds {
            burst = (open, messages, plus, minus)
        }
        // The side changes in place: copying it (its route set and histories) per UPDATE cost
        // retains and releases of every field.
        var counts = (announced: 0, withdrawn: 0, size: 0)
        withSide(index, side) { me in
            counts = Self.applyRoutes(update, to: &me, at: mark.time, continuingBurst: burst != nil)
        }
        if let burst {
            sessions[index].events[burst.event].kind = .updates(
                messages: burst.messages + 1, announced: burst.announced + counts.announced,
                withdrawn: burst.withdrawn + counts.withdrawn, ribSize: counts.size)
        } else {
            sessions[index].openBurst[side] = append(.updates(messages: 1, announced: counts.announced,
                                                              withdrawn: counts.withdrawn, ribSize: counts.size),
                                                     index, side, mark)
        }
    }

    /// The UPDATE's routes into the side's Adj-RIB-In and its size history; returns the routes it
    /// announced and withdrew and the RIB's size after it.
    private static func applyRoutes(_ update: BGPUpdate, to me: inout BGPSpeakerSide, at time: Int64,
                                    continuingBurst: Bool) -> (announced: Int, withdrawn: Int, size: Int) {
        // RFC 4271 §9: withdrawals first, then announcements; MP_UNREACH/MP_REACH carry the same
        // for other families (RFC 4760). No combined lists are built.
        var withdrawnCount = update.withdrawn.count
        var announcedCount = update.announced.count
        // Families this UPDATE changed; an UPDATE with only classic NLRI allocates nothing here.
        var touched: [BGPAddressFamily] = []
        me.routes.remove(contentsOf: update.withdrawn)
        for attribute in update.attributes {
            if case .mpUnreach(let family, let nlri) = attribute.value {
                withdraw(nlri, family: family, from: &me)
                withdrawnCount += nlri.count
                touched.append(family)
            }
        }
        me.routes.insert(contentsOf: update.announced)
        for attribute in update.attributes {
            if case .mpReach(let family, _, let nlri) = attribute.value {
                announce(nlri, family: family, into: &me)
                announcedCount += nlri.count
                touched.append(family)
            }
        }
        me.updatesAnnounced += announcedCount
        me.updatesWithdrawn += withdrawnCount
        for family in touched {
            let familySize = family == .ipv4Unicast ? me.routes.count - me.familyRIB.ipv6UnicastCount
                : family == .ipv6Unicast ? me.familyRIB.ipv6UnicastCount : me.familyRIB.count(family)
            me.familyRIB.record(family, size: familySize, at: time, burstWindow: burstWindowNanoseconds)
        }
        let size = me.routes.count + me.familyRIB.total
        let ipv4Size = me.routes.count - me.familyRIB.ipv6UnicastCount
        if continuingBurst, !me.ribHistory.isEmpty {
            me.ribHistory[me.ribHistory.count - 1].size = size
            me.ribHistory[me.ribHistory.count - 1].ipv4Unicast = ipv4Size
        } else {
            me.ribHistory.append((time, size, ipv4Size))
        }
        return (announcedCount, withdrawnCount, size)
    }

    /// Unicast MP routes join the IPv4 routes' set (the fast path); every other family goes to
    /// the per-family RIB by route key.
    private static func announce(_ nlri: [BGPNLRI], family: BGPAddressFamily, into me: inout BGPSpeakerSide) {
        let unicast = family.safi == 1 && family.encoding == .prefix
        for route in nlri {
            if unicast, case .prefix(let prefix) = route {
                if me.routes.insert(prefix), family.afi == 2 { me.familyRIB.ipv6UnicastCount += 1 }
            } else {
                me.familyRIB.announce(route, family: family)
            }
        }
    }

    private static func withdraw(_ nlri: [BGPNLRI], family: BGPAddressFamily, from me: inout BGPSpeakerSide) {
        let unicast = family.safi == 1 && family.encoding == .prefix
        for route in nlri {
            if unicast, case .prefix(let prefix) = route {
                if me.routes.remove(prefix), family.afi == 2 { me.familyRIB.ipv6UnicastCount -= 1 }
            } else {
                me.familyRIB.withdraw(route, family: family)
            }
        }
    }

    private mutating func withSide(_ index: Int, _ side: Int, _ body: (inout BGPSpeakerSide) -> Void) {
        body(&sessions[index].sides[side])
    }

    /// Adds an event in frame order and returns its index. Data released after a capture hole (by
    /// an ACK or at the end of the capture) carries its own, earlier frame, so it may land before
    /// events of the other side that were seen first.
    @discardableResult
    private mutating func append(_ kind: BGPEvent.Kind, _ index: Int, _ side: Int, _ mark: (frame: Int, time: Int64)) -> Int {
        if case .updates = kind {} else { sessions[index].openBurst[side] = nil }
        let event = BGPEvent(frameNumber: mark.frame, timeNanoseconds: mark.time, side: side, kind: kind)
        var position = sessions[index].events.count
        while position > 0, sessions[index].events[position - 1].frameNumber > mark.frame { position -= 1 }
        sessions[index].events.insert(event, at: position)
        for other in 0..<2 {
            if let burst = sessions[index].openBurst[other], burst >= position { sessions[index].openBurst[other] = burst + 1 }
        }
        return position
    }

    private mutating func closeIfOpen(_ index: Int, _ side: Int, _ mark: (frame: Int, time: Int64), _ cause: BGPTeardown.Cause) {
        guard sessions[index].teardown == nil else { return }
        sessions[index].teardown = BGPTeardown(side: side, frameNumber: mark.frame, timeNanoseconds: mark.time, cause: cause)
    }
}
