import PeerscopeWire

/// State changes, Poll Sequences (§6.5, §6.8.3) and detection (§6.8.4).
extension BFDEndpoint {
    mutating func changeState(to new: BFDState, diagnostic: BFDDiagnostic?, now: BFDNanoseconds,
                              into actions: inout [BFDEndpointAction]) {
        let old = sessionState
        guard old != new else { return }
        if let diagnostic { localDiag = diagnostic }
        switch new {
        case .adminDown: state = .adminDown
        case .down: state = .down
        case .`init`: state = .initialized
        case .up: state = .up(Up())
        }
        if old == .up { counters.downTransitions += 1 }
        actions.append(.stateChanged(from: old, to: new, diagnostic: localDiag))
        detectionRequiredMinRx = requiredMinRx
        transmitDesiredMinTx = advertisedDesiredMinTx
        if new == .up {
            counters.upTransitions += 1
            // §6.8.3: leaving slow start changes the advertised Desired Min TX, which needs a Poll;
            // §6.6: so does setting D, when the peer is Up already. The state change packet below
            // is the first to carry P.
            if configuredDesiredMinTx < BFDTimingModel.slowStartInterval || localDemandActive {
                startPollSequence(now: now, into: &actions)
            }
        }
        // §6.8.7: a state change goes out at once rather than at the next periodic slot.
        transmit(.stateChange, now: now, into: &actions)
        updateDetectionDeadline()
    }

    /// Starts a Poll Sequence, or queues it while §6.8.3's hold after the previous one lasts.
    mutating func requestPoll(_ delivery: PollDelivery, now: BFDNanoseconds,
                              into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, up.poll == nil else { return }
        if let hold = up.pollHold {
            if now < hold.until {
                up.pollHold?.queued = true
                state = .up(up)
                return
            }
            up.pollHold = nil
            state = .up(up)
        }
        // §6.5: with periodic packets flowing, P goes on the scheduled ones; with none flowing
        // (the peer in Demand mode), the Poll needs packets of its own.
        let periodicFlowing = periodicTransmissionAllowed
        startPollSequence(now: now, into: &actions)
        if delivery == .atOnce || !periodicFlowing { transmit(.pollStart, now: now, into: &actions) }
    }

    /// Ends §6.8.3's hold (a packet with F clear arrived, or the round trip passed) and starts the
    /// Poll that waited for it, on the next periodic packet: its values already went out.
    mutating func releasePollHold(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, let hold = up.pollHold else { return }
        up.pollHold = nil
        state = .up(up)
        if hold.queued { requestPoll(.riding, now: now, into: &actions) }
    }

    mutating func startPollSequence(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, up.poll == nil else { return }
        up.poll = BFDPollSequence(announcedDesiredMinTx: configuredDesiredMinTx,
                                  announcedRequiredMinRx: requiredMinRx, announcedDemand: localDemandActive)
        state = .up(up)
        counters.pollSequencesStarted += 1
        actions.append(.pollSequenceStarted)
        updateDetectionDeadline()
    }

    mutating func completePollSequence(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        // A Final before our first P packet answers no Poll of this sequence (a late one of the
        // previous sequence, or a peer's mistake).
        guard case .up(var up) = state, let poll = up.poll, let firstSentAt = poll.firstSentAt else {
            counters.finalsWithoutPoll += 1
            return
        }
        up.poll = nil
        // §6.8.3: the answered Poll left at firstSentAt at the earliest, so no round trip is
        // longer than now − firstSentAt; a late Final to the last Poll is in by now + that.
        up.pollHold = BFDPollHold(until: now + (now - firstSentAt))
        state = .up(up)
        // The peer has seen the announced values: the held rate and Detection Time may follow them.
        transmitDesiredMinTx = min(poll.announcedDesiredMinTx, configuredDesiredMinTx)
        detectionRequiredMinRx = max(poll.announcedRequiredMinRx, requiredMinRx)
        counters.pollSequencesCompleted += 1
        actions.append(.pollSequenceCompleted)
        if poll.announcedDesiredMinTx != configuredDesiredMinTx || poll.announcedRequiredMinRx != requiredMinRx
            || poll.announcedDemand != localDemandActive
        {
            // Values changed again mid-Poll; only a new Poll can confirm them, once the hold is over.
            requestPoll(.riding, now: now, into: &actions)
        }
    }

