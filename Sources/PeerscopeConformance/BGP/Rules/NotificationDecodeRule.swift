import PeerscopeAnalysis
import PeerscopeWire

/// BGP.NOTIF.DECODE (RFC 4271 §4.5; RFC 9003): each NOTIFICATION, named.
final class NotificationDecodeRule: BGPRule {
    override var events: BGPRuleEvents { .notification }

    override func notification(_ notification: BGPNotification, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        out.report(.BGP.NOTIF.DECODE, context, session: session, measured: .composite([.number(Int64(notification.code)), .text("/"), .number(Int64(notification.subcode))]),
                   kind: "\(context.record.frameNumber)", "NOTIFICATION \(notification)")
    }
}
