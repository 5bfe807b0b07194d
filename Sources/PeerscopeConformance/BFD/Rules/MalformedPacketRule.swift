import PeerscopeAnalysis
import PeerscopeWire

/// A frame on a BFD port that could not be decoded as BFD (RFC 5880 §6.8.6: a receiver discards
/// it): the decode error names the rule — BFD.PKT.VERSION, BFD.PKT.LENGTH.MIN,
/// BFD.PKT.LENGTH.PAYLOAD, BFD.PKT.AUTH.LEN, or CAPTURE.UNDECODABLE for the rest.
final class MalformedPacketRule: BFDRule {
    override var events: BFDRuleEvents { .malformed }

    override func malformed(_ frame: MalformedBFDFrame, _ out: inout BFDRuleOutput) {
        let error = frame.error
        let ruleID: RuleID
        switch error.reason {
        case .badVersion: ruleID = .BFD.PKT.VERSION
        case .lengthTooSmall: ruleID = .BFD.PKT.LENGTH.MIN
        case .truncated(let needed, _) where needed == BFDControlPacket.mandatoryLength: ruleID = .BFD.PKT.LENGTH.MIN
        case .badAuthLength, .truncated: ruleID = .BFD.PKT.AUTH.LEN
        case .lengthBeyondData:
            // BFD errors carry offsets inside the BFD packet: byte 3 is its Length field, 24 and on
            // the authentication section.
            ruleID = error.offset == 3 ? .BFD.PKT.LENGTH.PAYLOAD : .BFD.PKT.AUTH.LEN
        default: ruleID = .CAPTURE.UNDECODABLE
        }
        out.add(Finding(ruleID, side: frame.source?.description, frames: [frame.frame],
                        message: "\(frame.transport) packet discarded by any receiver: \(error)",
                        relativeTimeNanoseconds: out.relative(frame.time)),
                kind: error.code)
    }
}
