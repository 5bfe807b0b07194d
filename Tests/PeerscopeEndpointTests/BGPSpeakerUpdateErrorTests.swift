import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// Hand-made UPDATE pieces (RFC 4271 §4.3), as B (AS 65002, 4-octet AS) would send them to A.
enum RawUpdate {
    static let origin: [UInt8] = [0x40, 1, 1, 0]
    static let asPath: [UInt8] = [0x40, 2, 6, 2, 1, 0x00, 0x00, 0xFD, 0xEA]  // AS_SEQUENCE 65002
    static let nextHop: [UInt8] = [0x40, 3, 4, 192, 0, 2, 2]
    static let mandatory = origin + asPath + nextHop
    static let nlri: [UInt8] = [24, 198, 51, 100]  // 198.51.100.0/24
    static let prefix = BGPLab.prefix("198.51.100.0", 24)
    /// MP_REACH_NLRI for 2001:db8:99::/48 via 2001:db8::2.
    static let mpReach: [UInt8] = [0x80, 14, 28, 0, 2, 1, 16, 0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11)
        + [2, 0, 48, 0x20, 0x01, 0x0D, 0xB8, 0x00, 0x99]
    static let v6Prefix = BGPLab.prefix("2001:db8:99::", 48)

    static func message(withdrawn: [UInt8] = [], attributes: [UInt8] = [], nlri: [UInt8] = [],
                        withdrawnLength: UInt16? = nil, attributesLength: UInt16? = nil) -> [UInt8] {
        var body: [UInt8] = []
        body.appendUInt16(withdrawnLength ?? UInt16(withdrawn.count))
        body += withdrawn
        body.appendUInt16(attributesLength ?? UInt16(attributes.count))
        body += attributes
        return bgpFramed(type: 2, body + nlri)
    }
}

/// Faults RFC 7606 handles without a reset: the UPDATE's routes are withdrawn, or one attribute dropped.
enum TolerableUpdateFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case missingNextHop, missingASPath, invalidOrigin, attributeOverrun, optionalBitOnOrigin, medOfThreeOctets,
         communitiesNotMultipleOfFour, aggregatorOfThreeOctets, localPrefFromExternalPeer, atomicAggregateWithValue,
         aggregatorNonTransitive, aigpTransitive

    var testDescription: String { rawValue }

    var attributes: [UInt8] {
        switch self {
        case .missingNextHop: RawUpdate.origin + RawUpdate.asPath
        case .missingASPath: RawUpdate.origin + RawUpdate.nextHop
        case .invalidOrigin: [0x40, 1, 1, 7] + RawUpdate.asPath + RawUpdate.nextHop
        // LOCAL_PREF claims 10 octets where 2 remain (RFC 7606 §4).
        case .attributeOverrun: RawUpdate.mandatory + [0x40, 5, 10, 0, 0]
        case .optionalBitOnOrigin: [0xC0, 1, 1, 0] + RawUpdate.asPath + RawUpdate.nextHop
        case .medOfThreeOctets: RawUpdate.mandatory + [0x80, 4, 3, 0, 0, 1]
        case .communitiesNotMultipleOfFour: RawUpdate.mandatory + [0xC0, 8, 3, 0, 0, 1]
        case .aggregatorOfThreeOctets: RawUpdate.mandatory + [0xC0, 7, 3, 1, 2, 3]
        case .localPrefFromExternalPeer: RawUpdate.mandatory + [0x40, 5, 4, 0, 0, 0, 100]
        case .atomicAggregateWithValue: RawUpdate.mandatory + [0x40, 6, 1, 0]
        // AGGREGATOR (optional transitive, RFC 4271 §5.1.7) sent optional non-transitive.
        case .aggregatorNonTransitive: RawUpdate.mandatory + [0x80, 7, 8, 0, 0, 0xFD, 0xEA, 192, 0, 2, 2]
        // AIGP (optional non-transitive, RFC 7311 §3) with the Transitive bit set; one AIGP TLV
        // (type 1, length 11 counting its header, 8-octet metric).
        case .aigpTransitive: RawUpdate.mandatory + [0xC0, 26, 11, 1, 0, 11, 0, 0, 0, 0, 0, 0, 0, 10]
        }
    }

    /// nil: the route survives with the attribute discarded.
    var treatAsWithdraw: BGPUpdateFault? {
        switch self {
        case .missingNextHop: .missingWellKnownAttribute(type: 3)
        case .missingASPath: .missingWellKnownAttribute(type: 2)
        case .invalidOrigin: .invalidOrigin(7)
        case .attributeOverrun: .attributeOverrun
        case .optionalBitOnOrigin: .attributeFlags(type: 1)
        case .medOfThreeOctets: .malformedAttribute(type: 4)
        case .communitiesNotMultipleOfFour: .malformedAttribute(type: 8)
        // RFC 7606 §3 c: wrong flags are treat-as-withdraw; §7.7's attribute discard is for a
        // malformed length only and mandates nothing for flags.
        case .aggregatorNonTransitive: .attributeFlags(type: 7)
        case .aggregatorOfThreeOctets, .localPrefFromExternalPeer, .atomicAggregateWithValue, .aigpTransitive: nil
        }
    }

    var discarded: (type: UInt8, fault: BGPUpdateFault)? {
        switch self {
        case .aggregatorOfThreeOctets: (7, .malformedAttribute(type: 7))
        case .localPrefFromExternalPeer: (5, .notExpectedFromExternalPeer(type: 5))
        case .atomicAggregateWithValue: (6, .malformedAttribute(type: 6))
        // RFC 7311 §3.2: "If a BGP path attribute is received that has the AIGP attribute
        // codepoint but also has the transitive bit set, the attribute MUST be considered to be a
        // malformed AIGP attribute and MUST be discarded".
        case .aigpTransitive: (26, .attributeFlags(type: 26))
        default: nil
        }
    }
}

