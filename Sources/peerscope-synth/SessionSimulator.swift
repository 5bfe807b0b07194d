import PeerscopeEndpoint
import PeerscopeWire

/// Plays a BFD session between two routers in virtual time and emits the frames each side sends:
/// the three-way handshake at the 1 s slow-start rate, a Poll to the fast timers, periodic packets
/// with the 0–25% random reduction of RFC 5880 §6.8.7, and on request a timer change, a silence,
/// or an AdminDown — enough to make captures that look like a real exchange. Every RFC 5880 fact
/// (slow start, negotiation, Detection Time, jitter bounds, the §6.2 transitions) comes from
/// PeerscopeEndpoint's model; what is the simulator's own is only the schedule of who speaks when.
struct SessionSimulator {
    struct Router {
        var address: IPAddress
        var port: UInt16
        var discriminator: UInt32
        var desiredTx: Microseconds
        var requiredRx: Microseconds
        var echoRx: Microseconds = 0
        var multiplier: UInt8 = 3
        var ttl: UInt8 = 255
        var state: BFDState = .down
        var yours: UInt32 = 0
        var diagnostic: BFDDiagnostic = .none
        var authentication: BFDAuthentication?
        var secret: [UInt8] = []
        var sequence: UInt32 = 1
        /// Silent from this time on (ns), e.g. its link or CPU died.
        var silentFrom: Int64 = .max
        var nextSend: Int64 = 0
        /// Switched to the configured timers by a completed Poll; until then (and whenever not Up)
        /// the 1 s slow-start rate applies.
        var fast = false

        var advertisedTx: Microseconds {
            BFDTimingModel.advertisedDesiredMinTx(configured: desiredTx, sessionUp: state == .up && fast)
        }
    }

    var routers: [Router]
    var transport: BFDTransport = .singleHop
    var shape: (inout FrameBuilder) -> Void = { _ in }
    var random: SplitMix
    var now: Int64 = 0
    var frames: [(time: Int64, bytes: [UInt8])] = []
    /// When a side declared its peer dead (diag 1), so a scenario can time what follows (BGP).
    var detectionExpiries: [(side: Int, time: Int64)] = []

    init(_ a: Router, _ b: Router, seed: UInt64) {
        routers = [a, b]
        random = SplitMix(seed: seed)
    }

    /// The interval `index` transmits at: max(own Desired Min TX, peer's Required Min RX), and at
    /// least 1 s while not Up (slow start, §6.8.3).
    func interval(_ index: Int) -> Int64 {
        Int64(BFDTimingModel.transmitInterval(desiredMinTx: routers[index].advertisedTx,
                                              remoteMinRx: routers[1 - index].requiredRx)) * 1_000
    }

    mutating func send(_ index: Int, flags: BFDFlags = []) {
        var me = routers[index]
        guard now < me.silentFrom else { return }
        let desired = me.advertisedTx
        var packet = BFDControlPacket(state: me.state, diagnostic: me.diagnostic, flags: flags,
                                      detectMultiplier: me.multiplier, myDiscriminator: me.discriminator,
                                      yourDiscriminator: me.yours, desiredMinTxInterval: desired,
                                      requiredMinRxInterval: me.requiredRx, requiredMinEchoRxInterval: me.echoRx,
                                      authentication: me.authentication)
        if let type = me.authentication?.type, type.hasSequenceNumber {
            // Meticulous types advance on every packet; keyed ones now and then (§6.7.3).
            if type.isMeticulous || random.next() % 4 == 0 { me.sequence &+= 1 }
            packet.authentication?.sequenceNumber = me.sequence
            if let digest = BFDAuthDigest.expected(for: packet, secret: me.secret) {
                packet.authentication?.data = AuthBytes(digest)
            }
        }
        routers[index] = me
        var builder = FrameBuilder.udp(from: me.address, me.port, to: routers[1 - index].address, transport.wellKnownPort)
        builder.ttl = me.ttl
        builder.identification = UInt16(truncatingIfNeeded: frames.count)
        if index == 1, case .ethernet(let source, let destination) = builder.link {
            builder.link = .ethernet(source: destination, destination: source)
        }
        shape(&builder)
        frames.append((now, builder.build(payload: packet.encoded)))
    }

