import PeerscopeEndpoint
import PeerscopeWire

/// Something that happened in a BFD session, on one side, at one frame.
public struct BFDEvent: Sendable {
    public enum Kind: Sendable {
        /// The first packet seen from this side (a capture may start mid-session, already Up).
        case firstSeen(state: BFDState, diagnostic: BFDDiagnostic, parameters: BFDParameters)
        case stateChange(from: BFDState, to: BFDState, diagnostic: BFDDiagnostic)
        case parametersChanged(from: BFDParameters, to: BFDParameters)
        case poll
        /// A Final, with the Poll it answers (frame and latency) when one was outstanding.
        case final(pollFrame: Int?, latencyNanoseconds: Int64?)
        /// Your Discriminator changed: the side learned (or lost) its peer.
        case yourDiscriminator(from: UInt32, to: UInt32)
        case authentication(from: String, to: String)
        case sourcePortChanged(from: UInt16, to: UInt16)
    }

    public var frameNumber: Int
    public var timeNanoseconds: Int64
    /// 0 for side A, 1 for side B of the session.
    public var side: Int
    public var kind: Kind
    /// For state changes: the peer's latest packet in the capture at that moment (what the side
    /// could last have heard; the failover chain starts there).
    public var peerLastHeard: PacketMark?
    /// For state changes: the detection time this side applied to the peer's packets just before.
    public var detectionTimeInForce: Microseconds?
}

/// Where and when a packet was seen: what a timeline keeps of packets other than the latest.
public struct PacketMark: Hashable, Sendable {
    public var frameNumber: Int
    public var timeNanoseconds: Int64

    public init(_ observation: BFDObservation) {
        frameNumber = observation.frameNumber
        timeNanoseconds = observation.timeNanoseconds
    }
}

/// One end of a BFD session, as seen from the packets it sent.
///
/// A reference: the tracker updates a side in place for every packet, and reads of the session by
/// the rules must not copy it (that copy was the largest cost of `check`). Only the tracker, on one
/// thread, mutates it, hence the unchecked Sendable. For the same reason its mutable properties
/// skip the dynamic exclusivity check: no access to a side ever overlaps another (the tracker
/// updates it between packets, the rules only read it), and the check cost about 8 runtime calls
/// per packet, a tenth of the session tracking.
public final class BFDSide: @unchecked Sendable {
    public let address: IPAddress
    /// `address` as text, made once: findings name sides on the per-packet path.
    public let name: String
    public let peerAddress: IPAddress
    public let myDiscriminator: UInt32
    @exclusivity(unchecked) public internal(set) var sourcePort: UInt16
    @exclusivity(unchecked) public internal(set) var packets = 0
    @exclusivity(unchecked) public internal(set) var first: PacketMark
    @exclusivity(unchecked) public internal(set) var last: BFDObservation
    /// The frame of the latest packet that was part of the periodic schedule (see `BFDObservation.sameContent`).
    @exclusivity(unchecked) public internal(set) var lastPeriodicFrame: Int?
    @exclusivity(unchecked) public internal(set) var ttlMinimum: UInt8
    @exclusivity(unchecked) public internal(set) var ttlMaximum: UInt8
    @exclusivity(unchecked) public internal(set) var gaps = GapStatistics()
    @exclusivity(unchecked) public internal(set) var stateChanges = 0
    @exclusivity(unchecked) public internal(set) var timesUp = 0
    @exclusivity(unchecked) public internal(set) var upSinceNanoseconds: Int64?
    @exclusivity(unchecked) public internal(set) var lastDownDiagnostic: BFDDiagnostic?
    /// A Poll sent by this side that no Final from the peer has answered yet.
    @exclusivity(unchecked) public internal(set) var outstandingPoll: PacketMark?

    init(_ observation: BFDObservation) {
        address = observation.source
        name = observation.source.description
        peerAddress = observation.destination
        myDiscriminator = observation.packet.myDiscriminator
        sourcePort = observation.sourcePort
        first = PacketMark(observation)
        last = observation
        ttlMinimum = observation.ttl
        ttlMaximum = observation.ttl
    }

