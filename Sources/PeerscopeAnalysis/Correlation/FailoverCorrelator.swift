import PeerscopeWire

/// One BFD Down and what followed it: the failover chain an operator reconstructs after an outage.
///
///     last packet heard → BFD Down (diag) → BGP teardown (NOTIFICATION / FIN / RST / silence) → withdrawals
///
/// Times are absolute (ns); offsets are taken from `lastHeardNanoseconds`, the last packet the
/// declaring side could have received, which is where the fault lies at the latest.
public struct Failover: Sendable {
    public enum Teardown: Sendable {
        /// A NOTIFICATION, FIN or RST on the linked BGP session.
        case closed(BGPTeardown)
        /// No teardown was captured, and the session sent nothing after the BFD Down.
        case silence(lastMessageNanoseconds: Int64?)
        /// The BGP session carried on (messages after the Down, no teardown).
        case stayedUp
    }

    public var bfdSessionID: Int
    /// The side (0/1 of the BFD session) that declared Down, and its address.
    public var declaringSide: Int
    public var declaredBy: IPAddress
    public var diagnostic: BFDDiagnostic
    public var downFrame: Int
    public var downNanoseconds: Int64
    /// The last packet from the peer captured before the Down.
    public var lastHeardFrame: Int?
    public var lastHeardNanoseconds: Int64?
    /// Down minus the detection time in force: when the declaring side last received a packet,
    /// if the detection timer ran its full course (RFC 5880 §6.8.4).
    public var lastReceivedEstimateNanoseconds: Int64?
    public var bgpSessionID: Int?
    public var teardown: Teardown?
    /// The speaker that sent the NOTIFICATION, FIN or RST.
    public var teardownBy: IPAddress?
    /// Routes the declaring side had received on the torn-down session (its Adj-RIB-In from the
    /// peer, implicitly withdrawn with the session).
    public var routesLost: Int?
    /// Withdrawals seen on other BGP sessions after the Down: first one and how many prefixes.
    public var withdrawalsElsewhere: (frame: Int, timeNanoseconds: Int64, prefixes: Int, sessions: [Int])?

    /// BFD Down → BGP teardown, the failover time the rule BFD.CLIENT.TEARDOWN reports.
    public var teardownDelayNanoseconds: Int64? {
        if case .closed(let teardown) = teardown { return teardown.timeNanoseconds - downNanoseconds }
        return nil
    }
}

/// Links BFD sessions to the BGP sessions they protect (same address pair, either order, single
/// hop or multihop) and builds one `Failover` per BFD Up→Down.
public enum FailoverCorrelator {
    /// How long after a BFD Down a teardown still counts as its consequence.
    public static let teardownWindowNanoseconds: Int64 = 10_000_000_000
    /// How long after it withdrawals on other sessions are attributed to it.
    public static let withdrawalWindowNanoseconds: Int64 = 30_000_000_000

    public static func correlate(bfd: [BFDSession], bgp: [BGPSession]) -> [Failover] {
        var failovers: [Failover] = []
        for session in bfd {
            guard let addresses = session.addresses else { continue }
            for event in session.events {
                guard case .stateChange(let from, let to, let diagnostic) = event.kind, from == .up, to == .down
                else { continue }
                var failover = Failover(
                    bfdSessionID: session.id, declaringSide: event.side,
                    declaredBy: event.side == 0 ? addresses.0 : addresses.1, diagnostic: diagnostic,
                    downFrame: event.frameNumber, downNanoseconds: event.timeNanoseconds)
                failover.lastHeardFrame = event.peerLastHeard?.frameNumber
                failover.lastHeardNanoseconds = event.peerLastHeard?.timeNanoseconds
                if diagnostic == .controlDetectionTimeExpired, let detection = event.detectionTimeInForce {
                    failover.lastReceivedEstimateNanoseconds = event.timeNanoseconds - Int64(detection) * 1_000
                }
                link(&failover, addresses: addresses, bgp: bgp)
                failovers.append(failover)
            }
        }
        return failovers
    }

    private static func link(_ failover: inout Failover, addresses: (IPAddress, IPAddress), bgp: [BGPSession]) {
        let down = failover.downNanoseconds
        // The BGP session on the same address pair that was still up when the peer was last heard:
        // the other end may have torn it down already, before this side's BFD noticed.
        let since = min(down, failover.lastReceivedEstimateNanoseconds ?? down, failover.lastHeardNanoseconds ?? down)
        let candidates = bgp.filter { session in
            let pair = (session.a.address, session.b.address)
            let samePair = (pair.0 == addresses.0 && pair.1 == addresses.1) || (pair.0 == addresses.1 && pair.1 == addresses.0)
            guard samePair else { return false }
            let started = session.establishedTime ?? session.sides.compactMap { $0.firstMessage?.time }.min() ?? .max
            let ended = session.teardown?.timeNanoseconds ?? .max
            return started <= down && ended >= since
        }
        guard let session = candidates.last else { return }
        failover.bgpSessionID = session.id
        if let teardown = session.teardown, teardown.timeNanoseconds >= since,
           teardown.timeNanoseconds - down <= teardownWindowNanoseconds {
            failover.teardown = .closed(teardown)
            failover.teardownBy = session.sides[teardown.side].address
            // What the declaring side had learnt from its peer goes with the session.
            if let peer = session.side(of: failover.declaredBy).map({ 1 - $0 }) {
                failover.routesLost = session.sides[peer].routesHeld(at: teardown.timeNanoseconds)
            }
        } else {
            let lastMessage = session.sides.compactMap { $0.lastMessage?.time }.max()
            if let lastMessage, lastMessage > down {
                failover.teardown = .stayedUp
            } else {
                failover.teardown = .silence(lastMessageNanoseconds: lastMessage)
            }
        }
        var first: (frame: Int, time: Int64)?
        var prefixes = 0
        var sessions: [Int] = []
        for other in bgp where other.id != session.id {
            for event in other.events where event.timeNanoseconds >= down
                && event.timeNanoseconds - down <= withdrawalWindowNanoseconds {
                guard case .updates(_, _, let withdrawn, _) = event.kind, withdrawn > 0 else { continue }
                if first == nil || event.timeNanoseconds < first!.time { first = (event.frameNumber, event.timeNanoseconds) }
                prefixes += withdrawn
                if !sessions.contains(other.id) { sessions.append(other.id) }
            }
        }
        if let first { failover.withdrawalsElsewhere = (first.frame, first.time, prefixes, sessions) }
    }
}
