import PeerscopeEndpoint
import PeerscopeWire

/// Asks the endpoint's RFC 5880 §6.8.6 checks (`BFDReceptionChecks`) whether a receiver would
/// discard a captured packet for one given header reason, so the header rules (Detect Mult 0,
/// M bit, My Discriminator 0, Your Discriminator 0 outside Down/AdminDown) restate none of them.
///
/// The analyzer's view differs from a receiver's in three ways, and keeps its own:
/// - §6.8.6 stops at the first failing check; the analyzer reports every header defect of a
///   packet on its own (Detect Mult 0 with the M bit set raises both). So after each reason the
///   probe gives that field a passing value and asks again.
/// - TTL and authentication are judged by their own rules with what the analyzer knows of the
///   transport and the keys (SingleHopTTLRule, the Authentication rules): the probe passes
///   TTL 255 to a single-hop view and judges no authentication section.
/// - Seen from outside both routers, the receiver's My Discriminator is unknown here (it is the
///   peer's latest My Discriminator, which YourDiscriminatorReflectRule compares): the view takes
///   the packet's own Your Discriminator, so a nonzero one always selects "the" session.
/// One run's verdicts, shared by the four header rules: the probe runs once per packet and names
/// every header reason (after each failure the field at fault gets a passing value and the checks
/// run again), instead of once per rule.
final class BFDReceptionProbe {
    private var key: (word: UInt32, my: UInt32, your: UInt32)?
    private var reasons: UInt32 = 0

    /// Whether a receiver would discard `packet` for `reason` (one of the four header reasons).
    func discards(_ packet: BFDControlPacket, for reason: BFDDiscardReason) -> Bool {
        // The verdict depends on the first header word and the discriminators alone.
        let word = UInt32(packet.diagnostic.rawValue) << 24 | UInt32(packet.state.rawValue << 6 | packet.flags.rawValue) << 16
            | UInt32(packet.detectMultiplier) << 8
        if key?.word != word || key?.my != packet.myDiscriminator || key?.your != packet.yourDiscriminator {
            key = (word, packet.myDiscriminator, packet.yourDiscriminator)
            reasons = Self.headerReasons(packet)
        }
        return reasons & 1 << reason.rawValue != 0
    }

    private static func headerReasons(_ packet: BFDControlPacket) -> UInt32 {
        // The A bit is set towards a receiver without authentication: a probe that passes the header
        // checks then stops at the next step of §6.8.6 (A bit set, bfd.AuthType 0) instead of
        // being decoded, which keeps the probe cheap.
        var flags = packet.flags.union(.authenticationPresent)
        var multiplier = packet.detectMultiplier
        var myDiscriminator = packet.myDiscriminator
        let receiver = BFDReceiverView(hopMode: .singleHop, localDiscriminator: packet.yourDiscriminator,
                                       authenticationInUse: false)
        var reasons: UInt32 = 0
        // Four header reasons at most, each fixed once: the loop ends.
        for _ in 0..<5 {
            guard let found = probe(packet, flags: flags, multiplier: multiplier, myDiscriminator: myDiscriminator,
                                    receiver: receiver) else { return reasons }
            switch found {
            case .detectMultiplierZero: multiplier = 1
            case .multipointSet: flags.remove(.multipoint)
            case .myDiscriminatorZero: myDiscriminator = 1
            // The last header check: nothing after it is the header's.
            case .yourDiscriminatorZeroNotDown: return reasons | 1 << found.rawValue
            default: return reasons
            }
            reasons |= 1 << found.rawValue
        }
        return reasons
    }

    /// §6.8.6's verdict on the mandatory section built from these fields, and the two bytes an A
    /// bit asks for (§4.1): what the header checks read.
    private static func probe(_ packet: BFDControlPacket, flags: BFDFlags, multiplier: UInt8, myDiscriminator: UInt32,
                              receiver: BFDReceiverView) -> BFDDiscardReason? {
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
                return found
            }
            return nil
        }
    }
}
