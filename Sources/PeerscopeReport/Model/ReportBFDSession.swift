import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeEndpoint
import PeerscopeWire

/// One BFD session for the report: per side its state over time, the timers it negotiated, its
/// Poll/Final marks and its transmit-gap histogram. Times are ns from the file's first frame.
/// The one record of a BFD session: `check --json`, `sessions --json` and the HTML report.
public struct ReportBFDSession: Codable, Sendable, Equatable {
    public var id: Int
    /// "single-hop", "multihop", … (the session's transport; `type` as in schema 1).
    public var type: String
    public var previousSession: Int?
    public var sides: [ReportBFDSide]
    public var echoPackets: Int
    /// First and last packet of the session (either side).
    public var startNanoseconds: Int64
    public var endNanoseconds: Int64

    /// `authentication` gives a side's tally (side 0 = A, 1 = B), from `BFDConformanceEngine.authentication`.
    public init(_ session: BFDSession, origin: Int64, authentication: (Int) -> AuthenticationTally? = { _ in nil }) {
        id = session.id
        type = session.transport.description
        previousSession = session.previousSessionID
        echoPackets = session.echoPackets
        let steps = Self.timerSteps(session, origin: origin)
        sides = (0..<2).compactMap { index in
            session.sides[index].map {
                ReportBFDSide($0, index: index, session: session, origin: origin, timers: steps[index],
                              authentication: authentication(index).map(ReportAuthentication.init))
            }
        }
        startNanoseconds = sides.map(\.firstNanoseconds).min() ?? 0
        endNanoseconds = sides.map(\.lastNanoseconds).max() ?? 0
    }

    /// Each side's transmit interval and the detection time its peer applies, from each timer
    /// change on: RFC 5880 §6.8.2/§6.8.3 (interval = max(own Desired Min TX, peer's Required Min
    /// RX)) and §6.8.4 (detection = sender's Detect Mult × the same interval, as the receiver
    /// computes it). Replayed from the events, as `timeline` prints "negotiated:" lines.
    static func timerSteps(_ session: BFDSession, origin: Int64) -> [[ReportTimerStep]] {
        var current: [BFDParameters?] = [nil, nil]
        var steps: [[ReportTimerStep]] = [[], []]
        for event in session.events {
            switch event.kind {
            case .firstSeen(_, _, let parameters), .parametersChanged(_, let parameters):
                current[event.side] = parameters
            default:
                continue
            }
            let time = event.timeNanoseconds &- origin
            for sender in 0..<2 {
                guard let own = current[sender] else { continue }
                let peer = current[1 - sender]
                let interval = BFDTimingModel.transmitInterval(desiredMinTx: own.desiredMinTxInterval,
                                                               remoteMinRx: peer?.requiredMinRxInterval ?? 0)
                let detection = peer.map {
                    BFDTimingModel.detectionTime(remoteDetectMult: own.detectMultiplier,
                                                 localRequiredMinRx: $0.requiredMinRxInterval,
                                                 remoteDesiredMinTx: own.desiredMinTxInterval)
                }
                let step = ReportTimerStep(timeNanoseconds: time, frame: event.frameNumber,
                                           desiredMinTxMicroseconds: own.desiredMinTxInterval,
                                           requiredMinRxMicroseconds: own.requiredMinRxInterval,
                                           detectMultiplier: own.detectMultiplier,
                                           txIntervalMicroseconds: peer == nil ? nil : interval,
                                           peerDetectionMicroseconds: detection)
                if steps[sender].last.map({ !$0.sameTimers(as: step) }) ?? true { steps[sender].append(step) }
            }
        }
        return steps
    }
}

