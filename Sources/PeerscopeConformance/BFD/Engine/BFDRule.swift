import PeerscopeAnalysis
import PeerscopeWire

/// What a BFD rule is told about. The engine reads a rule's `events` once, at its start, and
/// calls each hook only on the rules that asked for it.
public struct BFDRuleEvents: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Every control packet.
    public static let packet = Self(rawValue: 1 << 0)
    /// A packet whose State differs from the side's previous packet.
    public static let stateChange = Self(rawValue: 1 << 1)
    /// A packet whose Desired Min TX, Required Min RX or Detect Mult differs from the side's previous one.
    public static let timerChange = Self(rawValue: 1 << 2)
    /// A packet with P or F set.
    public static let pollFinal = Self(rawValue: 1 << 3)
    /// A frame on a BFD port that did not decode.
    public static let malformed = Self(rawValue: 1 << 4)
    /// An echo packet.
    public static let echo = Self(rawValue: 1 << 5)
    /// At the end, before the sessions are finished one by one.
    public static let finishBeforeSessions = Self(rawValue: 1 << 6)
    /// At the end, once per session.
    public static let finishSession = Self(rawValue: 1 << 7)
    /// At the end, after every session was finished.
    public static let finishAfterSessions = Self(rawValue: 1 << 8)
    /// The rule keeps per-session state: `reset(slot:)` is called when a session takes a slot.
    public static let sessionState = Self(rawValue: 1 << 9)
}

/// One rule of CONFORMANCE.md (or a small family sharing state), evaluated over BFD traffic. It
/// owns its state; per-session state lives in `SlotStates` indexed by the slot the engine gives
/// each session (reused after a session is folded at the state cap). Findings go to `out`.
///
/// A base class rather than a protocol: the engine calls its rules without retaining each one or
/// opening an existential per packet (that, with the dynamic exclusivity checks on rule state,
/// was about 12 % of `check`'s instructions on a BFD-heavy capture).
/// Adding a rule: conformance/README.md.
open class BFDRule {
    /// The events the rule is called for, read once when an engine starts.
    open var events: BFDRuleEvents { [] }

    public init() {}

    // Hooks a rule does not subscribe to are never called; these empty ones only make them optional.
    open func reset(slot: Int) {}
    open func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {}
    open func stateChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, from: BFDState, to: BFDState,
                          _ out: inout BFDRuleOutput) {}
    open func timerChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {}
    open func pollFinal(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {}
    open func malformed(_ frame: MalformedBFDFrame, _ out: inout BFDRuleOutput) {}
    open func echo(_ echo: ObservedEcho, tracker: BFDSessionTracker, _ out: inout BFDRuleOutput) {}
    open func finishBeforeSessions(_ sessions: [BFDSession], _ out: inout BFDRuleOutput) {}
    open func finishSession(_ session: BFDSession, slot: Int?, lastFrameTime: Int64, _ out: inout BFDRuleOutput) {}
    open func finishAfterSessions(_ sessions: [BFDSession], _ out: inout BFDRuleOutput) {}
}

/// A frame on a BFD port that could not be decoded as BFD.
public struct MalformedBFDFrame {
    public var frame: Int
    public var time: Int64
    public var error: WireError
    public var transport: BFDTransport
    public var source: IPAddress?
}

/// One echo packet as captured.
public struct ObservedEcho {
    public var frame: Int
    public var time: Int64
    public var source: IPAddress
    public var ttl: UInt8
    public var packet: BFDEchoPacket
}
