import PeerscopeAnalysis
import PeerscopeWire

/// BGP.OPEN.AS4 (RFC 6793 §4.1): with the 4-octet AS capability, My AS is AS_TRANS for an ASN above 65535
/// and the ASN itself otherwise.
final class OpenAS4Rule: BGPRule {
    override var events: BGPRuleEvents { .open }

    override func open(_ open: BGPOpen, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        if let asn = open.fourOctetASN {
            let expectedMyAS = asn > 65_535 ? 23_456 : UInt16(asn)
            if open.myAS != expectedMyAS {
                out.report(.BGP.OPEN.AS4, context, session: session, measured: .number(Int64(open.myAS)), expected: .number(Int64(expectedMyAS)),
                           "My AS \(open.myAS) with 4-octet AS \(asn): expected \(expectedMyAS)"
                               + (asn > 65_535 ? " (AS_TRANS, RFC 6793 §4.1)" : " (the ASN itself)"))
            }
        }
    }
}
