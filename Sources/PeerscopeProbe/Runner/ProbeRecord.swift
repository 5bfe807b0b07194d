import PeerscopeEndpoint
import PeerscopeWire

/// Which end of the session an observation is about.
public enum ProbeSide: String, Hashable, Sendable, Codable {
    /// Our own endpoint (the tester, or `peerscope respond`).
    case tester
    /// The device under test.
    case device
}

/// One datagram from the device, as it arrived: what cases compute their figures from.
public struct DevicePacket: Hashable, Sendable {
    /// Monotonic ns when it was read (the clock every deadline uses).
    public var time: Int64
    /// CLOCK_REALTIME ns of the kernel's receive timestamp (the capture's clock), for evidence frames.
    public var wallTime: Int64
    public var bytes: [UInt8]
    /// nil when the payload does not decode as a BFD Control packet.
    public var packet: BFDControlPacket?
    public var ttl: UInt8?
    public var sourcePort: UInt16
    public var destinationPort: UInt16

    public init(time: Int64, wallTime: Int64, bytes: [UInt8], packet: BFDControlPacket?, ttl: UInt8?,
                sourcePort: UInt16, destinationPort: UInt16) {
        self.time = time
        self.wallTime = wallTime
        self.bytes = bytes
        self.packet = packet
        self.ttl = ttl
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
    }

    /// A packet built from a decoded value, for tests and the virtual-time evaluators.
    public init(time: Int64, packet: BFDControlPacket, ttl: UInt8 = 255, sourcePort: UInt16 = 49_152,
                destinationPort: UInt16 = 3784) {
        self.init(time: time, wallTime: time, bytes: packet.encoded, packet: packet, ttl: ttl,
                  sourcePort: sourcePort, destinationPort: destinationPort)
    }

    public var state: BFDState? { packet?.state }
}

/// One datagram we sent: periodic, out of turn, or a deliberately broken probe.
public struct SentPacket: Hashable, Sendable {
    public var time: Int64
    public var wallTime: Int64
    public var bytes: [UInt8]
    public var ttl: UInt8
    /// True for packets a case injected (mutated, replayed, wrong TTL): not part of the session.
    public var injected: Bool
    /// Our bfd.LocalDiscr when it left (the session it belongs to).
    public var localDiscriminator: UInt32

    public init(time: Int64, wallTime: Int64, bytes: [UInt8], ttl: UInt8, injected: Bool, localDiscriminator: UInt32) {
        self.time = time
        self.wallTime = wallTime
        self.bytes = bytes
        self.ttl = ttl
        self.injected = injected
        self.localDiscriminator = localDiscriminator
    }
}

/// A BFD state change of either side. The device's are read from the State field of its packets.
public struct StateChange: Hashable, Sendable {
    public var time: Int64
    public var side: ProbeSide
    public var from: BFDState
    public var to: BFDState
    public var diagnostic: BFDDiagnostic
    /// Index into `ProbeRecord.devicePackets` of the packet that showed it (device side only).
    public var packetIndex: Int?

    public init(time: Int64, side: ProbeSide, from: BFDState, to: BFDState, diagnostic: BFDDiagnostic,
                packetIndex: Int? = nil) {
        self.time = time
        self.side = side
        self.from = from
        self.to = to
        self.diagnostic = diagnostic
        self.packetIndex = packetIndex
    }
}

/// What happened on the BGP session, from our side of the TCP connection.
public struct BGPObservation: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case connected
        case established
        case notificationReceived(code: UInt8, subcode: UInt8)
        case notificationSent(code: UInt8, subcode: UInt8)
        /// The device closed the connection (FIN) or reset it, without a NOTIFICATION before.
        case closedByPeer(reset: Bool)
        case closedByUs
    }

    public var time: Int64
    public var wallTime: Int64
    public var kind: Kind

    public init(time: Int64, wallTime: Int64, kind: Kind) {
        self.time = time
        self.wallTime = wallTime
        self.kind = kind
    }

    /// The session ended on the device's initiative.
    public var isTeardownByPeer: Bool {
        switch kind {
        case .notificationReceived, .closedByPeer: true
        case .connected, .established, .notificationSent, .closedByUs: false
        }
    }
}

/// Everything a run observed, in arrival order: the input of every verdict. Pure data, so the
/// verdict logic runs on recorded or synthetic records in virtual time.
///
/// Packets are kept in `PacketLog`s: the last `retainedPackets` of each direction, indexed by
/// arrival number, so a long run's memory is bounded while every index stays what it was.
public struct ProbeRecord: Sendable {
    /// Appended through `appendDevice` only, which keeps `deviceState` in step.
    public private(set) var devicePackets: PacketLog<DevicePacket>
    public var sentPackets: PacketLog<SentPacket>
    public var stateChanges: [StateChange] = []
    public var bgp: [BGPObservation] = []

    public init(retainedPackets: Int = PacketLog<DevicePacket>.defaultLimit) {
        devicePackets = PacketLog(limit: retainedPackets)
        sentPackets = PacketLog(limit: retainedPackets)
    }

    /// The device's state as its latest decodable packet says. Kept, not searched for: a flood of
    /// undecodable packets from the peer's address made every append scan back over all of them.
    public private(set) var deviceState: BFDState?

    /// Appends a device packet and, when its State differs from the previous one, a state change.
    public mutating func appendDevice(_ packet: DevicePacket) {
        let previous = deviceState
        devicePackets.append(packet)
        if let decoded = packet.packet { deviceState = decoded.state }
        guard let decoded = packet.packet, decoded.version == 1 else { return }
        if previous != decoded.state {
            stateChanges.append(StateChange(time: packet.time, side: .device, from: previous ?? .down, to: decoded.state,
                                            diagnostic: decoded.diagnostic, packetIndex: devicePackets.endIndex - 1))
        }
    }

    /// Indices of device packets received in [from, to).
    public func deviceIndices(from: Int64, to: Int64 = .max) -> [Int] {
        devicePackets.indices.filter { devicePackets[$0].time >= from && devicePackets[$0].time < to }
    }
}
