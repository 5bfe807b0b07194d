import PeerscopeWire

/// What the rules see for each control packet: the packet, the session it joined, and the facts
/// that were true just before it (the sender's previous packet, the peer's latest one, the interval
/// in force) — computed once here so no rule repeats the bookkeeping.
public struct BFDPacketContext: Sendable {
    public var sessionID: Int
    /// 0 = side A, 1 = side B.
    public var side: Int
    public var observation: BFDObservation
    /// The same side's previous packet in this session.
    public var previous: BFDObservation?
    /// The peer's latest packet before this one.
    public var peerLast: BFDObservation?
    /// Part of the periodic schedule: not a Final, and the same content as the previous packet.
    public var isPeriodic: Bool
    /// The gap since the previous packet, when both it and this one are periodic.
    public var periodicGapNanoseconds: Int64?
    /// The negotiated interval this side transmits at, in force before this packet.
    public var negotiatedTxInterval: Microseconds?
    /// False when the peer has not been seen, so the interval is only the sender's Desired Min TX.
    public var peerParametersKnown: Bool
    /// The Poll (from the peer) that this packet's Final answers.
    public var answeredPoll: PacketMark?
}

/// Demultiplexes BFD control packets into sessions (RFC 5880 §6.3 from the outside): by transport,
/// address pair and discriminators; packets with Your Discriminator 0 join by address pair and the
/// sender's discriminator. A side that comes back with a new discriminator starts a new session
/// linked to the old one. Memory grows with sessions and state changes, never with packets, and
/// sessions are capped (`maxSessions`): at the cap the least recently seen session is folded into
/// `folded` (issue 12 item 5), its storage slot reused. A folded session seen again starts fresh.
public struct BFDSessionTracker: Sendable {
    /// Storage: one live session per slot. In ID order until the first fold; see `trackedSessions`.
    public private(set) var sessions: [BFDSession] = []
    public private(set) var unattachedEchoPackets = 0

    private struct PairKey: Hashable {
        var transport: BFDTransport
        var low: IPAddress
        var high: IPAddress
    }

    /// The slots of an address pair's sessions, oldest first. A folded session leaves a tombstone
    /// (-1) that is compacted away, so folding one is O(1) amortised, wherever it sits.
    private struct PairSessions {
        var slots: [Int] = []
        /// Entries removed from the front so far: `slots[i]` is entry number `dropped + i`.
        var dropped = 0
        var live = 0
        var lastID = 0
    }

    private var pairs: [PairKey: PairSessions] = [:]
    /// Per slot: its pair, and its entry number in the pair's list.
    private var slotPairs: [PairKey] = []
    private var slotEntries: [Int] = []
    /// Each session's two discriminators (nil until that side is seen), kept beside the sessions so
    /// demultiplexing never touches (or copies) a whole session.
    private var discriminators: [(UInt32?, UInt32?)] = []
    private var byAddress: [IPAddress: Int] = [:]
    private var recency = RecencyList()
    private var nextID = 1
    /// How many of an address pair's latest sessions a packet is matched against. A pair with more
    /// (a peer restarting with a fresh discriminator over and over, or a forged flood) would make
    /// every packet scan them all: quadratic time. Older sessions on the pair are finished in practice.
    public let candidateWindow: Int
    /// Packets that found more sessions on their pair than `candidateWindow` and were matched only
    /// against the latest ones.
    public private(set) var packetsBeyondWindow = 0
    /// Most sessions held at once.
    public let maxSessions: Int
    /// Sessions folded away at the cap, with what they carried.
    public private(set) var folded = FoldedSessions()

    public init(candidateWindow: Int = 256, maxSessions: Int = StateLimits.defaultMaxSessions) {
        self.candidateWindow = max(1, candidateWindow)
        self.maxSessions = max(1, maxSessions)
    }

    /// The sessions held, in ID order (what reports list).
    public var trackedSessions: [BFDSession] {
        folded.sessions == 0 ? sessions : sessions.sorted { $0.id < $1.id }
    }

