import PeerscopeWire

/// What and when the session sends (RFC 5880 §6.8.7): packet contents, the periodic schedule with
/// jitter, which deadline is due next, and echo transmission.
extension BFDEndpoint {
    /// bfd.DesiredMinTxInterval as advertised: at least 1 s until the session is Up (§6.8.3).
    var advertisedDesiredMinTx: Microseconds {
        if case .up = state { return configuredDesiredMinTx }
        return BFDTimingModel.advertisedDesiredMinTx(configured: configuredDesiredMinTx, sessionUp: false)
    }

    /// §6.8.7 / §6.8.6: Demand mode is active on the local system (it set D and the peer stopped
    /// its periodic packets) and on the remote one (we stop ours).
    var localDemandActive: Bool {
        configuration.demandMode && sessionState == .up && remoteSessionState == .up
    }

    var remoteDemandActive: Bool {
        remoteDemandMode && sessionState == .up && remoteSessionState == .up
    }

    /// §6.8.7: a passive system is silent until it knows the peer's discriminator, a peer asking
    /// for Required Min RX 0 gets no periodic packets, and Demand mode on the peer stops them
    /// except while a Poll Sequence runs.
    var periodicTransmissionAllowed: Bool {
        guard isStarted else { return false }
        if configuration.role == .passive && remoteDiscr == 0 { return false }
        if remoteMinRx == 0 { return false }
        return !remoteDemandActive || isPollSequenceActive
    }

    var dueDeadline: (kind: Deadline, at: BFDNanoseconds)? {
        // Earliest first; on a tie the order detection, echo detection, poll hold, transmit, echo
        // transmit, so a session declared down says so in the packet that was due at the same
        // instant, and a Poll released now rides on that packet. No array: a pool asks this
        // several times per packet for thousands of sessions.
        var echo: BFDEchoFunction?
        var pollHold: BFDNanoseconds?
        if case .up(let up) = state {
            echo = up.echo
            if let hold = up.pollHold, hold.queued { pollHold = hold.until }
        }
        var best: (kind: Deadline, at: BFDNanoseconds)?
        if let at = detectionDeadline { best = (.detection, at) }
        if let at = echo?.deadline, best == nil || at < best!.at { best = (.echoDetection, at) }
        if let at = pollHold, best == nil || at < best!.at { best = (.pollHold, at) }
        if let at = nextTransmit, best == nil || at < best!.at { best = (.transmit, at) }
        if let at = echo?.nextTransmit, best == nil || at < best!.at { best = (.echoTransmit, at) }
        return best
    }

    func buildPacket(final: Bool) -> BFDControlPacket {
        var flags: BFDFlags = []
        // §6.5: never P and F together; a Final goes out without P even mid-Poll.
        if final { flags.insert(.final) } else if isPollSequenceActive { flags.insert(.poll) }
        if configuration.controlPlaneIndependent { flags.insert(.controlPlaneIndependent) }
        if localDemandActive { flags.insert(.demand) }
        return BFDControlPacket(
            state: sessionState, diagnostic: localDiag, flags: flags,
            detectMultiplier: configuration.detectMultiplier, myDiscriminator: configuration.localDiscriminator,
            yourDiscriminator: remoteDiscr, desiredMinTxInterval: advertisedDesiredMinTx,
            requiredMinRxInterval: requiredMinRx,
            requiredMinEchoRxInterval: configuration.requiredMinEchoRxInterval,
            authentication: authenticator?.nextSection)
    }

    /// Sends a packet if §6.8.7 allows it; any packet but a Final restarts the periodic timer.
    @discardableResult
    mutating func transmit(_ cause: BFDTransmission.Cause, now: BFDNanoseconds,
                           into actions: inout [BFDEndpointAction]) -> Bool {
        guard cause == .final || periodicTransmissionAllowed else { return false }
        var packet = buildPacket(final: cause == .final)
        if let authenticator {
            packet = authenticator.sealed(packet)
            self.authenticator?.didSend(packet)
        }
        actions.append(.send(BFDTransmission(packet: packet, bytes: packet.encoded, ttl: transmitTTL, cause: cause)))
        counters.controlSent += 1
        if packet.poll, case .up(var up) = state, var poll = up.poll {
            if poll.firstSentAt == nil {
                poll.firstSentAt = now
                up.poll = poll
                state = .up(up)
                updateDetectionDeadline()
            }
        }
        if cause == .final {
            counters.finalsSent += 1
        } else {
            lastTransmit = now
            scheduleTransmit(from: now)
        }
        return true
    }

    mutating func scheduleTransmit(from now: BFDNanoseconds) {
        nextTransmit = now + jitter.jittered(negotiatedTransmitInterval.nanoseconds,
                                             detectMultiplier: configuration.detectMultiplier)
    }

    /// The negotiated interval changed: count the next gap from the last packet with the new value.
    mutating func rescheduleTransmit(now: BFDNanoseconds) {
        scheduleTransmit(from: lastTransmit ?? now)
        if let next = nextTransmit, next < now { nextTransmit = now }
    }
}