    /// Delivers `index`'s latest state to the peer, as its receive path would (§6.8.6).
    mutating func deliver(from index: Int) {
        let sender = routers[index]
        var peer = routers[1 - index]
        guard now < sender.silentFrom else { return }
        peer.yours = sender.discriminator
        let before = peer.state
        if let change = BFDTransitionTable.onReceive(local: peer.state, received: sender.state) {
            peer.state = change.next
            if let diagnostic = change.diagnostic { peer.diagnostic = diagnostic }
            // Leaving Up ends the fast timers: the next Up leaves slow start with a Poll again.
            if change.next != .up { peer.fast = false }
        }
        routers[1 - index] = peer
        if before != peer.state {
            // §6.8.7: announce a state change at once.
            now += 200_000 + Int64(random.next() % 300_000)
            send(1 - index)
            deliver(from: 1 - index)
        }
    }

    /// Runs both routers' periodic schedules until `end`; a side that stops hearing its peer for
    /// the detection time goes Down with diag 1.
    mutating func run(until end: Int64) {
        var lastHeard = [now, now]
        while true {
            let index = routers[0].nextSend <= routers[1].nextSend ? 0 : 1
            let next = routers[index].nextSend
            // Detection-time expiry at either side before the next transmission.
            for side in 0..<2 where routers[side].state == .up || routers[side].state == .`init` {
                let peer = routers[1 - side]
                let detect = BFDTimingModel.detectionTimeNanoseconds(
                    remoteDetectMult: peer.multiplier, localRequiredMinRx: routers[side].requiredRx,
                    remoteDesiredMinTx: peer.advertisedTx)
                if lastHeard[side] + detect < min(next, end), now <= lastHeard[side] + detect,
                   let change = BFDTransitionTable.onDetectionTimeExpired(local: routers[side].state) {
                    now = lastHeard[side] + detect + Int64(random.next() % 2_000_000)
                    routers[side].state = change.next
                    routers[side].fast = false
                    routers[side].diagnostic = change.diagnostic ?? routers[side].diagnostic
                    routers[side].yours = 0
                    detectionExpiries.append((side, now))
                    send(side)
                    routers[side].nextSend = now + interval(side)
                }
            }
            guard next < end else { break }
            now = max(now, next)
            send(index)
            if now < routers[index].silentFrom {
                lastHeard[1 - index] = now
                deliver(from: index)
            }
            routers[index].nextSend = now + jittered(interval(index), multiplier: routers[index].multiplier)
        }
        now = end
    }

    /// §6.8.7's reduction within `BFDJitterBounds`, drawn in steps of 0.01 % (100 ppm) from the
    /// lower bound and capped at the upper one (90 % with Detect Mult 1). Kept in this form, not
    /// `BFDJitterBounds.draw`, so the committed samples keep their bytes: same draws, same gaps.
    mutating func jittered(_ interval: Int64, multiplier: UInt8) -> Int64 {
        let bounds = BFDJitterBounds(detectMultiplier: multiplier)
        let perMillion = Double(BFDJitterBounds.partsPerMillion)
        let steps = UInt64(BFDJitterBounds.partsPerMillion - bounds.lowerPartsPerMillion) / 100
        let share = Double(bounds.lowerPartsPerMillion) / perMillion + Double(random.next() % steps) / 10_000
        return Int64(Double(interval) * min(share, Double(bounds.upperPartsPerMillion) / perMillion))
    }

    /// Handshake from both Down, then each side polls to its fast timers.
    mutating func establish() {
        routers[0].nextSend = now
        routers[1].nextSend = now + 300_000_000
        run(until: now + 1_500_000_000)
        pollToFastTimers()
    }

    /// Each side that is Up with sub-second timers leaves the 1 s slow-start rate with a Poll
    /// answered by a Final (§6.8.3), as it does after every (re-)establishment.
    mutating func pollToFastTimers() {
        for index in 0..<2 where routers[index].state == .up && routers[index].desiredTx < BFDTimingModel.slowStartInterval {
            routers[index].fast = true
            send(index, flags: .poll)
            now += 500_000
            send(1 - index, flags: .final)
            now += 1_000_000
            routers[index].nextSend = now + interval(index) * 3 / 4
        }
    }

    /// A timer change while Up, announced with a Poll and answered with a Final (§6.8.3).
    mutating func changeTimers(_ index: Int, desiredTx: Microseconds, requiredRx: Microseconds) {
        routers[index].desiredTx = desiredTx
        routers[index].requiredRx = requiredRx
        send(index, flags: .poll)
        now += 700_000
        send(1 - index, flags: .final)
    }

    mutating func adminDown(_ index: Int) {
        routers[index].fast = false
        routers[index].state = .adminDown
        routers[index].diagnostic = .administrativelyDown
        send(index)
        deliver(from: index)
    }

    mutating func enable(_ index: Int) {
        routers[index].state = .down
        routers[index].diagnostic = .none
        routers[index].yours = 0
    }
}

/// Every sample capture is the same on every run.
typealias SplitMix = SplitMix64