    /// Feeds one control packet. `body` sees the packet in its session; `fold` sees each session
    /// folded away at the cap to make room, before its slot is reused.
    public mutating func observe(_ observation: BFDObservation,
                                 _ body: (BFDPacketContext, BFDSession) -> Void = { _, _ in },
                                 fold: (BFDSession) -> Void = { _ in }) {
        let slot = observation.source < observation.destination ? 0 : 1
        let index = sessionIndex(for: observation, slot: slot, fold: fold)
        recency.touch(index)
        if slot == 0 { discriminators[index].0 = observation.packet.myDiscriminator } else {
            discriminators[index].1 = observation.packet.myDiscriminator
        }
        let context = sessions[index].record(observation, slot: slot)
        // Lent through a buffer pointer so the session is borrowed, not copied, for the rules.
        sessions.withUnsafeBufferPointer { body(context, $0[index]) }
    }

    /// Echo packets (RFC 5881 §4) are addressed by the sender to itself; they count toward the
    /// latest session that has the sender's address as one of its ends.
    public mutating func observeEcho(source: IPAddress, destination: IPAddress) {
        if let index = byAddress[source] ?? byAddress[destination] {
            sessions[index].echoPackets += 1
        } else {
            unattachedEchoPackets += 1
        }
    }

    private mutating func sessionIndex(for observation: BFDObservation, slot: Int, fold: (BFDSession) -> Void) -> Int {
        let key = PairKey(transport: observation.transport,
                          low: min(observation.source, observation.destination),
                          high: max(observation.source, observation.destination))
        // Matched in a function of its own: the pair's slot list it reads is released before a new
        // session appends to that list, which otherwise copies it whole (quadratic under a flood).
        if let found = candidate(key: key, observation: observation, slot: slot) { return found }
        return newSession(key: key, observation: observation, fold: fold)
    }

    @inline(never)
    private mutating func candidate(key: PairKey, observation: BFDObservation, slot: Int) -> Int? {
        let mine = observation.packet.myDiscriminator
        let yours = observation.packet.yourDiscriminator
        let all = pairs[key]?.slots ?? []
        if all.count > candidateWindow { packetsBeyondWindow += 1 }
        let candidates = all.suffix(candidateWindow).reversed()
        // Tombstones (-1) of folded sessions never match.
        func disc(_ index: Int, _ side: Int) -> UInt32?? {
            guard index >= 0 else { return .none }
            return .some(side == 0 ? discriminators[index].0 : discriminators[index].1)
        }

        if yours != 0 {
            if let found = candidates.first(where: { disc($0, slot) == mine && disc($0, 1 - slot) == yours }) {
                return found
            }
            if let found = candidates.first(where: { disc($0, slot) == mine && disc($0, 1 - slot) == .some(nil) }) {
                return found
            }
            if let found = candidates.first(where: { disc($0, 1 - slot) == yours && disc($0, slot) == .some(nil) }) {
                return found
            }
            // The same sender naming a discriminator its peer never used: keep it in its session,
            // where the reflection rule can see the mismatch.
            if let found = candidates.first(where: { disc($0, slot) == mine }) { return found }
        } else {
            if let found = candidates.first(where: { disc($0, slot) == mine }) { return found }
            if let found = candidates.first(where: { disc($0, slot) == .some(nil) }) { return found }
        }
        return nil
    }

