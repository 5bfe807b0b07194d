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
/// linked to the old one. Memory grows with sessions and state changes, never with packets.
public struct BFDSessionTracker: Sendable {
    public private(set) var sessions: [BFDSession] = []
    public private(set) var unattachedEchoPackets = 0

    private struct PairKey: Hashable {
        var transport: BFDTransport
        var low: IPAddress
        var high: IPAddress
    }

    private var pairs: [PairKey: [Int]] = [:]
    /// Each session's two discriminators (nil until that side is seen), kept beside the sessions so
    /// demultiplexing never touches (or copies) a whole session.
    private var discriminators: [(UInt32?, UInt32?)] = []
    private var byAddress: [IPAddress: Int] = [:]
    /// How many of an address pair's latest sessions a packet is matched against. A pair with more
    /// (a peer restarting with a fresh discriminator over and over, or a forged flood) would make
    /// every packet scan them all: quadratic time. Older sessions on the pair are finished in practice.
    public let candidateWindow: Int
    /// Packets that found more sessions on their pair than `candidateWindow` and were matched only
    /// against the latest ones.
    public private(set) var packetsBeyondWindow = 0

    public init(candidateWindow: Int = 256) {
        self.candidateWindow = max(1, candidateWindow)
    }

    public mutating func observe(_ observation: BFDObservation, _ body: (BFDPacketContext, BFDSession) -> Void = { _, _ in }) {
        let slot = observation.source < observation.destination ? 0 : 1
        let index = sessionIndex(for: observation, slot: slot)
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

    private mutating func sessionIndex(for observation: BFDObservation, slot: Int) -> Int {
        let key = PairKey(transport: observation.transport,
                          low: min(observation.source, observation.destination),
                          high: max(observation.source, observation.destination))
        let mine = observation.packet.myDiscriminator
        let yours = observation.packet.yourDiscriminator
        let all = pairs[key] ?? []
        if all.count > candidateWindow { packetsBeyondWindow += 1 }
        let candidates = all.suffix(candidateWindow).reversed()
        func disc(_ index: Int, _ side: Int) -> UInt32? { side == 0 ? discriminators[index].0 : discriminators[index].1 }

        if yours != 0 {
            if let found = candidates.first(where: { disc($0, slot) == mine && disc($0, 1 - slot) == yours }) {
                return found
            }
            if let found = candidates.first(where: { disc($0, slot) == mine && disc($0, 1 - slot) == nil }) {
                return found
            }
            if let found = candidates.first(where: { disc($0, 1 - slot) == yours && disc($0, slot) == nil }) {
                return found
            }
            // The same sender naming a discriminator its peer never used: keep it in its session,
            // where the reflection rule can see the mismatch.
            if let found = candidates.first(where: { disc($0, slot) == mine }) { return found }
        } else {
            if let found = candidates.first(where: { disc($0, slot) == mine }) { return found }
            if let found = candidates.first(where: { disc($0, slot) == nil }) { return found }
        }
        return newSession(key: key, observation: observation)
    }

    private mutating func newSession(key: PairKey, observation: BFDObservation) -> Int {
        let index = sessions.count
        sessions.append(BFDSession(id: index + 1, transport: observation.transport,
                                   previous: pairs[key]?.last.map { sessions[$0].id }))
        pairs[key, default: []].append(index)
        discriminators.append((nil, nil))
        byAddress[observation.source] = index
        byAddress[observation.destination] = index
        return index
    }
}

extension BFDSession {
    /// Adds one packet to the side in `slot`, records what changed, and returns the rule context.
    mutating func record(_ observation: BFDObservation, slot: Int) -> BFDPacketContext {
        let packet = observation.packet
        defer {
            if slot == 0 { parameters.0 = BFDParameters(packet) } else { parameters.1 = BFDParameters(packet) }
        }
        let peerLast = sides[1 - slot]?.last
        let negotiated = negotiatedTxInterval(from: slot)
        var context = BFDPacketContext(sessionID: id, side: slot, observation: observation, previous: nil,
                                       peerLast: peerLast, isPeriodic: false, periodicGapNanoseconds: nil,
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
            if packet.state == .up {
                side.timesUp = 1
                side.upSinceNanoseconds = observation.timeNanoseconds
            }
            if packet.poll { side.outstandingPoll = PacketMark(observation) }
            sides[slot] = side
            event(.firstSeen(state: packet.state, diagnostic: packet.diagnostic, parameters: BFDParameters(packet)))
            if packet.poll { event(.poll) }
            context.isPeriodic = !packet.final
            return context
        }

        let answeredPoll = packet.final ? sides[1 - slot]?.outstandingPoll : nil
        if packet.final { sides[1 - slot]?.outstandingPoll = nil }
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
        if packet.state == .up, sides[1 - slot]?.state == .up {
            upDetection = (detectionTime(forPacketsFrom: 0), detectionTime(forPacketsFrom: 1))
        }
        return context
    }

    private static func update(_ side: BFDSide, with observation: BFDObservation, negotiated: Microseconds?,
                               answeredPoll: PacketMark?, context: inout BFDPacketContext, events: inout [BFDEvent]) {
        let packet = observation.packet
        func event(_ kind: BFDEvent.Kind) {
            events.append(BFDEvent(frameNumber: observation.frameNumber, timeNanoseconds: observation.timeNanoseconds,
                                   side: context.side, kind: kind))
        }
        let previous = side.last
        context.previous = previous
        if previous.packet.state != packet.state {
            event(.stateChange(from: previous.packet.state, to: packet.state, diagnostic: packet.diagnostic))
            events[events.count - 1].peerLastHeard = context.peerLast.map(PacketMark.init)
            side.stateChanges += 1
            if packet.state == .up {
                side.timesUp += 1
                side.upSinceNanoseconds = observation.timeNanoseconds
            } else if previous.packet.state == .up {
                side.upSinceNanoseconds = nil
                side.lastDownDiagnostic = packet.diagnostic
            }
        }
        let parameters = BFDParameters(packet)
        if parameters != side.parameters { event(.parametersChanged(from: side.parameters, to: parameters)) }
        if previous.packet.yourDiscriminator != packet.yourDiscriminator {
            event(.yourDiscriminator(from: previous.packet.yourDiscriminator, to: packet.yourDiscriminator))
        }
        if previous.sourcePort != observation.sourcePort {
            event(.sourcePortChanged(from: previous.sourcePort, to: observation.sourcePort))
        }
        if previous.packet.authentication?.type != packet.authentication?.type
            || previous.packet.authentication?.keyID != packet.authentication?.keyID {
            event(.authentication(from: BFDSession.authSummary(previous.packet), to: BFDSession.authSummary(packet)))
        }
        if packet.poll, !previous.packet.poll {
            event(.poll)
            side.outstandingPoll = PacketMark(observation)
        }
        if packet.final {
            event(.final(pollFrame: answeredPoll?.frameNumber,
                         latencyNanoseconds: answeredPoll.map { observation.timeNanoseconds - $0.timeNanoseconds }))
        }

        context.isPeriodic = !packet.final && observation.sameContent(as: previous)
        if context.isPeriodic, side.lastPeriodicFrame == previous.frameNumber {
            let gap = observation.timeNanoseconds - previous.timeNanoseconds
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
