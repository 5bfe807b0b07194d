import PeerscopeWire
import Testing

/// One route per family and form, as the NLRI codecs must carry it (values from the RFCs' field
/// layouts; tshark checks the same routes on the wire in BGPFamilyCaptureTests).
struct NLRISample: CustomStringConvertible, Sendable {
    var family: BGPAddressFamily
    var nlri: [BGPNLRI]
    var addPath = false
    var multipleLabels = false
    var description: String { "\(family.name): \(nlri.first.map(\.description) ?? "none")" }
}

private func ip(_ text: String) -> IPAddress { IPAddress(text)! }
private let rd0 = BGPRouteDistinguisher(asn: 65000, number: 100)
private let rd1 = BGPRouteDistinguisher(ipv4: IPv4Address(192, 0, 2, 1), number: 7)
private let rd2 = BGPRouteDistinguisher(asn4: 4_200_000_000, number: 5)
private let esiLACP = BGPEthernetSegmentID(bytes: [1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x01, 0x00, 0])
private let esiAS = BGPEthernetSegmentID(bytes: [5, 0, 0, 0xFD, 0xE8, 0, 0, 0, 9, 0])

let nlriSamples: [NLRISample] = [
    NLRISample(family: .ipv4LabeledUnicast, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 16)], address: ip("10.1.0.0"), length: 16))]),
    // 6PE (RFC 4798): IPv6 labeled unicast, label 2 = IPv6 explicit null.
    NLRISample(family: .ipv6LabeledUnicast, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 2)], address: ip("2001:db8:1::"), length: 48))]),
    NLRISample(family: .ipv4LabeledUnicast, nlri: [.labeled(BGPLabeledPrefix(
        labels: [BGPLabel(label: 100, bottomOfStack: false), BGPLabel(label: 200)], address: ip("10.9.0.0"), length: 16))],
        multipleLabels: true),
    // RFC 8277 §2.4 withdrawal with the compatibility value 0x800000.
    NLRISample(family: .ipv4LabeledUnicast, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(rawValue: 0x80_0000)], address: ip("10.1.0.0"), length: 16))]),
    NLRISample(family: .ipv4VPN, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 100)], routeDistinguisher: rd0, address: ip("10.2.0.0"), length: 24))]),
    NLRISample(family: .ipv4VPN, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 101)], routeDistinguisher: rd1, address: ip("10.3.3.0"), length: 25, pathID: 4))],
               addPath: true),
    NLRISample(family: .ipv6VPN, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 102)], routeDistinguisher: rd2, address: ip("2001:db8:2::"), length: 64))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 1, route: .ethernetAD(rd: rd1, esi: esiLACP, ethernetTag: 0xFFFF_FFFF, label: BGPLabel(label: 0))))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 2, route: .macIP(
        rd: rd1, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: 0, mac: [0x52, 0x54, 0, 0x12, 0x34, 0x56],
        ip: ip("10.10.10.1"), label1: BGPLabel(rawValue: 10_010), label2: BGPLabel(rawValue: 50_000))))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 2, route: .macIP(
        rd: rd0, esi: esiAS, ethernetTag: 5, mac: [0, 1, 2, 3, 4, 5], ip: nil, label1: BGPLabel(label: 300), label2: nil)))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 3, route: .inclusiveMulticast(rd: rd1, ethernetTag: 0, originator: ip("192.0.2.1"))))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 4, route: .ethernetSegment(rd: rd1, esi: esiLACP, originator: ip("2001:db8::1"))))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 5, route: .ipPrefix(
        rd: rd0, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: 0, prefix: ip("10.20.0.0"), length: 16, gateway: ip("0.0.0.0"), label: BGPLabel(rawValue: 5000))))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 5, route: .ipPrefix(
        rd: rd0, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: 0, prefix: ip("2001:db8:20::"), length: 48, gateway: ip("::"), label: BGPLabel(rawValue: 5000))))]),
    NLRISample(family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 11, route: .unknown([1, 2, 3])))]),
    NLRISample(family: .l2vpnVPLS, nlri: [.vpls(BGPVPLSRoute(routeDistinguisher: rd0, veID: 1, blockOffset: 0, blockSize: 10, labelBase: BGPLabel(label: 800_000)))]),
    NLRISample(family: BGPAddressFamily(afi: 1, safi: 5), nlri: [
        .mvpn(BGPMVPNRoute(routeType: 1, routeDistinguisher: rd0, originator: ip("192.0.2.9"))),
        .mvpn(BGPMVPNRoute(routeType: 2, routeDistinguisher: rd0, sourceAS: 65001)),
        .mvpn(BGPMVPNRoute(routeType: 3, routeDistinguisher: rd0, source: ip("10.0.0.1"), group: ip("232.1.1.1"), originator: ip("192.0.2.9"))),
        .mvpn(BGPMVPNRoute(routeType: 5, routeDistinguisher: rd0, source: ip("10.0.0.1"), group: ip("232.1.1.1"))),
        .mvpn(BGPMVPNRoute(routeType: 7, routeDistinguisher: rd0, sourceAS: 65001, source: ip("10.0.0.1"), group: ip("232.1.1.1"))),
    ]),
    NLRISample(family: BGPAddressFamily(afi: 1, safi: 66), nlri: [.mdt(BGPMDTRoute(routeDistinguisher: rd0, originator: IPv4Address(192, 0, 2, 1), group: IPv4Address(239, 1, 1, 1)))]),
    NLRISample(family: .routeTargetConstraint, nlri: [.routeTarget(.defaultRoute),
        .routeTarget(BGPRouteTargetMembership(originAS: 65000, routeTarget: 0x0002_FDE8_0000_0064, length: 96))]),
    NLRISample(family: .ipv4FlowSpec, nlri: [.flowSpec(BGPFlowSpecRule(components: [
        .prefix(type: 1, address: ip("10.0.0.0"), length: 24, offset: nil),
        .operators(type: 3, [.init(flags: 0x81, value: 6)]),
        .operators(type: 5, [.init(flags: 0x01, value: 80), .init(flags: 0x91, value: 443)]),
        .operators(type: 9, [.init(flags: 0x81, value: 0x02)]),
        .operators(type: 10, [.init(flags: 0x13, value: 100), .init(flags: 0xD5, value: 1500)]),
        .operators(type: 12, [.init(flags: 0x82, value: 0x01)]),
    ]))]),
    NLRISample(family: .ipv6FlowSpec, nlri: [.flowSpec(BGPFlowSpecRule(components: [
        .prefix(type: 1, address: ip("2001:db8::"), length: 32, offset: 0),
        .operators(type: 3, [.init(flags: 0x81, value: 58)]),
        .operators(type: 13, [.init(flags: 0xA1, value: 0x12345)]),
    ]))]),
    // RFC 8956 §3.1: a pattern of bits 64–127 (offset 64) and one of bits 3–47.
    NLRISample(family: .ipv6FlowSpec, nlri: [.flowSpec(BGPFlowSpecRule(components: [
        .prefix(type: 1, address: ip("::1"), length: 128, offset: 64),
        .prefix(type: 2, address: ip("1db8:ab:cd::"), length: 48, offset: 3),
    ]))]),
    NLRISample(family: BGPAddressFamily(afi: 1, safi: 134), nlri: [.flowSpec(BGPFlowSpecRule(routeDistinguisher: rd0, components: [
        .prefix(type: 2, address: ip("192.0.2.0"), length: 24, offset: nil),
    ]))]),
    NLRISample(family: .linkState, nlri: [
        .linkState(BGPLinkStateNLRI(nlriType: 1, protocolID: 2, identifier: 0, descriptors: [
            BGPLinkStateTLV(type: 256, value: [2, 0, 0, 4, 0, 0, 0xFD, 0xE8, 2, 3, 0, 6, 0, 0, 0, 0, 0, 1])])),
        .linkState(BGPLinkStateNLRI(nlriType: 2, protocolID: 3, identifier: 0, descriptors: [
            BGPLinkStateTLV(type: 256, value: [2, 3, 0, 4, 10, 0, 0, 1]),
            BGPLinkStateTLV(type: 257, value: [2, 3, 0, 4, 10, 0, 0, 2]),
            BGPLinkStateTLV(type: 259, value: [10, 1, 2, 1]), BGPLinkStateTLV(type: 260, value: [10, 1, 2, 2])])),
        .linkState(BGPLinkStateNLRI(nlriType: 3, protocolID: 3, identifier: 0, descriptors: [
            BGPLinkStateTLV(type: 256, value: [2, 3, 0, 4, 10, 0, 0, 1]), BGPLinkStateTLV(type: 265, value: [24, 10, 1, 2])])),
    ]),
    NLRISample(family: BGPAddressFamily(afi: 1, safi: 73), nlri: [.undecoded([0x60, 0, 0, 0, 1, 0, 0, 0, 5, 192, 0, 2, 1])]),
]

