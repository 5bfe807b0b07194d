import PeerscopeEndpoint

/// What the BFD receive socket of a probe or respond run took in, over every session of the run
/// (the endpoint's own `BFDCounters` start again with each new session): one counter per RFC 5880
/// §6.8.6 discard reason, plus the datagrams no session was selected for because they did not come
/// from the configured peer (§6.8.6: "If no session is found, the packet MUST be discarded").
/// A router's `show bfd counters`, kept so a flood of hostile packets can be accounted for.
public struct ReceptionTally: Hashable, Sendable, Codable {
    /// Datagrams read from the BFD receive socket.
    public internal(set) var datagramsReceived = 0
    /// From an address other than the peer: never handed to the session.
    public internal(set) var notFromPeer = 0
    /// Handed to the session and accepted by it.
    public internal(set) var accepted = 0
    /// Of `datagramsReceived`, those read from the peer's own connected socket (its address and
    /// source port) rather than the shared one: what a flood to the port could not crowd out.
    public internal(set) var viaPeerChannel = 0
    /// Times the peer's channel could not be opened or moved (the shared socket then carries all).
    public internal(set) var peerChannelErrors = 0
    private var discards = Array(repeating: 0, count: BFDDiscardReason.allCases.count)

    public init() {}

    public subscript(reason: BFDDiscardReason) -> Int { discards[reason.rawValue] }

    /// Every discard, the source check included.
    public var totalDiscarded: Int { discards.reduce(notFromPeer, +) }

    /// Reasons seen at least once, in the order §6.8.6 checks them, as (name, count).
    public var nonzeroDiscards: [(reason: String, count: Int)] {
        BFDDiscardReason.allCases.compactMap { discards[$0.rawValue] > 0 ? ($0.description, discards[$0.rawValue]) : nil }
    }

    mutating func count(_ reason: BFDDiscardReason) { discards[reason.rawValue] += 1 }

    /// One line: `received N, accepted N, discarded N (not-from-peer N, ttl-below-minimum N, …)`.
    public var summary: String {
        let reasons = (notFromPeer > 0 ? [("not-from-peer", notFromPeer)] : []) + nonzeroDiscards.map { ($0.reason, $0.count) }
        return "received \(datagramsReceived), accepted \(accepted), discarded \(totalDiscarded)"
            + (reasons.isEmpty ? "" : " (" + reasons.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")")
    }

    enum CodingKeys: String, CodingKey {
        case datagramsReceived = "received", notFromPeer = "not_from_peer", accepted, discards
        case viaPeerChannel = "via_peer_channel", peerChannelErrors = "peer_channel_errors"
    }

    /// JSON: `{"received": N, "not_from_peer": N, "accepted": N, "via_peer_channel": N,
    /// "peer_channel_errors": N, "discards": {"ttl-below-minimum": N, …}}`
    /// with every reason present (zeros included), keyed by `BFDDiscardReason.description`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(datagramsReceived, forKey: .datagramsReceived)
        try container.encode(notFromPeer, forKey: .notFromPeer)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(viaPeerChannel, forKey: .viaPeerChannel)
        try container.encode(peerChannelErrors, forKey: .peerChannelErrors)
        try container.encode(Dictionary(uniqueKeysWithValues: BFDDiscardReason.allCases.map { ($0.description, discards[$0.rawValue]) }),
                             forKey: .discards)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        datagramsReceived = try container.decode(Int.self, forKey: .datagramsReceived)
        notFromPeer = try container.decode(Int.self, forKey: .notFromPeer)
        accepted = try container.decode(Int.self, forKey: .accepted)
        viaPeerChannel = try container.decodeIfPresent(Int.self, forKey: .viaPeerChannel) ?? 0
        peerChannelErrors = try container.decodeIfPresent(Int.self, forKey: .peerChannelErrors) ?? 0
        let byName = try container.decode([String: Int].self, forKey: .discards)
        for reason in BFDDiscardReason.allCases { discards[reason.rawValue] = byName[reason.description] ?? 0 }
    }
}
