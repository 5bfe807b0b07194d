import PeerscopeAnalysis
import PeerscopeWire

/// CONFORMANCE.md §1 (packet format, RFC 5880 §4.1 and the reception checks of §6.8.6) and
/// §4 (transport: RFC 5881 single hop, RFC 5883 multihop).
extension BFDConformanceEngine {
    /// A frame on a BFD port that could not be decoded as BFD: the decode error names the rule.
    public mutating func malformed(frame: Int, time: Int64, error: WireError, transport: BFDTransport,
                                   source: IPAddress?) {
        let ruleID: String
        switch error.reason {
        case .badVersion: ruleID = "BFD.PKT.VERSION"
        case .lengthTooSmall: ruleID = "BFD.PKT.LENGTH.MIN"
        case .truncated(let needed, _) where needed == BFDControlPacket.mandatoryLength: ruleID = "BFD.PKT.LENGTH.MIN"
        case .badAuthLength, .truncated: ruleID = "BFD.PKT.AUTH.LEN"
        case .lengthBeyondData:
            // BFD errors carry offsets inside the BFD packet: byte 3 is its Length field, 24 and on
            // the authentication section.
            ruleID = error.offset == 3 ? "BFD.PKT.LENGTH.PAYLOAD" : "BFD.PKT.AUTH.LEN"
        default: ruleID = "CAPTURE.UNDECODABLE"
        }
        findings.add(Finding(ruleID, side: source?.description, frames: [frame],
                             message: "\(transport) packet discarded by any receiver: \(error)",
                             relativeTimeNanoseconds: relative(time)),
                     kind: error.code)
    }

    mutating func checkFormat(_ context: BFDPacketContext, session: BFDSession) {
        let packet = context.observation.packet
        if packet.detectMultiplier == 0 {
            report("BFD.PKT.MULT.ZERO", context, session: session, measured: "0", expected: "≥ 1",
                   "Detect Mult is 0; a receiver must discard the packet")
        }
        if packet.flags.contains(.multipoint) {
            report("BFD.PKT.M.BIT", context, session: session, measured: "M=1", expected: "M=0",
                   "Multipoint bit set on a point-to-point session; a receiver must discard the packet")
        }
        if packet.myDiscriminator == 0 {
            report("BFD.PKT.MYDISC.ZERO", context, session: session, measured: "0", expected: "non-zero",
                   "My Discriminator is 0; a receiver must discard the packet")
        }
        if packet.yourDiscriminator == 0, packet.state == .up || packet.state == .`init` {
            report("BFD.PKT.YOURDISC.STATE", context, session: session, measured: "0 in state \(packet.state)",
                   expected: "non-zero unless Down or AdminDown",
                   "Your Discriminator is 0 while the sender is \(packet.state); the peer must discard it")
        }
        if packet.yourDiscriminator != 0, let peer = context.peerLast,
           packet.yourDiscriminator != peer.packet.myDiscriminator {
            report("BFD.PKT.YOURDISC.REFLECT", context, session: session,
                   frames: [context.observation.frameNumber, peer.frameNumber],
                   measured: "\(packet.yourDiscriminator)", expected: "\(peer.packet.myDiscriminator)",
                   "Your Discriminator does not reflect the peer's My Discriminator (stale or mis-demultiplexed session)")
        }
        if packet.poll, packet.final {
            report("BFD.PKT.PF.BOTH", context, session: session, measured: "P=1 F=1",
                   "Poll and Final both set (RFC 5880 §6.5 forbids it)")
        }
        if !packet.diagnostic.isDefined {
            report("BFD.PKT.DIAG.RESERVED", context, session: session, measured: "\(packet.diagnostic.rawValue)",
                   expected: "0–9", "Diag \(packet.diagnostic.rawValue) is reserved")
        }
        if let auth = packet.authentication, case .reserved(let type) = auth.type {
            report("BFD.PKT.AUTH.LEN", context, session: session, measured: "auth type \(type)", expected: "1–5",
                   "Authentication Type \(type) is reserved")
        }
        if let previous = context.previous,
           previous.packet.flags.contains(.authenticationPresent) != packet.flags.contains(.authenticationPresent) {
            report("BFD.PKT.AUTH.CONSISTENT", context, session: session,
                   frames: [previous.frameNumber, context.observation.frameNumber],
                   measured: packet.authentication == nil ? "A=0" : "A=1",
                   expected: previous.packet.authentication == nil ? "A=0" : "A=1",
                   "Authentication bit changed within one direction of the session")
        }
        if packet.flags.contains(.demand) {
            let peerUp = context.peerLast?.packet.state == .up
            if packet.state != .up || !peerUp {
                report("BFD.PKT.DEMAND.WHEN", context, session: session,
                       measured: "D=1, sender \(packet.state), peer \(context.peerLast?.packet.state.description ?? "unseen")",
                       expected: "both Up", "Demand bit set while the session is not Up on both ends")
            }
        }
    }

    mutating func checkTransport(_ context: BFDPacketContext, session: BFDSession, state: inout SessionRuleState) {
        let observation = context.observation
        let packet = observation.packet
        let expectedPort = observation.transport.wellKnownPort
        if observation.destinationPort != expectedPort, observation.transport != .seamless {
            report("BFD.IP.PORT.DST", context, session: session, kind: "\(observation.destinationPort)", measured: "\(observation.destinationPort)",
                   expected: "\(expectedPort)",
                   "\(observation.transport) control packet sent to UDP \(observation.destinationPort), not \(expectedPort)")
        }
        // S-BFD reflectors answer from 7784 (RFC 7880); every other control sender uses an ephemeral port.
        let reflected = observation.transport == .seamless && observation.sourcePort == BFDTransport.seamlessPort
        if !reflected, observation.sourcePort < 49152 {
            report("BFD.IP.PORT.SRC", context, session: session, measured: "\(observation.sourcePort)",
                   expected: "49152–65535", "Source port \(observation.sourcePort) is outside the range RFC 5881 §4 requires")
        }
        if let previous = context.previous, previous.sourcePort != observation.sourcePort {
            report("BFD.IP.PORT.STABLE", context, session: session,
                   frames: [previous.frameNumber, observation.frameNumber],
                   measured: "\(previous.sourcePort) → \(observation.sourcePort)", expected: "one source port",
                   "The session's source port changed")
        }
        switch observation.transport {
        case .singleHop, .microBFD:
            if observation.ttl != 255 {
                let authenticated = packet.authentication != nil
                report("BFD.IP.TTL.SINGLEHOP", context, session: session, level: authenticated ? .should : nil,
                       measured: "\(observation.ttl)", expected: "255",
                       authenticated
                           ? "Single-hop packet with TTL \(observation.ttl); with authentication 255 is still expected"
                           : "Single-hop packet with TTL \(observation.ttl): a receiver must discard it (GTSM, RFC 5881 §5)")
            }
        case .multihop:
            if packet.authentication == nil, !state.multihopAuthReported {
                state.multihopAuthReported = true
                report("BFD.IP.MULTIHOP.AUTH", context, session: session,
                       "Multihop session without authentication (RFC 5883 §6 recommends it)")
            }
        case .seamless, .echo:
            break
        }
    }
}
