import PeerscopeAnalysis
import PeerscopeWire

/// BFD.TMR.NEGOTIATED (RFC 5880 §6.8.2–§6.8.4): an INFO per change of the negotiated values, the
/// interval each way and the detection time it gives.
final class NegotiationRule: BFDRule {
    override var events: BFDRuleEvents { [.packet, .sessionState] }
    private struct Values: Equatable {
        var aToB: Microseconds
        var detectAtB: Microseconds
        var bToA: Microseconds
        var detectAtA: Microseconds
    }
    /// The negotiated values last reported.
    @exclusivity(unchecked) private var reported = SlotStates<Values?>(nil)

    override func reset(slot: Int) { reported.reset(slot) }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        guard let ab = session.negotiatedTxInterval(from: 0), ab.peerKnown,
              let ba = session.negotiatedTxInterval(from: 1),
              let detectAtB = session.detectionTime(forPacketsFrom: 0),
              let detectAtA = session.detectionTime(forPacketsFrom: 1)
        else { return }
        let values = Values(aToB: ab.interval, detectAtB: detectAtB, bToA: ba.interval, detectAtA: detectAtA)
        guard values != reported[slot] else { return }
        reported[slot] = values
        let a = session.sides[0]?.name ?? "?", b = session.sides[1]?.name ?? "?"
        let multA = session.sides[0]?.last.packet.detectMultiplier ?? 0, multB = session.sides[1]?.last.packet.detectMultiplier ?? 0
        out.report(.BFD.TMR.NEGOTIATED, context, session: session, kind: "\(values.aToB)/\(values.detectAtB)/\(values.bToA)/\(values.detectAtA)",
                   measured: .composite([.transition(.address(a), .address(b)), .text(" "), .interval(microseconds: Int64(ab.interval)),
                                         .text(" ×"), .number(Int64(multA)), .text(" (detect "), .interval(microseconds: Int64(detectAtB)),
                                         .text("); "), .transition(.address(b), .address(a)), .text(" "), .interval(microseconds: Int64(ba.interval)),
                                         .text(" ×"), .number(Int64(multB)), .text(" (detect "), .interval(microseconds: Int64(detectAtA)), .text(")")]),
                   "Negotiated intervals changed")
    }
}