public struct ReportBFDSide: Codable, Sendable, Equatable {
    /// "A" or "B", as `sessions` and `timeline` name them.
    public var name: String
    public var address: String
    public var peer: String
    public var localDiscriminator: UInt32
    public var remoteDiscriminator: UInt32
    /// The state of its last packet.
    public var state: String
    public var sourcePort: UInt16
    public var ttlMin: UInt8
    public var ttlMax: UInt8
    /// Its timer fields at the end, in µs as the wire carries them (RFC 5880 §4.1).
    public var desiredMinTxIntervalUs: UInt32
    public var requiredMinRxIntervalUs: UInt32
    public var requiredMinEchoRxIntervalUs: UInt32
    public var detectMultiplier: UInt8
    /// At the end: the interval it transmits at (§6.8.7) and the detection time it applies to its peer (§6.8.4).
    public var negotiatedTxIntervalUs: UInt32?
    /// false while the peer's Required Min RX is unseen: `negotiatedTxIntervalUs` is then only its
    /// own Desired Min TX, a lower bound.
    public var negotiatedTxPeerKnown: Bool?
    public var detectionTimeUs: UInt32?
    public var packets: Int
    public var stateChanges: Int
    public var timesUp: Int
    /// The start of its current Up, when it is Up.
    public var upSinceNanoseconds: Int64?
    public var lastDownDiag: UInt8?
    public var lastDownDiagName: String?
    /// Present when the side sent authenticated packets.
    public var authentication: ReportAuthentication?
    public var firstNanoseconds: Int64
    public var lastNanoseconds: Int64
    public var firstFrame: Int
    public var lastFrame: Int
    /// The state the side announced from each time on; the first step is its first packet.
    public var states: [ReportStateStep]
    public var timers: [ReportTimerStep]
    public var pollFinal: [ReportMark]
    public var gaps: ReportGapHistogram

    init(_ side: BFDSide, index: Int, session: BFDSession, origin: Int64, timers: [ReportTimerStep],
         authentication: ReportAuthentication?) {
        name = index == 0 ? "A" : "B"
        address = side.address.description
        peer = side.peerAddress.description
        localDiscriminator = side.myDiscriminator
        remoteDiscriminator = side.last.packet.yourDiscriminator
        state = side.state.description
        sourcePort = side.sourcePort
        ttlMin = side.ttlMinimum
        ttlMax = side.ttlMaximum
        let parameters = side.parameters
        desiredMinTxIntervalUs = parameters.desiredMinTxInterval
        requiredMinRxIntervalUs = parameters.requiredMinRxInterval
        requiredMinEchoRxIntervalUs = parameters.requiredMinEchoRxInterval
        detectMultiplier = parameters.detectMultiplier
        let negotiated = session.negotiatedTxInterval(from: index)
        negotiatedTxIntervalUs = negotiated?.interval
        negotiatedTxPeerKnown = negotiated?.peerKnown
        detectionTimeUs = session.detectionTime(forPacketsFrom: 1 - index)
        packets = side.packets
        stateChanges = side.stateChanges
        timesUp = side.timesUp
        upSinceNanoseconds = side.upSinceNanoseconds.map { $0 &- origin }
        lastDownDiag = side.lastDownDiagnostic?.rawValue
        lastDownDiagName = side.lastDownDiagnostic?.description
        self.authentication = authentication
        firstNanoseconds = side.first.timeNanoseconds &- origin
        lastNanoseconds = side.last.timeNanoseconds &- origin
        firstFrame = side.first.frameNumber
        lastFrame = side.last.frameNumber
        self.timers = timers
        var states: [ReportStateStep] = []
        var marks: [ReportMark] = []
        for event in session.events where event.side == index {
            let time = event.timeNanoseconds &- origin
            switch event.kind {
            case .firstSeen(let state, let diagnostic, _):
                states.append(ReportStateStep(timeNanoseconds: time, frame: event.frameNumber, state: state.description,
                                              diag: diagnostic.rawValue, diagName: diagnostic.description))
            case .stateChange(_, let state, let diagnostic):
                var step = ReportStateStep(timeNanoseconds: time, frame: event.frameNumber, state: state.description,
                                           diag: diagnostic.rawValue, diagName: diagnostic.description)
                if let heard = event.peerLastHeard {
                    step.peerLastHeardNanoseconds = heard.timeNanoseconds &- origin
                    step.peerLastHeardFrame = heard.frameNumber
                }
                step.detectionTimeMicroseconds = event.detectionTimeInForce
                states.append(step)
            case .poll:
                marks.append(ReportMark(timeNanoseconds: time, frame: event.frameNumber, kind: "P"))
            case .final(let pollFrame, let latency):
                marks.append(ReportMark(timeNanoseconds: time, frame: event.frameNumber, kind: "F",
                                        pollFrame: pollFrame, latencyNanoseconds: latency))
            case .parametersChanged, .yourDiscriminator, .authentication, .sourcePortChanged:
                break
            }
        }
        self.states = states
        pollFinal = marks
        gaps = ReportGapHistogram(side.gaps, interval: session.negotiatedTxInterval(from: index)?.interval,
                                  detection: session.detectionTime(forPacketsFrom: index))
    }
}

