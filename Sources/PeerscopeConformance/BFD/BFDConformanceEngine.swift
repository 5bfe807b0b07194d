import PeerscopeAnalysis
import PeerscopeWire

/// Settings of a conformance run.
public struct CheckOptions: Sendable {
    /// Slack every timing check allows on top of the capture's timestamp resolution (default 1 ms).
    public var slackNanoseconds: Int64 = 1_000_000
    /// The capture's timestamp resolution (1 µs for classic pcap).
    public var resolutionNanoseconds: Int64 = 1_000
    /// Authentication keys by Key ID, for digest and password verification.
    public var keys: [UInt8: [UInt8]] = [:]
    /// Most bytes the TCP reassembly holds out of order per direction before giving up a gap.
    public var tcpBufferLimit = 1 << 20
    /// Sessions and reassembly bytes tracked in full (`--max-sessions`, `--max-reassembly`).
    public var stateLimits = StateLimits()
    /// Whether GTSM (RFC 5082) is known to be configured: the wire cannot show it.
    public var gtsm = GTSMHint.unknown

    public init() {}

    /// Largest tolerance a check uses (about 13 days): the rules add it to intervals and gaps, and a
    /// slack or timestamp resolution from a damaged file must not overflow those sums (issue 12).
    public static let maximumToleranceNanoseconds: Int64 = 1 << 50

    /// The tolerance a timing check uses: slack plus resolution, clamped to 0…2⁵⁰ ns.
    public var toleranceNanoseconds: Int64 {
        let (sum, overflow) = max(slackNanoseconds, 0).addingReportingOverflow(max(resolutionNanoseconds, 0))
        return overflow ? Self.maximumToleranceNanoseconds : min(sum, Self.maximumToleranceNanoseconds)
    }
    public var toleranceText: String { "±" + Units.duration(nanoseconds: toleranceNanoseconds) }
}

/// What the user told `check` about GTSM (RFC 5082): a TTL below 255 is a proven violation only
/// where GTSM is known to be on; otherwise the packets show a difference, not a broken MUST.
public enum GTSMHint: Sendable, Equatable {
    case unknown
    /// `--gtsm`: on for every BGP session.
    case all
    /// `--gtsm-peer ADDR`: on for the sessions with one of these addresses at either end.
    case peers(Set<IPAddress>)

    public func isOn(between a: IPAddress, and b: IPAddress) -> Bool {
        switch self {
        case .unknown: false
        case .all: true
        case .peers(let peers): peers.contains(a) || peers.contains(b)
        }
    }
}

/// Evaluates the BFD rules of CONFORMANCE.md §1–5 and §8 over the packet contexts the session
/// tracker produces, in one pass. Per-session rule state is small and fixed; findings fold repeats.
public struct BFDConformanceEngine {
    public internal(set) var findings = FindingSink()
    let options: CheckOptions
    /// `options.toleranceText`, formatted once.
    let toleranceText: String
    /// By session ID; a session folded away at the tracker's cap takes its state with it.
    var sessionStates: [Int: SessionRuleState] = [:]
    var echoState: [IPAddress: EchoSenderState] = [:]
    /// Diag-1 Downs that came sooner than the detection time, waiting for evidence about where the
    /// capture was taken. Judged across sessions: a side that re-creates its session after the
    /// Down (new discriminator) is still the same router.
    var pendingDetections: [PendingDetection] = []
    /// The latest state each address sent, kept only while a detection is pending.
    var latestState: [IPAddress: (state: BFDState, time: Int64)] = [:]
    /// Time of the first frame of the capture: findings report times relative to it.
    public var originNanoseconds: Int64 = 0
    /// The latest frame whose timestamp was earlier than the frame before it: no gap, delay or
    /// latency that spans it is judged (the clock of the file is not monotonic there).
    public var timeWentBackAtFrame: Int?

    /// Whether the file's time went backwards after frame `earlier` (up to the current frame).
    func timeWentBack(after earlier: Int) -> Bool {
        guard let back = timeWentBackAtFrame else { return false }
        return back > earlier
    }

    public init(options: CheckOptions = CheckOptions()) {
        self.options = options
        toleranceText = options.toleranceText
    }

    /// One control packet, after the tracker placed it in `session`.
    public mutating func packet(_ context: BFDPacketContext, session: BFDSession) {
        // Taken out while the rules run, so it is uniquely referenced and changes in place.
        var state = sessionStates.removeValue(forKey: context.sessionID) ?? SessionRuleState()
        defer { sessionStates[context.sessionID] = state }
        checkFormat(context, session: session)
        checkTransport(context, session: session, state: &state)
        checkAuthentication(context, session: session, state: &state)
        checkStateMachine(context, session: session, state: &state)
        checkTimers(context, session: session, state: &state)
        if !pendingDetections.isEmpty { gatherDetectionEvidence(context) }
    }

