/// The path attribute type registry (IANA "BGP Path Attributes"): for each type peerscope knows, its
/// name, the Optional/Transitive bits its definition sets and the RFC 7606 treatment of a malformed
/// value. The decoder, the renderers, the conformance rules and the speaker all read this one table.
public struct BGPAttributeType: Hashable, Sendable {
    public var code: UInt8
    /// The registry's name (tshark prints the same words).
    public var name: String
    /// Optional | Transitive as the attribute's definition sets them (Partial and Extended Length are
    /// not part of the definition).
    public var expectedFlags: UInt8
    /// What a receiver does with a malformed value (RFC 7606 §2, §7 and the attribute's own RFC).
    public var malformedTreatment: BGPErrorTreatment

    /// Optional/Transitive bits that contradict the definition make the attribute malformed and call
    /// for treat-as-withdraw "unless the specification for the attribute mandates different
    /// handling for incorrect Attribute Flags" (RFC 7606 §3 c). The default; the one exception in
    /// this table is in `flagsErrorTreatment(received:)`.
    public static let flagsTreatment = BGPErrorTreatment.treatAsWithdraw

    /// The RFC 7606 treatment of an attribute received with `flags`, judged on its Optional and
    /// Transitive bits only (Partial and Extended Length are not part of the definition); nil when
    /// they agree with the definition.
    ///
    /// RFC 7606 §7 gives each attribute's treatment of a *malformed value* (a wrong length, an
    /// undefined ORIGIN); none of its subsections mandates handling for incorrect flags, so §3 c's
    /// treat-as-withdraw holds for every attribute of §7 — AGGREGATOR included: §7.7's attribute
    /// discard is for a length other than 6 or 8, not for its flags. The exception is AIGP: RFC
    /// 7311 §3.2 makes an AIGP with the Transitive bit set a malformed AIGP that "MUST be
    /// discarded"; an AIGP with the Optional bit clear falls back to §3 c.
    public func flagsErrorTreatment(received flags: UInt8) -> BGPErrorTreatment? {
        let bits = flags & (Self.optionalBit | Self.transitiveBit)
        guard bits != expectedFlags else { return nil }
        if code == 26, bits & Self.optionalBit != 0 { return .attributeDiscard }
        return Self.flagsTreatment
    }

    /// The known type, or nil for one this table does not describe (kept raw with its flags).
    public static func known(_ code: UInt8) -> BGPAttributeType? { table[Int(code)] }

    /// "ORIGIN", or "attribute 99" for a type the table does not hold.
    public static func name(_ code: UInt8) -> String { known(code)?.name ?? "attribute \(code)" }

    private static let optionalBit: UInt8 = 0x80
    private static let transitiveBit: UInt8 = 0x40
    private static let wellKnown: UInt8 = 0x40
    private static let optionalNonTransitive: UInt8 = 0x80
    private static let optionalTransitive: UInt8 = 0xC0