    private mutating func newSession(key: PairKey, observation: BFDObservation, fold: (BFDSession) -> Void) -> Int {
        let id = nextID
        nextID += 1
        let previous = pairs[key].map(\.lastID)
        let session = BFDSession(id: id, transport: observation.transport, previous: previous)
        let index: Int
        if sessions.count < maxSessions {
            index = sessions.count
            sessions.append(session)
            discriminators.append((nil, nil))
            slotPairs.append(key)
            slotEntries.append(0)
            recency.append()
            folded.peakTracked = sessions.count
        } else {
            // At the cap: the session seen longest ago makes room (O(1), no scan).
            index = recency.leastRecent ?? 0
            release(index, fold: fold)
            sessions[index] = session
            discriminators[index] = (nil, nil)
            slotPairs[index] = key
        }
        var pair = pairs.removeValue(forKey: key) ?? PairSessions()
        slotEntries[index] = pair.dropped + pair.slots.count
        pair.slots.append(index)
        pair.live += 1
        pair.lastID = id
        pairs[key] = pair
        byAddress[observation.source] = index
        byAddress[observation.destination] = index
        return index
    }

    /// Folds the session in `index` into `folded` and forgets every reference to its slot.
    private mutating func release(_ index: Int, fold: (BFDSession) -> Void) {
        let session = sessions[index]
        folded.sessions += 1
        folded.packets += session.packets
        folded.events += session.events.count
        fold(session)
        let key = slotPairs[index]
        if var pair = pairs.removeValue(forKey: key) {
            pair.live -= 1
            if pair.live > 0 {
                pair.slots[slotEntries[index] - pair.dropped] = -1
                // Compacted once tombstones outnumber the living: O(1) amortised per fold.
                if pair.slots.count > 2 * pair.live + 16 { compact(&pair) }
                pairs[key] = pair
            }
        }
        for address in [key.low, key.high] where byAddress[address] == index {
            byAddress[address] = nil
        }
    }

    private mutating func compact(_ pair: inout PairSessions) {
        pair.dropped += pair.slots.count
        pair.slots.removeAll { $0 < 0 }
        pair.dropped -= pair.slots.count
        for (offset, slot) in pair.slots.enumerated() { slotEntries[slot] = pair.dropped + offset }
    }
}

extension BFDSession {
    /// Adds one packet to the side in `slot`, records what changed, and returns the rule context.
    mutating func record(_ observation: BFDObservation, slot: Int) -> BFDPacketContext {
        defer {
            let parameters = BFDParameters(observation.packet)
            if slot == 0 { self.parameters.0 = parameters } else { self.parameters.1 = parameters }
        }
        let negotiated = negotiatedTxInterval(from: slot)
        var context = BFDPacketContext(sessionID: id, side: slot, observation: observation, previous: nil,
                                       peerLast: sides[1 - slot]?.last, isPeriodic: false,
                                       periodicGapNanoseconds: nil,
                                       negotiatedTxInterval: negotiated?.interval,
                                       peerParametersKnown: negotiated?.peerKnown ?? false, answeredPoll: nil)
        func event(_ kind: BFDEvent.Kind) {
            events.append(BFDEvent(frameNumber: observation.frameNumber, timeNanoseconds: observation.timeNanoseconds,
                                   side: slot, kind: kind))
        }

        guard (slot == 0 ? parameters.0 : parameters.1) != nil else {
            let side = BFDSide(observation)
            side.packets = 1
            side.lastPeriodicFrame = observation.frameNumber
            if observation.packet.state == .up {
                side.timesUp = 1
                side.upSinceNanoseconds = observation.timeNanoseconds
            }
            if observation.packet.poll { side.outstandingPoll = PacketMark(observation) }
            sides[slot] = side
            event(.firstSeen(state: observation.packet.state, diagnostic: observation.packet.diagnostic,
                             parameters: BFDParameters(observation.packet)))
            if observation.packet.poll { event(.poll) }
            context.isPeriodic = !observation.packet.final
            return context
        }

        let answeredPoll = observation.packet.final ? sides[1 - slot]?.outstandingPoll : nil
        if observation.packet.final { sides[1 - slot]?.outstandingPoll = nil }
        context.answeredPoll = answeredPoll
        // The side is updated in place: copying it (and its gap histogram) per packet is the
        // single largest cost of the analysis otherwise.
        let eventsBefore = events.count
        Self.update(sides[slot]!, with: observation, negotiated: negotiated?.interval, answeredPoll: answeredPoll,
                    context: &context, events: &events)
        // A state change keeps the detection time that was in force just before it (the packet's
        // own new timers apply only from now on).
        if events.count > eventsBefore, case .stateChange = events[eventsBefore].kind {
            events[eventsBefore].detectionTimeInForce = slot == 0 ? upDetection.1 : upDetection.0
        }
        // While both ends are Up, remember the detection times: after a one-way loss the capture
        // may show the silent side's later (slower) timers that the other side never received.
        if observation.packet.state == .up, sides[1 - slot]?.state == .up {
            upDetection = (detectionTime(forPacketsFrom: 0), detectionTime(forPacketsFrom: 1))
        }
        return context
    }