private func update(_ sample: NLRISample, reach: Bool = true, flags: UInt8 = BGPPathAttribute.optional) -> BGPMessage {
    let nextHop = BGPNextHop(bytes: [192, 0, 2, 1], family: sample.family)
    let value: BGPPathAttribute.Value = reach
        ? .mpReach(family: sample.family, nextHop: nextHop, nlri: sample.nlri)
        : .mpUnreach(family: sample.family, nlri: sample.nlri)
    return .update(BGPUpdate(attributes: [BGPPathAttribute(flags: flags, value: value)]))
}

private func options(_ sample: NLRISample) -> BGPDecodingOptions {
    BGPDecodingOptions(addPath: sample.addPath ? [sample.family] : [], multipleLabels: sample.multipleLabels ? [sample.family] : [])
}

/// An UPDATE whose MP_UNREACH_NLRI carries `nlri` as raw bytes (a well-formed attribute around
/// whatever NLRI bytes a test wants).
private func rawUnreach(_ family: BGPAddressFamily, _ nlri: [UInt8]) -> [UInt8] {
    var value: [UInt8] = []
    value.appendUInt16(family.afi)
    value.append(family.safi)
    value += nlri
    return BGPMessage.update(BGPUpdate(attributes: [BGPPathAttribute(flags: 0x90, value: .unknown(type: 15, bytes: value))])).encoded()
}

