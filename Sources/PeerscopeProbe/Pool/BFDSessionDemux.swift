import PeerscopeWire

/// Which session of a pool a received Control packet belongs to (RFC 5880 §6.8.6): by Your
/// Discriminator when it is nonzero; when it is zero (the peer has not heard us yet) by where the
/// packet came from — source address and, when the session knows it, source port (RFC 5881 §3
/// selects by source address and interface; the port tells apart sessions that share an address).
///
/// Only the demultiplexing fields are read here; the session's own §6.8.6 checklist judges the rest.
public struct BFDSessionDemux: Sendable {
    /// Why a packet matched no session, each with a counter, like FRR's receive checklist.
    public enum Miss: Error, Hashable, Sendable {
        /// Shorter than the 24-byte mandatory section: no Your Discriminator to read (§6.8.6 check 3).
        case tooShort
        /// §6.8.6: "If the Your Discriminator field is nonzero, it MUST be used to select the session
        /// … If no session is found, the packet MUST be discarded."
        case unknownDiscriminator(UInt32)
        /// Your Discriminator 0 from an address (and port) no session is configured for.
        case unknownSource(SocketAddress)
    }

    public struct Counters: Hashable, Sendable {
        public var byDiscriminator = 0
        public var bySource = 0
        public var tooShort = 0
        public var unknownDiscriminator = 0
        public var unknownSource = 0
    }

    public private(set) var counters = Counters()
    private var byLocalDiscriminator: [UInt32: Int32] = [:]
    /// Sessions that know their peer's source port.
    private var bySourceAndPort: [SocketAddress: Int32] = [:]
    /// Sessions that accept Your Discriminator 0 from any port of their peer's address.
    private var bySourceAddress: [IPAddress: Int32] = [:]

    public init(capacity: Int = 0) {
        byLocalDiscriminator.reserveCapacity(capacity)
        bySourceAddress.reserveCapacity(capacity)
    }

    /// Registers `session`. A local discriminator must be unique in the pool (§6.8.1), and so must the
    /// peer address (with port, if given): two sessions the demux could not tell apart are a bug.
    public mutating func add(session: Int, localDiscriminator: UInt32, peer: IPAddress, peerSourcePort: UInt16?) {
        precondition(byLocalDiscriminator[localDiscriminator] == nil, "discriminator \(localDiscriminator) used twice")
        byLocalDiscriminator[localDiscriminator] = Int32(session)
        if let peerSourcePort {
            let key = SocketAddress(peer, port: peerSourcePort)
            precondition(bySourceAndPort[key] == nil, "two sessions with peer \(key)")
            bySourceAndPort[key] = Int32(session)
        } else {
            precondition(bySourceAddress[peer] == nil, "two sessions with peer \(peer) and no port to tell them apart")
            bySourceAddress[peer] = Int32(session)
        }
    }

    /// The session for `payload` from `source`, or why there is none.
    public mutating func session(for payload: UnsafeRawBufferPointer, from source: SocketAddress) -> Result<Int, Miss> {
        guard payload.count >= 24 else {
            counters.tooShort += 1
            return .failure(.tooShort)
        }
        let yourDiscriminator = UInt32(payload[8]) << 24 | UInt32(payload[9]) << 16
            | UInt32(payload[10]) << 8 | UInt32(payload[11])
        if yourDiscriminator != 0 {
            guard let session = byLocalDiscriminator[yourDiscriminator] else {
                counters.unknownDiscriminator += 1
                return .failure(.unknownDiscriminator(yourDiscriminator))
            }
            counters.byDiscriminator += 1
            return .success(Int(session))
        }
        var key = source
        key.scopeID = 0
        if let session = bySourceAndPort[key] ?? bySourceAddress[source.address] {
            counters.bySource += 1
            return .success(Int(session))
        }
        counters.unknownSource += 1
        return .failure(.unknownSource(source))
    }
}
