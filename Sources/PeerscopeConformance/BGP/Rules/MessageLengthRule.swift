import PeerscopeAnalysis
import PeerscopeWire

/// BGP.MSG.LENGTH (RFC 4271 §4.1; RFC 8654): Length is 19–4096, or up to 65535 once both ends
/// negotiated Extended Message.
final class MessageLengthRule: BGPRule {
    override var events: BGPRuleEvents { .message }

    override func message(_ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        let record = context.record
        let sides = session.sides
        // Only messages beyond 4,096 bytes need to know whether Extended Message was negotiated.
        let extended = record.length > BGPHeader.maximumLength
            && sides[0].open?.capabilities.contains(.extendedMessage) == true
            && sides[1].open?.capabilities.contains(.extendedMessage) == true
        let limit = extended ? BGPHeader.extendedMaximumLength : BGPHeader.maximumLength
        if record.length < BGPHeader.length || record.length > limit {
            out.report(.BGP.MSG.LENGTH, context, session: session, measured: .number(Int64(record.length)),
                       expected: .range(.number(Int64(BGPHeader.length)), .number(Int64(limit))),
                       "Message length \(record.length) outside 19–\(limit)"
                           + (extended ? "" : " (Extended Message not negotiated by both)"))
        }
    }
}