private func nlriBytes(_ sample: NLRISample) -> [UInt8] {
    // MP_UNREACH with extended length: 19 header + 2 + 2 + flags, type, 2 length + AFI/SAFI.
    Array(update(sample, reach: false, flags: 0x90).encoded().dropFirst(19 + 4 + 4 + 3))
}

@Suite("BGP NLRI codecs per family")
struct BGPNLRITests {
    @Test("MP_REACH and MP_UNREACH round-trip every family", arguments: nlriSamples)
    func roundTrip(_ sample: NLRISample) throws {
        for reach in [true, false] {
            let message = update(sample, reach: reach)
            #expect(try decodeBGP(message.encoded(), options: options(sample)) == message)
        }
    }

    @Test("every proper prefix of one route is a bad_nlri error naming the family", arguments: nlriSamples)
    func prefixes(_ sample: NLRISample) throws {
        guard sample.family.encoding != .undecoded else { return }
        let bytes = nlriBytes(NLRISample(family: sample.family, nlri: [sample.nlri[0]], addPath: sample.addPath,
                                         multipleLabels: sample.multipleLabels))
        #expect(bytes.count >= 1)
        for length in 1..<bytes.count {
            #expect {
                try decodeBGP(rawUnreach(sample.family, Array(bytes.prefix(length))), options: options(sample))
            } throws: { error in
                guard let error = error as? WireError, case .badNLRI(let afi, let safi, _) = error.reason else { return false }
                return afi == sample.family.afi && safi == sample.family.safi
            }
        }
    }

    @Test("random NLRI bytes never trap; families not decoded never fail")
    func randomBytes() throws {
        var random = SplitMix64(seed: 0x6E6C_7269)
        let families = Set(nlriSamples.map(\.family)).sorted { ($0.afi, $0.safi) < ($1.afi, $1.safi) }
            + [BGPAddressFamily(afi: 1, safi: 85), BGPAddressFamily(afi: 25, safi: 6), BGPAddressFamily(afi: 9, safi: 1)]
        for family in families {
            for round in 0..<400 {
                let count = Int(random.next() % 64)
                let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let options = BGPDecodingOptions(addPath: round % 2 == 0 ? [family] : [], multipleLabels: round % 3 == 0 ? [family] : [])
                let result = Result { () throws(WireError) in try decodeBGP(rawUnreach(family, bytes), options: options) }
                if family.encoding == .undecoded { #expect(throws: Never.self) { try result.get() } }
                if case .success(let message) = result {
                    // What decodes encodes to bytes that decode to the same value (host bits beyond a
                    // prefix length are the only thing an encoder may drop).
                    #expect(try decodeBGP(message.encoded(), options: options) == message)
                }
            }
        }
    }

    @Test("6PE: a labeled IPv6 route is label + prefix, not an invented /72 (RFC 8277 §2.2)")
    func sixPE() throws {
        // Length 72 = 24 label bits + /48; label 2 with bottom of stack: 0x00 0x00 0x21.
        let bytes: [UInt8] = [72, 0x00, 0x00, 0x21, 0x20, 0x01, 0x0D, 0xB8, 0x00, 0x01]
        let message = try decodeBGP(rawUnreach(.ipv6LabeledUnicast, bytes))
        guard case .update(let update) = message, case .mpUnreach(_, let nlri) = update.attributes[0].value,
              case .labeled(let route) = nlri.first else { Issue.record("not a labeled route"); return }
        #expect(route.labels.map(\.label) == [2])
        #expect(route.address == ip("2001:db8:1::") && route.length == 48)
    }

    @Test("route distinguishers print as tshark prints them (RFC 4364 §4.2 types 0, 1, 2)")
    func routeDistinguishers() {
        #expect(rd0.description == "65000:100")
        #expect(rd1.description == "192.0.2.1:7")
        #expect(rd2.description == "4200000000:5")
    }

    @Test("AFI/SAFI names come from the IANA registries (tshark's value strings)")
    func familyNames() {
        #expect(BGPAddressFamily.l2vpnEVPN.name == "Layer-2 VPN EVPN")
        #expect(BGPAddressFamily.ipv4VPN.name == "IPv4 Labeled VPN Unicast")
        #expect(BGPAddressFamily(afi: 1, safi: 73).name == "IPv4 SR Policy")
        #expect(BGPAddressFamily(afi: 1, safi: 73).encoding == .undecoded)
        #expect(BGPAddressFamily.ipv4Unicast.description == "ipv4-unicast")
    }

    @Test("next hops by length: VPN RD + address, IPv6 global + link-local (RFC 4659 §3.2.1, RFC 2545 §3)")
    func nextHops() {
        let vpn = BGPNextHop(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1], family: .ipv4VPN)
        #expect(vpn == .vpn(BGPRouteDistinguisher(rawValue: 0), ip("192.0.2.1")))
        let pair = BGPNextHop(bytes: ip("2001:db8::1").bytes + ip("fe80::1").bytes, family: .ipv6Unicast)
        #expect(pair.addresses == [ip("2001:db8::1"), ip("fe80::1")])
        #expect(BGPNextHop(bytes: [1, 2, 3], family: .ipv4Unicast) == .raw([1, 2, 3]))
        for hop in [vpn, pair] { #expect(BGPNextHop(bytes: hop.bytes, family: hop == vpn ? .ipv4VPN : .ipv6Unicast) == hop) }
    }
}

