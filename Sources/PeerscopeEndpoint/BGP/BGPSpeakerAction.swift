import PeerscopeWire

/// The six states of RFC 4271 §8.2.2.
public enum BGPSessionState: String, Hashable, Sendable, CustomStringConvertible {
    case idle = "Idle"
    case connect = "Connect"
    case active = "Active"
    case openSent = "OpenSent"
    case openConfirm = "OpenConfirm"
    case established = "Established"

    public var description: String { rawValue }
}

/// What the driver must do, or may want to know, after an input. Perform them in order.
public enum BGPSpeakerAction: Hashable, Sendable {
    /// Open a TCP connection to the peer's port 179 (and keep accepting one from the peer).
    case connect
    /// Accept a TCP connection from the peer (passive side, or after a failed attempt).
    case listen
    /// Write these bytes (whole BGP messages) to the connection.
    case send([UInt8])
    /// Drop the connection and any attempt or listener for this peer.
    case close
    case stateChanged(from: BGPSessionState, to: BGPSessionState)
    case established(BGPNegotiatedSession)
    /// Routes the peer announced (new or replacing an earlier path) and the Adj-RIB-In now holds.
    case routesReceived([BGPReceivedRoute])
    /// Prefixes removed from the Adj-RIB-In: withdrawn, treated as withdrawn, or the session went down.
    case routesWithdrawn([BGPPrefix])
    case endOfRIBReceived(BGPAddressFamily)
    case notificationReceived(BGPNotification)
    case error(BGPSpeakerError)
}

/// Something went wrong on the session; also kept as `lastError`, like `show bgp neighbors`.
public enum BGPSpeakerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// We sent this NOTIFICATION: the peer's message or silence broke RFC 4271 §6, or we ceased.
    case notificationSent(BGPNotification)
    case notificationReceived(BGPNotification)
    /// The transport failed or the peer closed it without a NOTIFICATION.
    case connectionFailed(in: BGPSessionState)
    /// A message arrived while there was no BGP connection to carry it (RFC 4271 §8.2.2, Connect/Active).
    case unexpectedMessage(in: BGPSessionState)
    /// RFC 7606 §2 "treat-as-withdraw": the UPDATE's routes were removed instead of resetting.
    case updateTreatedAsWithdraw(BGPUpdateFault)
    /// RFC 7606 §2 "attribute discard": the attribute was dropped, the routes kept.
    case attributeDiscarded(type: UInt8, BGPUpdateFault)

    public var description: String {
        switch self {
        case .notificationSent(let notification): "sent NOTIFICATION \(notification)"
        case .notificationReceived(let notification): "received NOTIFICATION \(notification)"
        case .connectionFailed(let state): "TCP connection failed in \(state)"
        case .unexpectedMessage(let state): "message received in \(state)"
        case .updateTreatedAsWithdraw(let fault): "UPDATE treated as withdraw: \(fault)"
        case .attributeDiscarded(let type, let fault): "path attribute \(type) discarded: \(fault)"
        }
    }
}

/// Why a received UPDATE was not taken as it came (RFC 7606).
public enum BGPUpdateFault: Hashable, Sendable, CustomStringConvertible {
    /// An attribute's length runs past the path attributes field (RFC 7606 §4).
    case attributeOverrun
    /// A known attribute's value does not fit its type (RFC 7606 §7).
    case malformedAttribute(type: UInt8)
    /// Optional/transitive flags contradict the attribute's definition (RFC 7606 §3 c).
    case attributeFlags(type: UInt8)
    /// ORIGIN, AS_PATH or NEXT_HOP absent from an UPDATE that announces IPv4 NLRI (RFC 7606 §3 d).
    case missingWellKnownAttribute(type: UInt8)
    /// ORIGIN other than IGP, EGP or INCOMPLETE (RFC 7606 §7.1).
    case invalidOrigin(UInt8)
    /// An attribute that only an internal peer may send, such as LOCAL_PREF (RFC 7606 §7.5).
    case notExpectedFromExternalPeer(type: UInt8)
    /// A second copy of an attribute (RFC 7606 §3 g).
    case repeatedAttribute(type: UInt8)

    public var description: String {
        switch self {
        case .attributeOverrun: "attribute length overruns the path attributes"
        case .malformedAttribute(let type): "malformed attribute \(type)"
        case .attributeFlags(let type): "wrong flags on attribute \(type)"
        case .missingWellKnownAttribute(let type): "missing well-known attribute \(type)"
        case .invalidOrigin(let value): "invalid ORIGIN \(value)"
        case .notExpectedFromExternalPeer(let type): "attribute \(type) from an external peer"
        case .repeatedAttribute(let type): "attribute \(type) repeated"
        }
    }
}

/// What both OPENs agreed on (RFC 4271 §4.2, RFC 5492, RFC 4760, RFC 6793, RFC 8654).
public struct BGPNegotiatedSession: Hashable, Sendable {
    public var peerAS: UInt32
    public var peerRouterID: IPv4Address
    /// The smaller of both Hold Times; 0 means neither hold timer nor keepalives.
    public var holdTimeSeconds: UInt16
    /// One third of the hold time (RFC 4271 §10); 0 with a hold time of 0.
    public var keepaliveTimeSeconds: UInt16
    /// Families both ends offered, in our configured order.
    public var families: [BGPAddressFamily]
    public var fourOctetAS: Bool
    public var routeRefresh: Bool
    public var extendedMessage: Bool
    /// The peer offered Graceful Restart, so it understands End-of-RIB markers.
    public var peerSupportsEndOfRIB: Bool
    public var peerCapabilities: [BGPCapability]
    public var isInternal: Bool

    /// The largest message either end may send (RFC 8654 §3).
    public var maximumMessageLength: Int {
        extendedMessage ? BGPHeader.extendedMaximumLength : BGPHeader.maximumLength
    }
}

/// Messages sent or received by type, as in `show bgp neighbors`.
public struct BGPMessageCounts: Hashable, Sendable {
    public var open = 0
    public var update = 0
    public var notification = 0
    public var keepalive = 0
    public var routeRefresh = 0

    public init() {}

    public var total: Int { open + update + notification + keepalive + routeRefresh }

    mutating func count(_ type: BGPMessageType) {
        switch type {
        case .open: open += 1
        case .update: update += 1
        case .notification: notification += 1
        case .keepalive: keepalive += 1
        case .routeRefresh: routeRefresh += 1
        case .unknown: break
        }
    }
}
