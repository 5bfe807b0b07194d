import PeerscopeWire
import Testing

/// The attributes of RFC 6514, RFC 9012, RFC 5701, RFC 7311, RFC 9552, RFC 9234, RFC 8669 and
/// RFC 6368, and extended communities by type: round trips, every prefix, random bytes. Their values
/// against tshark are in BGPAttributeTsharkTests.
let optionalAttributeSamples: [BGPPathAttribute] = [
    BGPPathAttribute(flags: 0xC0, value: .pmsiTunnel(BGPPMSITunnel(flags: 1, tunnelType: 6, labelField: 16001,
                                                                   tunnelIdentifier: [10, 0, 0, 9]))),
    // Longer than 255 octets: the Extended Length bit is part of what round-trips.
    BGPPathAttribute(flags: 0xD0, value: .tunnelEncapsulation([
        BGPTunnelEncapsulationTLV(tunnelType: 8, subTLVs: [BGPAttributeTLV(type: 8, value: [0x12, 0xB5])]),
        BGPTunnelEncapsulationTLV(tunnelType: 15, subTLVs: [BGPAttributeTLV(type: 128, value: Array(repeating: 1, count: 300))]),
    ])),
    BGPPathAttribute(flags: 0xC0, value: .ipv6ExtendedCommunities([
        BGPIPv6ExtendedCommunity(type: 0, subtype: 2, globalAdministrator: IPv6Address("2001:db8::1")!, localAdministrator: 7),
    ])),
    BGPPathAttribute(flags: 0x80, value: .aigp([BGPAttributeTLV(type: 1, value: [0, 0, 0, 0, 0, 0, 0x03, 0xE8])])),
    BGPPathAttribute(flags: 0x80, value: .linkState([BGPAttributeTLV(type: 1026, value: Array("r1".utf8)),
                                                     BGPAttributeTLV(type: 1095, value: [0, 0, 20])])),
    BGPPathAttribute(flags: 0xC0, value: .onlyToCustomer(65001)),
    BGPPathAttribute(flags: 0xC0, value: .prefixSID([BGPAttributeTLV(type: 1, value: [0, 0, 0, 0, 0, 0, 100])])),
    BGPPathAttribute(flags: 0xC0, value: .attributeSet(originAS: 65002, attributes: [
        BGPPathAttribute(flags: 0x40, value: .origin(0)), BGPPathAttribute(flags: 0x80, value: .multiExitDisc(5)),
    ])),
    BGPPathAttribute(flags: 0xE0, value: .unknown(type: 250, bytes: [1, 2, 3])),
]

let extendedCommunitySamples: [BGPExtendedCommunity.Value] = [
    .routeTarget(.as2(65000, local: 100)), .routeTarget(.ipv4(IPv4Address(10, 0, 0, 1), local: 7)),
    .routeTarget(.as4(100_000, local: 5)), .routeOrigin(.as2(65000, local: 1)),
    .routeOrigin(.ipv4(IPv4Address(192, 0, 2, 1), local: 2)), .routeOrigin(.as4(4_200_000_000, local: 3)),
    .ospfDomainID(.as2(65000, local: 1)), .ospfRouterID(IPv4Address(10, 0, 0, 1)),
    .ospfRouteType(area: IPv4Address(10, 0, 0, 0), routeType: 5, options: 1),
    .linkBandwidth(asn: 65000, bytesPerSecond: 100_000), .encapsulation(tunnelType: 8), .color(flags: 0, color: 42),
    .trafficRate(asn: 65000, bytesPerSecond: 0), .trafficAction(sample: true, terminal: false),
    .redirect(.as2(65000, local: 10)), .redirect(.ipv4(IPv4Address(192, 0, 2, 1), local: 9)),
    .redirect(.as4(100_000, local: 11)), .trafficMarking(dscp: 18), .macMobility(sticky: true, sequence: 100),
    .esiLabel(singleActive: true, label: 0x12345 << 4), .esImport(BGPMACAddress(0x0011_2233_4455)),
    .routerMAC(BGPMACAddress(0x0A0B_0C0D_0E0F)), .unknown(type: 0x99, subtype: 0x98, value: 0x1122_3344_5566),
]

