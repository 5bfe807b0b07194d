import PeerscopeAnalysis
import PeerscopeWire

/// What a BGP rule is told about. The engine reads a rule's `events` once, at its start, and calls
/// each hook only on the rules that asked for it.
public struct BGPRuleEvents: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Every message the stream framed, decodable or not (its header).
    public static let message = Self(rawValue: 1 << 0)
    /// A message that did not decode.
    public static let malformed = Self(rawValue: 1 << 1)
    /// Every decoded message.
    public static let decoded = Self(rawValue: 1 << 2)
    public static let open = Self(rawValue: 1 << 3)
    public static let update = Self(rawValue: 1 << 4)
    public static let notification = Self(rawValue: 1 << 5)
    /// A message of a type RFC 4271 and RFC 2918 do not define.
    public static let unknownType = Self(rawValue: 1 << 6)
    /// TCP stream events: holes, resynchronisation, SYN, SYN-ACK, FIN, RST.
    public static let transport = Self(rawValue: 1 << 7)
    /// At the end, once per session.
    public static let finishSession = Self(rawValue: 1 << 8)
    /// At the end, after every session was finished.
    public static let finishAfterSessions = Self(rawValue: 1 << 9)
    /// The BFD failovers, with the BGP sessions they took down (RFC 5882 §3.2).
    public static let failovers = Self(rawValue: 1 << 10)
    /// A session folded away at the tracker's cap: its state is dropped.
    public static let fold = Self(rawValue: 1 << 11)
}

/// One message as the rules see it: the record and the sending side. The session at that moment
/// comes to each hook as its own (borrowed) argument: a context holding a copy of it cost a retain
/// and release of each of its arrays per message.
public struct BGPMessageContext {
    public let record: BGPMessageRecord
    public let side: Int
}

/// One rule of CONFORMANCE.md §6–7 (or a small family sharing state), evaluated over BGP streams.
/// It owns its state. Findings go to `out`. A base class rather than a protocol: the engine calls
/// its rules without retaining each one per message. Adding a rule: conformance/README.md.
open class BGPRule {
    /// The events the rule is called for, read once when an engine starts.
    open var events: BGPRuleEvents { [] }

    public init() {}

    // Hooks a rule does not subscribe to are never called; these empty ones only make them optional.
    open func message(_ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {}
    open func malformed(_ error: WireError, _ context: BGPMessageContext, session: BGPSession,
                        _ out: inout BGPRuleOutput) {}
    open func decoded(_ message: BGPMessage, _ context: BGPMessageContext, session: BGPSession,
                      _ out: inout BGPRuleOutput) {}
    open func open(_ open: BGPOpen, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {}
    open func update(_ update: BGPUpdate, _ context: BGPMessageContext, session: BGPSession,
                     _ out: inout BGPRuleOutput) {}
    open func notification(_ notification: BGPNotification, _ context: BGPMessageContext, session: BGPSession,
                           _ out: inout BGPRuleOutput) {}
    open func unknownType(_ type: UInt8, _ context: BGPMessageContext, session: BGPSession,
                          _ out: inout BGPRuleOutput) {}
    open func transport(_ event: BGPTransportEvent, session: BGPSession, side: Int, _ out: inout BGPRuleOutput) {}
    open func finishSession(_ session: BGPSession, _ out: inout BGPRuleOutput) {}
    open func finishAfterSessions(_ sessions: [BGPSession], _ out: inout BGPRuleOutput) {}
    open func failovers(_ failovers: [Failover], bfd: [BFDSession], bgp: [BGPSession], _ out: inout BGPRuleOutput) {}
    open func fold(_ session: BGPSession) {}
}
