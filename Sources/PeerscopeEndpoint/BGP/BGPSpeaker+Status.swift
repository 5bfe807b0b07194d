import PeerscopeWire

/// A snapshot of one peering, with the fields `show bgp neighbors` prints.
public struct BGPNeighborStatus: Hashable, Sendable {
    public var state: BGPSessionState
    public var localAS: UInt32
    public var peerAS: UInt32
    public var routerID: IPv4Address
    /// Known once the peer's OPEN was accepted.
    public var negotiated: BGPNegotiatedSession?
    public var messagesSent: BGPMessageCounts
    public var messagesReceived: BGPMessageCounts
    public var lastError: BGPSpeakerError?
    public var connectRetryCounter: Int
    public var establishedTransitions: Int
    /// Prefixes in the Adj-RIB-In per family.
    public var prefixesReceived: [BGPAddressFamily: Int]
    public var endOfRIBReceived: Set<BGPAddressFamily>
    public var prefixesOriginated: Int
    public var ttlSecurity: Bool
}

extension BGPSpeaker {
    public var status: BGPNeighborStatus {
        let rib = adjRIBIn
        var received: [BGPAddressFamily: Int] = [:]
        for family in configuration.offeredFamilies { received[family] = rib.count(family) }
        return BGPNeighborStatus(
            state: state, localAS: configuration.localAS, peerAS: configuration.peerAS, routerID: configuration.routerID,
            negotiated: negotiated, messagesSent: messagesSent, messagesReceived: messagesReceived, lastError: lastError,
            connectRetryCounter: connectRetryCounter, establishedTransitions: establishedTransitions,
            prefixesReceived: received, endOfRIBReceived: rib.endOfRIB, prefixesOriginated: originatedRoutes.count,
            ttlSecurity: configuration.ttlSecurity)
    }

    /// RFC 4271 §6.8 as refined by RFC 6286 §2.3: of two connections between the same peers, the one
    /// initiated by the higher BGP Identifier survives; equal identifiers (possible between ASes) fall
    /// back to the higher AS number. The driver, which owns both connections, asks this once it knows
    /// the peer's identifier from an OPEN, and calls `closeForCollision` on the loser's speaker.
    public static func collisionKeepsConnection(initiatedLocally: Bool, localIdentifier: IPv4Address,
                                                remoteIdentifier: IPv4Address, localAS: UInt32,
                                                remoteAS: UInt32) -> Bool {
        let localWins = localIdentifier == remoteIdentifier ? localAS > remoteAS : localIdentifier > remoteIdentifier
        return initiatedLocally == localWins
    }

    /// OpenCollisionDump (Event 23): Cease / Connection Collision Resolution (RFC 4486), then Idle.
    /// The driver then discards this speaker, the copy of the FSM that ran the losing connection.
    public mutating func closeForCollision(now: Nanoseconds) -> [BGPSpeakerAction] {
        let actions = shutDown(BGPNotification(code: 6, subcode: 7), now: now)
        if !actions.isEmpty { connectRetryCounter += 1 }
        return actions
    }
}
