import PeerscopeAnalysis
import PeerscopeWire

/// BFD.AUTH.DIGEST at the end of a session: one INFO per side that used authentication with the
/// count `AuthenticationDigestRule` kept, so a run with the right key says so instead of saying
/// nothing.
final class AuthenticationTallyRule: BFDRule {
    override var events: BFDRuleEvents { .finishSession }
    private let digest: AuthenticationDigestRule

    init(digest: AuthenticationDigestRule) { self.digest = digest }

    override func finishSession(_ session: BFDSession, slot: Int?, lastFrameTime: Int64, _ out: inout BFDRuleOutput) {
        for index in 0..<2 {
            guard let tally = digest.tally(slot: slot, side: index), let side = session.sides[index],
                  tally.verified + tally.failed > 0 else { continue }
            out.add(out.sessionFinding(.BFD.AUTH.DIGEST, session, side: index, level: .info,
                                       frames: [side.first.frameNumber],
                                       measured: .composite([.number(Int64(tally.verified)), .text(" of "), .number(Int64(tally.packets)), .text(" verified")]),
                                       "\(tally.type): \(tally.summary)"),
                    kind: "tally")
        }
    }
}