    private static func update(_ side: BFDSide, with observation: BFDObservation, negotiated: Microseconds?,
                               answeredPoll: PacketMark?, context: inout BFDPacketContext, events: inout [BFDEvent]) {
        func event(_ kind: BFDEvent.Kind) {
            events.append(BFDEvent(frameNumber: observation.frameNumber, timeNanoseconds: observation.timeNanoseconds,
                                   side: context.side, kind: kind))
        }
        // The previous packet is read where it lies, in the side, until the side takes this one at
        // the end; the context gets the one copy the rules read.
        context.previous = side.last
        if side.last.packet.state != observation.packet.state {
            event(.stateChange(from: side.last.packet.state, to: observation.packet.state,
                               diagnostic: observation.packet.diagnostic))
            events[events.count - 1].peerLastHeard = context.peerLast.map(PacketMark.init)
            side.stateChanges += 1
            if observation.packet.state == .up {
                side.timesUp += 1
                side.upSinceNanoseconds = observation.timeNanoseconds
            } else if side.last.packet.state == .up {
                side.upSinceNanoseconds = nil
                side.lastDownDiagnostic = observation.packet.diagnostic
            }
        }
        let parameters = BFDParameters(observation.packet)
        if parameters != side.parameters { event(.parametersChanged(from: side.parameters, to: parameters)) }
        if side.last.packet.yourDiscriminator != observation.packet.yourDiscriminator {
            event(.yourDiscriminator(from: side.last.packet.yourDiscriminator,
                                     to: observation.packet.yourDiscriminator))
        }
        if side.last.sourcePort != observation.sourcePort {
            event(.sourcePortChanged(from: side.last.sourcePort, to: observation.sourcePort))
        }
        if side.last.packet.authentication?.type != observation.packet.authentication?.type
            || side.last.packet.authentication?.keyID != observation.packet.authentication?.keyID {
            event(.authentication(from: BFDSession.authSummary(side.last.packet),
                                  to: BFDSession.authSummary(observation.packet)))
        }
        if observation.packet.poll, !side.last.packet.poll {
            event(.poll)
            side.outstandingPoll = PacketMark(observation)
        }
        if observation.packet.final {
            event(.final(pollFrame: answeredPoll?.frameNumber,
                         latencyNanoseconds: answeredPoll.map { observation.timeNanoseconds - $0.timeNanoseconds }))
        }

        context.isPeriodic = !observation.packet.final && observation.sameContent(as: side.last)
        if context.isPeriodic, side.lastPeriodicFrame == side.last.frameNumber {
            let gap = observation.timeNanoseconds - side.last.timeNanoseconds
            context.periodicGapNanoseconds = gap
            if let negotiated { side.gaps.add(gapNanoseconds: gap, intervalMicroseconds: negotiated) }
        }
        if context.isPeriodic { side.lastPeriodicFrame = observation.frameNumber }
        side.packets += 1
        side.last = observation
        side.ttlMinimum = min(side.ttlMinimum, observation.ttl)
        side.ttlMaximum = max(side.ttlMaximum, observation.ttl)
        side.sourcePort = observation.sourcePort
    }

    static func authSummary(_ packet: BFDControlPacket) -> String {
        guard let auth = packet.authentication else { return "none" }
        return "\(auth.type) key \(auth.keyID)"
    }
}
