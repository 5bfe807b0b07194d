import PeerscopeAnalysis
import PeerscopeWire

/// BFD.PKT.DIAG.RESERVED (RFC 5880 §4.1; RFC 6428): Diag is a defined code.
final class DiagnosticReservedRule: BFDRule {
    override var events: BFDRuleEvents { .packet }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        if !packet.diagnostic.isDefined {
            out.report(.BFD.PKT.DIAG.RESERVED, context, session: session, measured: .number(Int64(packet.diagnostic.rawValue)),
                       expected: .range(.number(0), .number(9)), "Diag \(packet.diagnostic.rawValue) is reserved")
        }
    }
}
