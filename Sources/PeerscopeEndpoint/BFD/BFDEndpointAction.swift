import PeerscopeWire

/// What the driver must do after an input; performed in order.
public enum BFDEndpointAction: Hashable, Sendable {
    /// Send this Control packet to the peer's control port.
    case send(BFDTransmission)
    /// Send this echo payload to the echo port, addressed so the peer forwards it back to us (§6.4).
    case sendEcho([UInt8])
    /// bfd.SessionState changed; `diagnostic` is bfd.LocalDiag after the change.
    case stateChanged(from: BFDState, to: BFDState, diagnostic: BFDDiagnostic)
    /// A received packet failed a check of §6.8.6; it changed nothing.
    case discarded(BFDDiscardReason)
    /// A Poll Sequence began; its first packet with P may be this input's `.send` or the next
    /// periodic one.
    case pollSequenceStarted
    /// A packet with F set ended the Poll Sequence; held timer values now apply (§6.8.3).
    case pollSequenceCompleted
}

/// One Control packet to put on the wire.
public struct BFDTransmission: Hashable, Sendable {
    /// Why the packet leaves now, so a driver or test can tell periodic packets from the ones
    /// §6.8.7 sends out of turn.
    public enum Cause: Hashable, Sendable {
        /// The periodic timer fired.
        case periodic
        /// bfd.SessionState changed; sent at once rather than at the next periodic slot.
        case stateChange
        /// A Poll Sequence began with a packet of its own: a timer or D-bit change, or a Poll
        /// while no periodic packets flow. Otherwise P rides on the next `.periodic` packet (§6.5).
        case pollStart
        /// Answer to a received Poll, sent "as soon as practicable" (§6.8.7), outside the timer.
        case final
        /// Periodic transmission resumed (remote left Demand mode or lifted Required Min RX 0).
        case resumed
        /// Built by the tester through `BFDEndpoint.seal(_:)`.
        case injected
    }

    public var packet: BFDControlPacket
    /// The encoded packet, digest included.
    public var bytes: [UInt8]
    /// IPv4 TTL / IPv6 Hop Limit to send with: 255 (RFC 5881 §5) unless the tester overrides it.
    public var ttl: UInt8
    public var cause: Cause

    public init(packet: BFDControlPacket, bytes: [UInt8], ttl: UInt8, cause: Cause) {
        self.packet = packet
        self.bytes = bytes
        self.ttl = ttl
        self.cause = cause
    }
}

/// The state variables of RFC 5880 §6.8.1, read-only, for reports like `show bfd peers`, plus the
/// last values heard from the peer that §6.8.2/§6.8.4 need. The secret is not here.
public struct BFDSessionVariables: Hashable, Sendable {
    public var sessionState: BFDState
    public var remoteSessionState: BFDState
    public var localDiscr: UInt32
    public var remoteDiscr: UInt32
    public var localDiag: BFDDiagnostic
    /// As advertised now: at least 1 s while not Up (§6.8.3).
    public var desiredMinTxInterval: Microseconds
    public var requiredMinRxInterval: Microseconds
    public var remoteMinRxInterval: Microseconds
    public var demandMode: Bool
    public var remoteDemandMode: Bool
    public var detectMult: UInt8
    /// nil for bfd.AuthType 0.
    public var authType: BFDAuthType?
    public var rcvAuthSeq: UInt32
    public var xmitAuthSeq: UInt32
    public var authSeqKnown: Bool
    /// Last Desired Min TX Interval received (0 before the first packet).
    public var remoteDesiredMinTxInterval: Microseconds
    /// Last Detect Mult received (0 before the first packet or after the Detection Time expired).
    public var remoteDetectMult: UInt8
    /// Last Required Min Echo RX Interval received.
    public var remoteMinEchoRxInterval: Microseconds
}