    public var state: BFDState { last.packet.state }
    public var parameters: BFDParameters { BFDParameters(last.packet) }
}

/// A BFD session: two sides joined by their discriminators (or, before they know each other, by
/// addresses and ports), with the timeline of what each did.
public struct BFDSession: Sendable {
    public let id: Int
    public let transport: BFDTransport
    /// The session this one replaced (same addresses, a side came back with a new discriminator).
    public internal(set) var previousSessionID: Int?
    /// Side A is the one with the lower address, so output is stable whichever spoke first.
    public internal(set) var sides = SidePair()
    public internal(set) var events: [BFDEvent] = []
    public internal(set) var echoPackets = 0
    /// Each side's latest timer values, kept apart from the sides so the per-packet negotiation
    /// arithmetic reads 13 bytes instead of copying a side.
    var parameters: (BFDParameters?, BFDParameters?) = (nil, nil)
    /// Detection time applied to packets from side A and from side B, as of the latest moment
    /// both ends were Up.
    var upDetection: (Microseconds?, Microseconds?) = (nil, nil)

    init(id: Int, transport: BFDTransport, previous: Int?) {
        self.id = id
        self.transport = transport
        previousSessionID = previous
    }

    public var a: BFDSide? { sides[0] }
    public var b: BFDSide? { sides[1] }

    /// The addresses of the two ends, A first.
    public var addresses: (IPAddress, IPAddress)? {
        if let a { return (a.address, a.peerAddress) }
        if let b { return (b.peerAddress, b.address) }
        return nil
    }

    public var packets: Int { (a?.packets ?? 0) + (b?.packets ?? 0) }

    /// RFC 5880 §6.8.2/§6.8.3: the interval `side` transmits at is the larger of its Desired Min TX
    /// and the peer's Required Min RX; nil until `side` has been seen. With the peer unseen, the
    /// sender's own Desired Min TX (a lower bound) is returned and `peerKnown` is false.
    public func negotiatedTxInterval(from side: Int) -> (interval: Microseconds, peerKnown: Bool)? {
        guard let sender = side == 0 ? parameters.0 : parameters.1 else { return nil }
        guard let receiver = side == 0 ? parameters.1 : parameters.0 else { return (sender.desiredMinTxInterval, false) }
        return (BFDTimingModel.transmitInterval(desiredMinTx: sender.desiredMinTxInterval,
                                                remoteMinRx: receiver.requiredMinRxInterval), true)
    }

    /// RFC 5880 §6.8.4 (asynchronous mode): the detection time the *receiver* of `side`'s packets
    /// applies is the sender's Detect Mult times max(receiver's Required Min RX, sender's Desired Min TX).
    public func detectionTime(forPacketsFrom side: Int) -> Microseconds? {
        guard let sender = side == 0 ? parameters.0 : parameters.1,
              let receiver = side == 0 ? parameters.1 : parameters.0
        else { return nil }
        return Microseconds(clamping: BFDTimingModel.detectionTime(
            remoteDetectMult: sender.detectMultiplier, localRequiredMinRx: receiver.requiredMinRxInterval,
            remoteDesiredMinTx: sender.desiredMinTxInterval))
    }

    /// Up→Down→Up cycles per side.
    public func flaps(side: Int) -> Int {
        var count = 0
        var wasUpThenDown = false
        for event in events where event.side == side {
            if case .stateChange(let from, let to, _) = event.kind {
                if from == .up, to != .up { wasUpThenDown = true }
                if to == .up, wasUpThenDown {
                    count += 1
                    wasUpThenDown = false
                }
            }
        }
        return count
    }
}

/// The two sides of a session, indexed 0 (A) and 1 (B), stored inline and mutable in place.
public struct SidePair: Sendable {
    var first: BFDSide?
    var second: BFDSide?

    public subscript(index: Int) -> BFDSide? {
        _read {
            if index == 0 { yield first } else { yield second }
        }
        _modify {
            if index == 0 { yield &first } else { yield &second }
        }
    }
}