public struct ReportStateStep: Codable, Sendable, Equatable {
    public var timeNanoseconds: Int64
    public var frame: Int
    /// "AdminDown", "Down", "Init" or "Up" (RFC 5880 §4.1 State).
    public var state: String
    public var diag: UInt8
    public var diagName: String
    /// For a change: the peer's last packet in the capture before it, and the detection time in force.
    public var peerLastHeardNanoseconds: Int64?
    public var peerLastHeardFrame: Int?
    public var detectionTimeMicroseconds: UInt32?
}

public struct ReportTimerStep: Codable, Sendable, Equatable {
    public var timeNanoseconds: Int64
    public var frame: Int
    public var desiredMinTxMicroseconds: UInt32
    public var requiredMinRxMicroseconds: UInt32
    public var detectMultiplier: UInt8
    /// The interval this side transmits at, once its peer's Required Min RX is known.
    public var txIntervalMicroseconds: UInt32?
    /// The detection time the peer applies to this side's packets.
    public var peerDetectionMicroseconds: UInt64?

    func sameTimers(as other: Self) -> Bool {
        desiredMinTxMicroseconds == other.desiredMinTxMicroseconds && requiredMinRxMicroseconds == other.requiredMinRxMicroseconds
            && detectMultiplier == other.detectMultiplier && txIntervalMicroseconds == other.txIntervalMicroseconds
            && peerDetectionMicroseconds == other.peerDetectionMicroseconds
    }
}

/// A Poll ("P") or Final ("F") a side sent (RFC 5880 §6.5).
public struct ReportMark: Codable, Sendable, Equatable {
    public var timeNanoseconds: Int64
    public var frame: Int
    public var kind: String
    public var pollFrame: Int?
    public var latencyNanoseconds: Int64?
}

/// A direction's periodic transmit gaps as shares of the negotiated interval, in the 5 % bands
/// `GapStatistics` keeps; RFC 5880 §6.8.7 puts every gap between 75 % and 100 % (90 % with a
/// Detect Mult of 1), and a gap reaching the detection time ends the session.
public struct ReportGapHistogram: Codable, Sendable, Equatable {
    public var count: Int
    public var minimumNanoseconds: Int64?
    public var maximumNanoseconds: Int64?
    public var exactIntervalCount: Int
    public var intervalMicroseconds: UInt32?
    public var detectionMicroseconds: UInt32?
    /// Counts per 5 % band, in the order of `ReportDocument.gapBands` ("<70%", "70–75%", … ">130%").
    public var counts: [Int]

    init(_ gaps: GapStatistics, interval: UInt32?, detection: UInt32?) {
        count = gaps.count
        minimumNanoseconds = gaps.count == 0 ? nil : gaps.minimumNanoseconds
        maximumNanoseconds = gaps.count == 0 ? nil : gaps.maximumNanoseconds
        exactIntervalCount = gaps.exactCount
        intervalMicroseconds = interval
        detectionMicroseconds = detection
        counts = gaps.bands.map(\.count)
    }
}

/// A side's authentication, counted positively: `verified` of `packets` with `keyId` (RFC 5880 §6.7).
public struct ReportAuthentication: Codable, Sendable, Equatable {
    public var type: String
    public var keyId: UInt8
    public var packets: Int
    public var verified: Int
    public var failed: Int
    public var unchecked: Int
    public var summary: String

    public init(_ tally: AuthenticationTally) {
        type = tally.type.description
        keyId = tally.keyID
        packets = tally.packets
        verified = tally.verified
        failed = tally.failed
        unchecked = tally.unchecked
        summary = tally.summary
    }
}
