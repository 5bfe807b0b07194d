import PeerscopeEndpoint
import PeerscopeWire

/// Asks the endpoint's RFC 5880 §6.8.6 checks (`BFDReceptionChecks`) whether a receiver would
/// discard a captured packet for one given header reason, so the header rules (Detect Mult 0,
/// M bit, My Discriminator 0, Your Discriminator 0 outside Down/AdminDown) restate none of them.
///
/// The analyzer's view differs from a receiver's in three ways, and keeps its own:
/// - §6.8.6 stops at the first failing check; the analyzer reports every header defect of a
///   packet on its own (Detect Mult 0 with the M bit set raises both). So the probe carries only
///   the field asked about and gives the other header checks values that pass.
/// - TTL and authentication are judged by their own rules with what the analyzer knows of the
///   transport and the keys (SingleHopTTLRule, the Authentication rules): the probe passes
///   TTL 255 to a single-hop view and leaves the A bit clear on both sides.
/// - Seen from outside both routers, the receiver's My Discriminator is unknown here (it is the
///   peer's latest My Discriminator, which YourDiscriminatorReflectRule compares): the view takes
///   the packet's own Your Discriminator, so a nonzero one always selects "the" session.
enum BFDReceptionProbe {
    static func discards(_ packet: BFDControlPacket, for reason: BFDDiscardReason) -> Bool {
        var flags = packet.flags.subtracting(.authenticationPresent)
        if reason != .multipointSet { flags.remove(.multipoint) }
        let multiplier = reason == .detectMultiplierZero ? packet.detectMultiplier : max(packet.detectMultiplier, 1)
        let myDiscriminator = reason == .myDiscriminatorZero ? packet.myDiscriminator : max(packet.myDiscriminator, 1)
        let receiver = BFDReceiverView(hopMode: .singleHop, localDiscriminator: packet.yourDiscriminator,
                                       authenticationInUse: false)
        // The mandatory section only (§4.1): what the header checks read.
        return withUnsafeTemporaryAllocation(byteCount: BFDControlPacket.mandatoryLength, alignment: 1) { header in
            header.initializeMemory(as: UInt8.self, repeating: 0)
            header[0] = 1 << 5 | packet.diagnostic.rawValue & 0x1F
            header[1] = packet.state.rawValue << 6 | flags.rawValue
            header[2] = multiplier
            header[3] = UInt8(BFDControlPacket.mandatoryLength)
            for index in 0..<4 {
                let shift = UInt32(24 - 8 * index)
                header[4 + index] = UInt8(truncatingIfNeeded: myDiscriminator >> shift)
                header[8 + index] = UInt8(truncatingIfNeeded: packet.yourDiscriminator >> shift)
            }
            if case .failure(let found) = BFDReceptionChecks.check(UnsafeRawBufferPointer(header), ttl: 255, receiver: receiver) {
                return found == reason
            }
            return false
        }
    }
}
