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
///   TTL 255 to a single-hop view and judges no authentication section.
/// - Seen from outside both routers, the receiver's My Discriminator is unknown here (it is the
///   peer's latest My Discriminator, which YourDiscriminatorReflectRule compares): the view takes
///   the packet's own Your Discriminator, so a nonzero one always selects "the" session.
enum BFDReceptionProbe {
    static func discards(_ packet: BFDControlPacket, for reason: BFDDiscardReason) -> Bool {
        // The A bit is set towards a receiver without authentication: a probe that passes the header
        // checks then stops at the next step of §6.8.6 (A bit set, bfd.AuthType 0) instead of
        // being decoded, which keeps the probe cheap (it runs four times per packet).
        var flags = packet.flags.union(.authenticationPresent)
        if reason != .multipointSet { flags.remove(.multipoint) }
        let multiplier = reason == .detectMultiplierZero ? packet.detectMultiplier : max(packet.detectMultiplier, 1)
        let myDiscriminator = reason == .myDiscriminatorZero ? packet.myDiscriminator : max(packet.myDiscriminator, 1)
        let receiver = BFDReceiverView(hopMode: .singleHop, localDiscriminator: packet.yourDiscriminator,
                                       authenticationInUse: false)
        // The mandatory section and the two bytes an A bit asks for (§4.1): what the checks read.
        let length = BFDControlPacket.mandatoryLength + 2
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 4) { header in
            header.initializeMemory(as: UInt8.self, repeating: 0)
            header[0] = 1 << 5 | packet.diagnostic.rawValue & 0x1F
            header[1] = packet.state.rawValue << 6 | flags.rawValue
            header[2] = multiplier
            header[3] = UInt8(length)
            header.storeBytes(of: myDiscriminator.bigEndian, toByteOffset: 4, as: UInt32.self)
            header.storeBytes(of: packet.yourDiscriminator.bigEndian, toByteOffset: 8, as: UInt32.self)
            if case .failure(let found) = BFDReceptionChecks.check(UnsafeRawBufferPointer(header), ttl: 255, receiver: receiver) {
                return found == reason
            }
            return false
        }
    }
}
