import PeerscopeAnalysis
import PeerscopeEndpoint
import PeerscopeWire

/// The header checks of RFC 5880 §6.8.6 that a capture can judge on one packet alone, one rule ID
/// each: BFD.PKT.MULT.ZERO, BFD.PKT.M.BIT, BFD.PKT.MYDISC.ZERO, BFD.PKT.YOURDISC.STATE. Whether
/// a receiver discards the packet is the endpoint model's answer (`BFDReceptionProbe`); each
/// instance only names its reason and how to report it.
final class HeaderDiscardRule: BFDRule {
    /// One check: the model's discard reason, the rule it breaks, and the finding's words.
    struct Check: Sendable {
        let reason: BFDDiscardReason
        let rule: RuleID
        let measured: @Sendable (BFDControlPacket) -> FindingValue
        let expected: FindingValue
        let message: @Sendable (BFDControlPacket) -> FindingMessage
    }

    static let multiplierZero = Check(
        reason: .detectMultiplierZero, rule: .BFD.PKT.MULT.ZERO, measured: { _ in .number(0) }, expected: .atLeast(.number(1)),
        message: { _ in "Detect Mult is 0; a receiver must discard the packet" })
    static let multipointBit = Check(
        reason: .multipointSet, rule: .BFD.PKT.M.BIT, measured: { _ in .word("M=1") }, expected: .word("M=0"),
        message: { _ in "Multipoint bit set on a point-to-point session; a receiver must discard the packet" })
    static let myDiscriminatorZero = Check(
        reason: .myDiscriminatorZero, rule: .BFD.PKT.MYDISC.ZERO, measured: { _ in .discriminator(0) }, expected: .text("non-zero"),
        message: { _ in "My Discriminator is 0; a receiver must discard the packet" })
    static let yourDiscriminatorState = Check(
        reason: .yourDiscriminatorZeroNotDown, rule: .BFD.PKT.YOURDISC.STATE,
        measured: { .composite([.discriminator(0), .text(" in state "), .word("\($0.state)")]) },
        expected: .text("non-zero unless Down or AdminDown"),
        message: { "Your Discriminator is 0 while the sender is \($0.state); the peer must discard it" })

    /// In the order their findings are listed.
    static let all = [multiplierZero, multipointBit, myDiscriminatorZero, yourDiscriminatorState]

    override var events: BFDRuleEvents { .packet }
    private let check: Check
    private let probe: BFDReceptionProbe

    /// `probe` is shared by the header rules of a run, so the model is asked once per packet.
    init(_ check: Check, probe: BFDReceptionProbe) {
        self.check = check
        self.probe = probe
        super.init()
    }

    override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
        let packet = context.observation.packet
        guard probe.discards(packet, for: check.reason) else { return }
        out.report(check.rule, context, session: session, measured: check.measured(packet), expected: check.expected,
                   check.message(packet))
    }
}