/// Faults that RFC 7606 (or RFC 4271 where 7606 is silent) still answers with a NOTIFICATION.
enum FatalUpdateFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case withdrawnLengthPastMessage, attributesLengthPastMessage, repeatedMPReach, malformedMPReach,
         unrecognizedWellKnownAttribute, nlriPrefixLongerThan32

    var testDescription: String { rawValue }

    var message: [UInt8] {
        switch self {
        case .withdrawnLengthPastMessage: RawUpdate.message(withdrawnLength: 100)
        case .attributesLengthPastMessage: RawUpdate.message(attributes: RawUpdate.mandatory, attributesLength: 200)
        case .repeatedMPReach: RawUpdate.message(attributes: RawUpdate.mpReach + RawUpdate.mpReach + RawUpdate.origin + RawUpdate.asPath)
        case .malformedMPReach: RawUpdate.message(attributes: [0x80, 14, 3, 0, 2, 1] + RawUpdate.origin + RawUpdate.asPath)
        case .unrecognizedWellKnownAttribute: RawUpdate.message(attributes: RawUpdate.mandatory + [0x40, 99, 1, 0], nlri: RawUpdate.nlri)
        case .nlriPrefixLongerThan32: RawUpdate.message(attributes: RawUpdate.mandatory, nlri: [33, 1, 2, 3, 4, 5])
        }
    }

    var expected: BGPNotification {
        switch self {
        case .withdrawnLengthPastMessage, .attributesLengthPastMessage, .repeatedMPReach:
            BGPNotification(code: 3, subcode: 1)
        case .malformedMPReach: BGPNotification(code: 3, subcode: 9, data: [0x80, 14, 3, 0, 2, 1])
        case .unrecognizedWellKnownAttribute: BGPNotification(code: 3, subcode: 2, data: [0x40, 99, 1, 0])
        case .nlriPrefixLongerThan32: BGPNotification(code: 3, subcode: 10)
        }
    }
}

@Suite("BGP speaker: UPDATE error handling (RFC 7606)")
struct BGPSpeakerUpdateErrorTests {
    /// An established pair where A already holds 198.51.100.0/24 and 2001:db8:99::/48 from "B".
    func linkHoldingPeerRoutes() -> BGPBackToBack {
        var link = BGPLab.established()
        link.frozen = [.b]  // B's own speaker stays out of the way; we speak for it
        link.inject(RawUpdate.message(attributes: RawUpdate.mandatory, nlri: RawUpdate.nlri), into: .a)
        link.inject(RawUpdate.message(attributes: RawUpdate.mpReach + RawUpdate.origin + RawUpdate.asPath), into: .a)
        return link
    }