    mutating func updateDetectionDeadline() {
        switch state {
        case .notStarted, .adminDown:
            detectionDeadline = nil
        case .down, .initialized, .up:
            if localDemandActive {
                // §6.8.4: in Demand mode only an unanswered Poll detects a failure, counted from its
                // first packet over bfd.DetectMult × our own negotiated interval.
                if case .up(let up) = state, let firstSentAt = up.poll?.firstSentAt {
                    detectionDeadline = firstSentAt + BFDTimingModel.demandDetectionTimeNanoseconds(
                        localDetectMult: configuration.detectMultiplier, transmitInterval: negotiatedTransmitInterval)
                } else {
                    detectionDeadline = nil
                }
            } else if let lastReceived, let detectionTime {
                detectionDeadline = lastReceived + detectionTime
            } else {
                detectionDeadline = nil
            }
        }
    }

    mutating func detectionTimeExpired(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        detectionDeadline = nil
        let change = BFDTransitionTable.onDetectionTimeExpired(local: sessionState)
        // §6.8.1: a Detection Time without a packet forgets the peer's discriminator. Its state and
        // Demand bit go with it (our reading): they describe a peer no longer heard.
        remoteDiscr = 0
        remoteSessionState = .down
        remoteDemandMode = false
        remoteDetectMult = 0
        // §6.8.18: bfd.RemoteMinRxInterval goes back to its initial 1 µs, so a peer that asked for
        // no packets (Required Min RX 0) and then vanished cannot keep us silent for good. Reset
        // before the state change so the Down packet itself goes out.
        let intervalBefore = negotiatedTransmitInterval
        remoteMinRx = 1
        if let change {
            changeState(to: change.next, diagnostic: change.diagnostic, now: now, into: &actions)
        } else if negotiatedTransmitInterval != intervalBefore {
            rescheduleTransmit(now: now)
        }
    }

    /// Starts or stops the echo function to match §6.8.9: Up, echo configured, and the peer
    /// willing to loop echo back (its Required Min Echo RX nonzero, §6.8.6).
    mutating func refreshEcho(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state else { return }
        guard let echoConfiguration = configuration.echo, remoteMinEchoRx > 0 else {
            up.echo = nil
            state = .up(up)
            return
        }
        // Never faster than the peer allows (§6.8.9).
        let interval = BFDTimingModel.echoTransmitInterval(desiredMinEchoTx: echoConfiguration.desiredMinEchoTxInterval,
                                                           remoteMinEchoRx: remoteMinEchoRx).nanoseconds
        if var echo = up.echo {
            echo.interval = interval
            up.echo = echo
            state = .up(up)
            return
        }
        up.echo = BFDEchoFunction(interval: interval, nextTransmit: now,
                                  deadline: now + BFDNanoseconds(configuration.detectMultiplier) * interval)
        state = .up(up)
        sendEcho(now: now, into: &actions)
    }

    mutating func sendEcho(now: BFDNanoseconds, into actions: inout [BFDEndpointAction]) {
        guard case .up(var up) = state, var echo = up.echo else { return }
        actions.append(.sendEcho(echo.payload(localDiscriminator: configuration.localDiscriminator)))
        echo.sequence &+= 1
        echo.nextTransmit = now + echo.interval
        up.echo = echo
        state = .up(up)
        counters.echoSent += 1
    }

    mutating func discard(_ reason: BFDDiscardReason) -> [BFDEndpointAction] {
        counters.count(reason)
        return [.discarded(reason)]
    }
}