@Suite("BGP path attributes beyond RFC 4271")
struct BGPAttributeCodecTests {
    func update(_ attributes: [BGPPathAttribute]) -> BGPMessage { .update(BGPUpdate(attributes: attributes)) }

    @Test("each attribute round-trips through an UPDATE", arguments: optionalAttributeSamples)
    func roundTrip(_ attribute: BGPPathAttribute) throws {
        let message = update([attribute])
        #expect(try decodeBGP(message.encoded()) == message)
    }

    @Test("a shortened attribute value is a typed error, never a trap", arguments: optionalAttributeSamples)
    func valuePrefixes(_ attribute: BGPPathAttribute) {
        var bytes: [UInt8] = []
        attribute.encodeForTest(into: &bytes)
        let headerLength = bytes[0] & 0x10 != 0 ? 4 : 3
        let value = Array(bytes[headerLength...])
        for length in 0..<value.count {
            // Re-wrap the first `length` value octets as a whole attribute with a consistent length.
            let shortened = BGPPathAttribute(flags: attribute.flags & ~0x10, value: .unknown(type: attribute.typeCode,
                                                                                               bytes: Array(value.prefix(length))))
            let message = update([shortened])
            do throws(WireError) {
                // Some prefixes are complete values (a TLV list cut between TLVs): they must re-encode.
                let decoded = try decodeBGP(message.encoded())
                #expect(decoded.encoded() == message.encoded())
            } catch {
                #expect(["bgp.bad_attribute_length", "bgp.truncated", "bgp.length_beyond_data"].contains(error.code),
                        "\(error)")
            }
        }
    }

    @Test("random attribute values of every new type decode or throw, and re-encode to the same bytes")
    func randomValues() {
        var random = SplitMix64(seed: 0x7606)
        for round in 0..<4000 {
            let type = [22, 23, 25, 26, 29, 35, 40, 128][round % 8] as UInt8
            let length = Int(random.next() % 40)
            let value = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let message = update([BGPPathAttribute(flags: 0xC0, value: .unknown(type: type, bytes: value))])
            if case .update(let decoded)? = try? decodeBGP(message.encoded()) {
                #expect(BGPMessage.update(decoded).encoded() == message.encoded(), "type \(type) value \(value)")
            }
        }
    }

    @Test("extended community values round-trip through their eight octets", arguments: extendedCommunitySamples)
    func extendedCommunityRoundTrip(_ value: BGPExtendedCommunity.Value) {
        let community = BGPExtendedCommunity(value)
        #expect(BGPExtendedCommunity(raw: community.raw).value == value)
    }

    @Test("RFC 4360 §4 / RFC 5668 layouts: route target 65000:100 and 100000:5, RFC 8955 §7 traffic-action bits")
    func extendedCommunityLayouts() {
        // Type 0x00 subtype 0x02, AS 0xFDE8, local 0x00000064 (RFC 4360 §3.1, §4).
        #expect(BGPExtendedCommunity(.routeTarget(.as2(65000, local: 100))).raw == 0x0002_FDE8_0000_0064)
        // Type 0x02 subtype 0x02, AS 0x000186A0, local 0x0005 (RFC 5668 §2).
        #expect(BGPExtendedCommunity(.routeTarget(.as4(100_000, local: 5))).raw == 0x0202_0001_86A0_0005)
        // RFC 8955 §7.3: T is the least significant bit, S the one above it.
        #expect(BGPExtendedCommunity(raw: 0x8007_0000_0000_0001).value == .trafficAction(sample: false, terminal: true))
        #expect(BGPExtendedCommunity(raw: 0x8007_0000_0000_0002).value == .trafficAction(sample: true, terminal: false))
        // RFC 4360 §2: bit 0x40 of the type marks non-transitive.
        #expect(!BGPExtendedCommunity(.linkBandwidth(asn: 1, bytesPerSecond: 1)).isTransitive)
    }

    @Test("any eight octets decode; known values re-encode to a word that decodes to the same value")
    func extendedCommunityRandom() {
        var random = SplitMix64(seed: 4360)
        let heads: [UInt64] = [0x00, 0x01, 0x02, 0x03, 0x06, 0x40, 0x80, 0x81, 0x82]
        for round in 0..<20_000 {
            var raw = random.next()
            if round % 2 == 0 { raw = raw & 0x00FF_FFFF_FFFF_FFFF | heads[round / 2 % heads.count] << 56 }
            if round % 4 == 0 { raw = raw & 0xFF00_FFFF_FFFF_FFFF | (raw >> 8 & 0x0F) << 48 }
            let value = BGPExtendedCommunity(raw: raw).value
            let again = BGPExtendedCommunity(value)
            // Floats compare by bit pattern (a NaN bandwidth is still the same NaN on the wire).
            #expect(BGPExtendedCommunity(raw: again.raw).raw == again.raw)
            if case .unknown = value { #expect(again.raw == raw) }
        }
    }

    @Test("IANA names from the one table: attribute types, capabilities, well-known communities")
    func registryNames() {
        #expect(BGPAttributeType.name(7) == "AGGREGATOR")
        #expect(BGPAttributeType.known(7)?.malformedTreatment == .attributeDiscard)  // RFC 7606 §7.7
        #expect(BGPAttributeType.known(14)?.malformedTreatment == .sessionReset)  // RFC 7606 §7.11
        #expect(BGPAttributeType.known(8)?.malformedTreatment == .treatAsWithdraw)  // RFC 7606 §7.8
        #expect(BGPAttributeType.known(4)?.expectedFlags == 0x80)  // RFC 4271 §5.1.4: optional non-transitive
        #expect(BGPAttributeType.known(99) == nil)
        #expect(BGPCapabilityCode.name(128) == "Prestandard Route Refresh (deprecated)")
        #expect(BGPCapabilityCode.name(8) == "Multiple Labels Capability")
        #expect(BGPCapabilityCode.name(9) == "BGP Role")
        #expect(BGPWellKnownCommunity.text(0xFFFF_FF04) == "NOPEER")  // RFC 3765
        #expect(BGPWellKnownCommunity.text(0xFFFF_029A) == "BLACKHOLE")  // RFC 7999: 65535:666
        #expect(BGPWellKnownCommunity.text(65000 << 16 | 100) == "65000:100")
        // What the speaker sends takes its flags from the same table (RFC 4271 §5.1, RFC 4760 §3–4).
        #expect(BGPPathAttribute(.localPref(100)).flags == 0x40)  // well-known
        #expect(BGPPathAttribute(.multiExitDisc(1)).flags == 0x80)  // optional non-transitive
        #expect(BGPPathAttribute(.aggregator(asn: 1, address: IPv4Address(1))).flags == 0xC0)  // optional transitive
        #expect(BGPPathAttribute(.unknown(type: 250, bytes: [])).flags == 0xC0)
    }

    @Test("ATTR_SET inside ATTR_SET stays raw: the recursion is bounded")
    func nestedAttributeSet() throws {
        let inner = BGPPathAttribute(flags: 0xC0, value: .unknown(type: 128, bytes: [0, 0, 0, 1]))
        let message = update([BGPPathAttribute(flags: 0xC0, value: .attributeSet(originAS: 1, attributes: [inner]))])
        #expect(try decodeBGP(message.encoded()) == message)
    }
}

extension BGPPathAttribute {
    /// The attribute's bytes as an UPDATE carries them (header and value).
    func encodeForTest(into bytes: inout [UInt8]) {
        let encoded = BGPMessage.update(BGPUpdate(attributes: [self])).encoded()
        // Header 19, withdrawn length 2, attribute length 2.
        bytes += encoded[23...]
    }
}
