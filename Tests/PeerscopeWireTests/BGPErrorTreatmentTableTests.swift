import PeerscopeWire
import Testing

/// The one attribute table's RFC 7606 treatments against the RFC's text: §7's subsection per
/// attribute for a malformed value, §3 c for flags, and the attributes' own RFCs where they
/// mandate something else.
@Suite("BGP attribute table: RFC 7606 treatments")
struct BGPErrorTreatmentTableTests {
    /// RFC 7606 §7.1–§7.16 ("An UPDATE message with a malformed ... attribute SHALL be handled
    /// using the approach of ..."), RFC 6793 §6 for AS4_PATH / AS4_AGGREGATOR ("discard").
    static let malformed: [(code: UInt8, section: String, treatment: BGPErrorTreatment)] = [
        (1, "7606 §7.1 ORIGIN", .treatAsWithdraw),
        (2, "7606 §7.2 AS_PATH", .treatAsWithdraw),
        (3, "7606 §7.3 NEXT_HOP", .treatAsWithdraw),
        (4, "7606 §7.4 MULTI_EXIT_DISC", .treatAsWithdraw),
        (5, "7606 §7.5 LOCAL_PREF", .treatAsWithdraw),
        (6, "7606 §7.6 ATOMIC_AGGREGATE", .attributeDiscard),
        (7, "7606 §7.7 AGGREGATOR", .attributeDiscard),
        (8, "7606 §7.8 COMMUNITIES", .treatAsWithdraw),
        (9, "7606 §7.9 ORIGINATOR_ID", .treatAsWithdraw),
        (10, "7606 §7.10 CLUSTER_LIST", .treatAsWithdraw),
        (14, "7606 §7.11 MP_REACH_NLRI (§5.3: NLRI unusable)", .sessionReset),
        (15, "7606 §7.12 MP_UNREACH_NLRI (§5.3: NLRI unusable)", .sessionReset),
        (16, "7606 §7.14 EXTENDED_COMMUNITIES", .treatAsWithdraw),
        (17, "6793 §6 AS4_PATH", .attributeDiscard),
        (18, "6793 §6 AS4_AGGREGATOR", .attributeDiscard),
        (25, "7606 §7.15 IPv6 Address Specific Extended Community", .treatAsWithdraw),
        (128, "7606 §7.16 ATTR_SET", .treatAsWithdraw),
    ]

    @Test func malformedValueTreatmentsFollowSection7() {
        for entry in Self.malformed {
            #expect(BGPAttributeType.known(entry.code)?.malformedTreatment == entry.treatment, "\(entry.section)")
        }
    }

    // RFC 7606 §3 c: "If the value of either the Optional or Transitive bits in the Attribute
    // Flags is in conflict with their specified values, then the attribute MUST be treated as
    // malformed and the "treat-as-withdraw" approach used, unless the specification for the
    // attribute mandates different handling for incorrect Attribute Flags." No §7 subsection
    // mandates anything for flags, so even the attribute-discard attributes of §7.6/§7.7 are
    // treat-as-withdraw when their flags are wrong.
    @Test func wrongFlagsAreTreatAsWithdrawEvenWhereAMalformedValueIsDiscarded() throws {
        let aggregator = try #require(BGPAttributeType.known(7))
        #expect(aggregator.flagsErrorTreatment(received: 0xC0) == nil)
        #expect(aggregator.flagsErrorTreatment(received: 0xE0) == nil)  // Partial is not judged
        #expect(aggregator.flagsErrorTreatment(received: 0xD0) == nil)  // nor Extended Length
        #expect(aggregator.flagsErrorTreatment(received: 0x80) == .treatAsWithdraw)
        #expect(aggregator.flagsErrorTreatment(received: 0x40) == .treatAsWithdraw)
        let atomic = try #require(BGPAttributeType.known(6))
        #expect(atomic.flagsErrorTreatment(received: 0xC0) == .treatAsWithdraw)
        for entry in Self.malformed {
            let type = try #require(BGPAttributeType.known(entry.code))
            #expect(type.flagsErrorTreatment(received: type.expectedFlags) == nil)
            #expect(type.flagsErrorTreatment(received: type.expectedFlags ^ 0x80) == .treatAsWithdraw, "\(entry.section)")
        }
    }

    // RFC 7311 §3.2: "If a BGP path attribute is received that has the AIGP attribute codepoint
    // but also has the transitive bit set, the attribute MUST be considered to be a malformed
    // AIGP attribute and MUST be discarded". Nothing there for a clear Optional bit: §3 c.
    @Test func transitiveAIGPIsDiscarded() throws {
        let aigp = try #require(BGPAttributeType.known(26))
        #expect(aigp.expectedFlags == 0x80)  // RFC 7311 §3: optional non-transitive
        #expect(aigp.flagsErrorTreatment(received: 0x80) == nil)
        #expect(aigp.flagsErrorTreatment(received: 0xC0) == .attributeDiscard)
        #expect(aigp.flagsErrorTreatment(received: 0x40) == .treatAsWithdraw)
        #expect(aigp.flagsErrorTreatment(received: 0x00) == .treatAsWithdraw)
    }
}
