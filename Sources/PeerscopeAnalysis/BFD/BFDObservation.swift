import PeerscopeWire

/// One BFD control packet as a timeline keeps it: the values copied out of the frame, and where
/// and when it was seen. About a hundred bytes; sessions keep only the latest few.
public struct BFDObservation: Hashable, Sendable {
    public var frameNumber: Int
    public var timeNanoseconds: Int64
    public var transport: BFDTransport
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ttl: UInt8
    /// More than one IP header: the packet came through a tunnel.
    public var tunnelled: Bool
    public var packet: BFDControlPacket

    public init(frameNumber: Int, timeNanoseconds: Int64, transport: BFDTransport, source: IPAddress,
                destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16, ttl: UInt8,
                tunnelled: Bool = false, packet: BFDControlPacket) {
        self.frameNumber = frameNumber
        self.timeNanoseconds = timeNanoseconds
        self.transport = transport
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.ttl = ttl
        self.tunnelled = tunnelled
        self.packet = packet
    }

    /// Builds the observation for a decoded control packet, or nil for anything else.
    public init?(frame number: Int, time: Int64, decoded: DecodedFrame, dissection: Dissection) {
        guard case .bfdControl(let packet, let transport) = decoded,
              let network = dissection.network, case .udp(let udp) = dissection.transport
        else { return nil }
        self.init(frameNumber: number, timeNanoseconds: time, transport: transport, source: network.source,
                  destination: network.destination, sourcePort: udp.sourcePort, destinationPort: udp.destinationPort,
                  ttl: network.ttl, tunnelled: dissection.encapsulation.ipDepth > 1, packet: packet)
    }

    /// True when everything but Poll/Final equals `other`: a periodic repeat, not a change
    /// (RFC 5880 §6.8.7 lets changes be sent at once, outside the periodic schedule).
    public func sameContent(as other: BFDObservation) -> Bool {
        // Field by field, without copying either packet (this runs for every packet).
        let a = packet, b = other.packet
        let pollFinal = BFDFlags([.poll, .final]).rawValue
        return a.state == b.state && a.diagnostic == b.diagnostic
            && a.flags.rawValue & ~pollFinal == b.flags.rawValue & ~pollFinal
            && a.detectMultiplier == b.detectMultiplier && a.length == b.length
            && a.myDiscriminator == b.myDiscriminator && a.yourDiscriminator == b.yourDiscriminator
            && a.desiredMinTxInterval == b.desiredMinTxInterval && a.requiredMinRxInterval == b.requiredMinRxInterval
            && a.requiredMinEchoRxInterval == b.requiredMinEchoRxInterval && a.version == b.version
            && a.authentication?.type == b.authentication?.type && a.authentication?.keyID == b.authentication?.keyID
    }
}

/// The timer values one side advertises, as a unit: a change of any of them starts a new period.
public struct BFDParameters: Hashable, Sendable, CustomStringConvertible {
    public var desiredMinTxInterval: Microseconds
    public var requiredMinRxInterval: Microseconds
    public var requiredMinEchoRxInterval: Microseconds
    public var detectMultiplier: UInt8

    public init(_ packet: BFDControlPacket) {
        desiredMinTxInterval = packet.desiredMinTxInterval
        requiredMinRxInterval = packet.requiredMinRxInterval
        requiredMinEchoRxInterval = packet.requiredMinEchoRxInterval
        detectMultiplier = packet.detectMultiplier
    }

    public var description: String {
        "tx \(desiredMinTxInterval) µs, rx \(requiredMinRxInterval) µs, echo \(requiredMinEchoRxInterval) µs, mult \(detectMultiplier)"
    }
}