    private static let entries: [BGPAttributeType] = [
        // RFC 4271 §5.1; RFC 7606 §7.1–§7.7.
        .init(code: 1, name: "ORIGIN", expectedFlags: wellKnown, malformedTreatment: .treatAsWithdraw),
        .init(code: 2, name: "AS_PATH", expectedFlags: wellKnown, malformedTreatment: .treatAsWithdraw),
        .init(code: 3, name: "NEXT_HOP", expectedFlags: wellKnown, malformedTreatment: .treatAsWithdraw),
        .init(code: 4, name: "MULTI_EXIT_DISC", expectedFlags: optionalNonTransitive, malformedTreatment: .treatAsWithdraw),
        .init(code: 5, name: "LOCAL_PREF", expectedFlags: wellKnown, malformedTreatment: .treatAsWithdraw),
        .init(code: 6, name: "ATOMIC_AGGREGATE", expectedFlags: wellKnown, malformedTreatment: .attributeDiscard),
        .init(code: 7, name: "AGGREGATOR", expectedFlags: optionalTransitive, malformedTreatment: .attributeDiscard),
        // RFC 1997; RFC 7606 §7.8.
        .init(code: 8, name: "COMMUNITIES", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 4456; RFC 7606 §7.9, §7.10.
        .init(code: 9, name: "ORIGINATOR_ID", expectedFlags: optionalNonTransitive, malformedTreatment: .treatAsWithdraw),
        .init(code: 10, name: "CLUSTER_LIST", expectedFlags: optionalNonTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 4760; RFC 7606 §7.11, §7.12: the NLRI cannot be located, the session is reset.
        .init(code: 14, name: "MP_REACH_NLRI", expectedFlags: optionalNonTransitive, malformedTreatment: .sessionReset),
        .init(code: 15, name: "MP_UNREACH_NLRI", expectedFlags: optionalNonTransitive, malformedTreatment: .sessionReset),
        // RFC 4360; RFC 7606 §7.14.
        .init(code: 16, name: "EXTENDED_COMMUNITIES", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 6793 §6: a malformed AS4_PATH or AS4_AGGREGATOR is discarded.
        .init(code: 17, name: "AS4_PATH", expectedFlags: optionalTransitive, malformedTreatment: .attributeDiscard),
        .init(code: 18, name: "AS4_AGGREGATOR", expectedFlags: optionalTransitive, malformedTreatment: .attributeDiscard),
        // RFC 6514 §5 defines no treatment: RFC 7606 §2's treat-as-withdraw.
        .init(code: 22, name: "PMSI_TUNNEL", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 9012 §13.
        .init(code: 23, name: "TUNNEL_ENCAPSULATION", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 5701; RFC 7606 §7.15.
        .init(code: 25, name: "IPv6 Address Specific Extended Community", expectedFlags: optionalTransitive,
              malformedTreatment: .treatAsWithdraw),
        // RFC 7311 §3.2: a malformed AIGP attribute is ignored.
        .init(code: 26, name: "AIGP", expectedFlags: optionalNonTransitive, malformedTreatment: .attributeDiscard),
        // RFC 9552 §8.2.2 (BGP-LS attribute).
        .init(code: 29, name: "BGP-LS Attribute", expectedFlags: optionalNonTransitive, malformedTreatment: .attributeDiscard),
        // RFC 8092 §5.
        .init(code: 32, name: "LARGE_COMMUNITY", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 9234 §5.
        .init(code: 35, name: "OTC", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
        // RFC 8669 §6: the Prefix-SID attribute is discarded.
        .init(code: 40, name: "BGP Prefix-SID", expectedFlags: optionalTransitive, malformedTreatment: .attributeDiscard),
        // RFC 6368 §5; RFC 7606 §7.16 (ATTR_SET) is treat-as-withdraw.
        .init(code: 128, name: "ATTR_SET", expectedFlags: optionalTransitive, malformedTreatment: .treatAsWithdraw),
    ]

    private static let table: [BGPAttributeType?] = {
        var table = [BGPAttributeType?](repeating: nil, count: 256)
        for entry in entries { table[Int(entry.code)] = entry }
        return table
    }()
}

/// The RFC 7606 §2 approaches to a malformed UPDATE, weakest first.
public enum BGPErrorTreatment: Hashable, Sendable, CustomStringConvertible {
    /// The attribute is dropped, the route kept.
    case attributeDiscard
    /// The UPDATE's routes are treated as withdrawn.
    case treatAsWithdraw
    /// AFI/SAFI disable (RFC 4760 §7).
    case afiSafiDisable
    /// NOTIFICATION and the session goes down.
    case sessionReset

    public var description: String {
        switch self {
        case .attributeDiscard: "attribute discard"
        case .treatAsWithdraw: "treat-as-withdraw"
        case .afiSafiDisable: "AFI/SAFI disable"
        case .sessionReset: "session reset"
        }
    }
}