    /// After the last frame: rules that need the whole session (flaps, jitter, pending detections).
    public mutating func finish(sessions: [BFDSession], lastFrameTime: Int64) {
        finishDetections(sessions: sessions)
        for session in sessions {
            var state = sessionStates[session.id] ?? SessionRuleState()
            finishTimers(session: session, state: &state, lastFrameTime: lastFrameTime)
            finishSession(session: session, state: state)
            finishAuthentication(session: session, state: state)
            finishNeverUp(session: session, state: state)
            sessionStates[session.id] = state
        }
        checkPortUniqueness(sessions)
        finishEcho(sessions: sessions)
    }

    /// A session the tracker folded away at its cap (CAPTURE.STATE.CAP): its per-packet findings
    /// join one finding per rule for all folded sessions; the rules that need the whole session (flaps, jitter, never Up) do not judge it, since
    /// its end was not seen. Its rule state is dropped.
    public mutating func fold(_ session: BFDSession) {
        sessionStates[session.id] = nil
        findings.fold(session: session.id)
    }

    // MARK: helpers shared by the rule files

    func sideName(_ session: BFDSession, _ side: Int) -> String? {
        session.sides[side]?.name
    }

    func relative(_ time: Int64) -> Int64 { time - originNanoseconds }

    mutating func report(_ ruleID: String, _ context: BFDPacketContext, session: BFDSession, level: RuleLevel? = nil,
                         kind: @autoclosure () -> String = "", frames: [Int]? = nil,
                         measured: @autoclosure () -> String? = nil, expected: @autoclosure () -> String? = nil,
                         tolerance: String? = nil, _ message: @autoclosure () -> String) {
        let side = sideName(session, context.side)
        let kind = kind()
        if findings.repeatExisting(rule: ruleID, session: session.id, side: side, kind: kind,
                                   frame: context.observation.frameNumber, level: level) {
            return
        }
        let measured = measured(), expected = expected(), message = message()
        findings.add(Finding(ruleID, level: level, session: session.id, side: side,
                             frames: frames ?? [context.observation.frameNumber], measured: measured,
                             expected: expected, tolerance: tolerance, message: message,
                             relativeTimeNanoseconds: relative(context.observation.timeNanoseconds)),
                     kind: kind)
    }
}

/// Per-session memory of the rules: a few values per side.
struct SessionRuleState {
    var sides = RuleStatePair()
    /// The negotiated values last reported.
    var negotiation: NegotiatedValues?
    var multihopAuthReported = false
}

struct NegotiatedValues: Equatable {
    var aToB: Microseconds
    var detectAtB: Microseconds
    var bToA: Microseconds
    var detectAtA: Microseconds
}

struct SideRuleState {
    /// The previous periodic gap (ns), to tell a catch-up after a late packet from a fast sender.
    var lastGap: Int64?
    /// The negotiated interval this side used at its previous packet.
    var lastNegotiatedTx: Microseconds?
    /// The interval in force before this side raised its Desired Min TX while Up, until its Poll is
    /// answered (RFC 5880 §6.8.3: keep the old rate until the Final).
    var pollHoldInterval: Microseconds?
    /// When the peer last sent a Final answering this side's Poll.
    var finalReceivedNanoseconds: Int64?
    /// The peer has sent Init since this side last entered Down.
    var peerInitSinceDown = false
    var peerDownSinceDown = false
    var lastSequence: UInt32?
    var lastKeyID: UInt8?
    var authNotVerifiedReported = false
    /// The side's authenticated packets, counted (see `AuthenticationTally`).
    var authentication: AuthenticationTally?
    /// When the peer first advertised Required Min RX 0.
    var peerZeroRxSince: Int64?
    /// When the peer first signalled AdminDown while this side was not Down.
    var peerAdminDownSince: Int64?
    /// The peer's timers as of its last packet while Up or Init: what this side's detection time
    /// rests on (a peer's Down packet that led to a diag-1 Down was, by definition, not heard).
    var peerParametersWhileUp: BFDParameters?
    /// Transitions triggered by the peer, waiting for this side's announcement (§6.8.7).
    var trigger: (state: BFDState, frame: Int, time: Int64)?
}

struct PendingDetection {
    var sessionID: Int
    var side: Int
    var detector: IPAddress
    var peer: IPAddress
    var frame: Int
    var time: Int64
    var lastPeerFrame: Int
    var lastPeerTime: Int64
    var detectionTime: Microseconds
    var latency: Int64
    /// Evidence that this side did not hear packets the capture shows from the peer.
    var notHearingEvidence: [Int] = []
    /// Peer packets after the Down that kept saying Up, i.e. the peer did not hear the Down either.
    var peerIgnoredDown: [Int] = []
}

struct EchoSenderState {
    var originals = 0
    var looped = 0
    var lastOriginalTime: Int64?
    var outstanding: [UInt64: Int64] = [:]
    var roundTrips: [Int64] = []
    var sessionID: Int?
}

/// The two sides' rule state, inline (no array to copy or allocate per session).
struct RuleStatePair {
    var first = SideRuleState()
    var second = SideRuleState()

    subscript(index: Int) -> SideRuleState {
        _read {
            if index == 0 { yield first } else { yield second }
        }
        _modify {
            if index == 0 { yield &first } else { yield &second }
        }
    }
}