    // RFC 7606 §2 treat-as-withdraw (§3 c flags, §3 d missing attributes, §4 overrun, §7.1 ORIGIN,
    // §7.4 MED, §7.8 COMMUNITIES) and attribute discard (§7.5 LOCAL_PREF from eBGP, §7.6, §7.7):
    // the session stays up either way.
    @Test(arguments: TolerableUpdateFault.allCases)
    func malformedUpdateIsTreatedAsWithdrawOrLosesOnlyTheAttribute(fault: TolerableUpdateFault) throws {
        var link = linkHoldingPeerRoutes()
        #expect(link.a.adjRIBIn.route(RawUpdate.prefix) != nil)
        link.inject(RawUpdate.message(attributes: fault.attributes, nlri: RawUpdate.nlri), into: .a)
        #expect(link.a.state == .established && link.notificationsSent(by: .a).isEmpty)
        if let expected = fault.treatAsWithdraw {
            #expect(link.a.adjRIBIn.route(RawUpdate.prefix) == nil)
            #expect(link.a.lastError == .updateTreatedAsWithdraw(expected))
            #expect(link.actions(of: .a).contains(.routesWithdrawn([RawUpdate.prefix])))
        } else {
            let route = try #require(link.a.adjRIBIn.route(RawUpdate.prefix))
            let discarded = try #require(fault.discarded)
            #expect(!route.attributeTypes.contains(discarded.type))
            #expect(link.a.lastError == .attributeDiscarded(type: discarded.type, discarded.fault))
        }
        #expect(link.a.adjRIBIn.route(RawUpdate.v6Prefix) != nil)
    }

    // RFC 7606 §3 d with RFC 4760 §3: an MP_REACH_NLRI without AS_PATH withdraws its IPv6 prefixes.
    @Test func treatAsWithdrawCoversThePrefixesInMPReach() {
        var link = linkHoldingPeerRoutes()
        link.inject(RawUpdate.message(attributes: RawUpdate.mpReach + RawUpdate.origin), into: .a)
        #expect(link.a.adjRIBIn.route(RawUpdate.v6Prefix) == nil && link.a.adjRIBIn.route(RawUpdate.prefix) != nil)
        #expect(link.a.lastError == .updateTreatedAsWithdraw(.missingWellKnownAttribute(type: 2)))
        #expect(link.a.state == .established)
    }

    // RFC 4271 §6.3 as kept by RFC 7606: lengths that hide the NLRI (§4, 3/1), a repeated MP_REACH_NLRI
    // (§3 g, 3/1), a malformed one (RFC 4760 §7, 3/9), an unknown well-known attribute (3/2 with the
    // attribute as data), a bad NLRI prefix (§5.3, 3/10): NOTIFICATION and reset.
    @Test(arguments: FatalUpdateFault.allCases)
    func updateErrorsThatHideTheNLRIResetTheSession(fault: FatalUpdateFault) {
        var link = linkHoldingPeerRoutes()
        link.inject(fault.message, into: .a)
        #expect(link.notificationsSent(by: .a) == [fault.expected])
        #expect(link.a.state == .idle && link.a.adjRIBIn.totalCount == 0)
        #expect(link.a.lastError == .notificationSent(fault.expected))
    }

    // RFC 4724 §2: End-of-RIB is an empty UPDATE (IPv4) or an MP_UNREACH_NLRI with no prefixes; it
    // withdraws nothing.
    @Test func endOfRIBMarkersAreRecordedPerFamilyAndWithdrawNothing() {
        var link = linkHoldingPeerRoutes()
        link.inject(RawUpdate.message(), into: .a)
        link.inject(RawUpdate.message(attributes: [0x80, 15, 3, 0, 2, 1]), into: .a)
        #expect(link.a.adjRIBIn.totalCount == 2)
        #expect(link.actions(of: .a).filter { $0 == .endOfRIBReceived(.ipv6Unicast) }.count == 2)  // B's own + ours
    }

    // RFC 4271 §9.1.4 / §3.1 (implicit withdraw): a new path for a known prefix replaces the old one.
    @Test func newPathForAKnownPrefixReplacesTheOldOne() throws {
        var link = linkHoldingPeerRoutes()
        link.inject(RawUpdate.message(attributes: RawUpdate.mandatory + [0x80, 4, 4, 0, 0, 0, 20], nlri: RawUpdate.nlri), into: .a)
        #expect(link.a.adjRIBIn.count(.ipv4Unicast) == 1)
        #expect(try #require(link.a.adjRIBIn.route(RawUpdate.prefix)).med == 20)
    }

    // RFC 4271 §6.3 and §9: withdrawing a prefix that was never announced is not an error.
    @Test func withdrawingAnUnknownPrefixIsHarmless() {
        var link = linkHoldingPeerRoutes()
        link.inject(RawUpdate.message(withdrawn: [16, 10, 99]), into: .a)
        #expect(link.a.state == .established && link.a.adjRIBIn.totalCount == 2 && link.a.lastError == nil)
    }
}
