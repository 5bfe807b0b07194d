import PeerscopeWire

/// `bgp-families.pcap`: one BGP session (192.0.2.1 ⇄ 192.0.2.2) whose OPENs offer every family
/// peerscope decodes, then one UPDATE per TCP segment for each family and attribute form no lab
/// daemon sends: MVPN route types 1–7 (RFC 6514), VPLS (RFC 4761), MDT (RFC 6037), RT-constraint
/// with a default, a full and a partial route target (RFC 4684), IPv4/IPv6/VPN flowspec with every
/// component and an IPv6 prefix offset (RFC 8955, RFC 8956 §3.1), EVPN under MPLS and VXLAN,
/// BGP-LS NLRI with a BGP-LS attribute (RFC 9552), a tunnel encapsulation attribute (RFC 9012) and
/// every extended community form peerscope names. tshark judges every field of it
/// (`BGPFamilyDifferentialTests`); one UPDATE per segment so tshark's per-frame state (the VXLAN
/// context it keeps between UPDATEs) never leaks from one family into the next.
extension Samples {
    static let familyRD = BGPRouteDistinguisher(asn: 65000, number: 100)

    func bgpFamilies() -> [(time: Int64, bytes: [UInt8])] {
        var bgp = BGPConnection()
        var frames: [(time: Int64, bytes: [UInt8])] = []
        var time: Int64 = 0
        func send(_ side: Int, _ message: BGPMessage) {
            time += 10_000_000
            frames.append((time, bgp.segment(from: side, message: message.encoded())))
        }
        let families = Self.familyUpdates.map(\.family)
        var seen = Set<BGPAddressFamily>()
        let offered = families.filter { seen.insert($0).inserted }.map(BGPCapability.multiprotocol)
        for side in 0...1 {
            let identifier = side == 0 ? IPv4Address(192, 0, 2, 1) : IPv4Address(192, 0, 2, 2)
            send(side, .open(BGPOpen(myAS: side == 0 ? 65001 : 65002, holdTime: 90, identifier: identifier,
                                     capabilities: offered + [.routeRefresh, .fourOctetAS(side == 0 ? 65001 : 65002)])))
        }
        send(0, .keepalive)
        send(1, .keepalive)
        for update in Self.familyUpdates {
            let reach = BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.extendedLength,
                                         value: .mpReach(family: update.family,
                                                         nextHop: BGPNextHop(bytes: update.nextHop, family: update.family),
                                                         nlri: update.nlri))
            var attributes = [BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(0)),
                              BGPPathAttribute(flags: BGPPathAttribute.transitive,
                                               value: .asPath([BGPASPathSegment(type: 2, asns: [65001])]))]
            // RFC 4271 §5 lets attributes come in any order; the VXLAN UPDATE puts its communities
            // first (tshark reads EVPN labels as VNIs only after it has seen the community).
            if update.communitiesFirst { attributes += update.attributes + [reach] } else { attributes += [reach] + update.attributes }
            send(0, .update(BGPUpdate(attributes: attributes)))
        }
        for family in [BGPAddressFamily.l2vpnVPLS, BGPAddressFamily(afi: 1, safi: 5)] {
            let withdrawn = Self.familyUpdates.first { $0.family == family }?.nlri ?? []
            send(0, .update(BGPUpdate(attributes: [BGPPathAttribute(flags: BGPPathAttribute.optional,
                                                                    value: .mpUnreach(family: family, nlri: withdrawn))])))
        }
        return frames
    }

    struct FamilyUpdate {
        var family: BGPAddressFamily
        var nextHop: [UInt8]
        var nlri: [BGPNLRI]
        var attributes: [BGPPathAttribute] = []
        var communitiesFirst = false
    }

    static func ip(_ text: String) -> IPAddress { IPAddress(text)! }

    static func communities(_ values: [BGPExtendedCommunity.Value]) -> BGPPathAttribute {
        BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.transitive,
                         value: .extendedCommunities(values.map { BGPExtendedCommunity($0).raw }))
    }

    static let familyUpdates: [FamilyUpdate] = {
        let rd = familyRD
        let rdIP = BGPRouteDistinguisher(ipv4: IPv4Address(192, 0, 2, 1), number: 7)
        let rdAS4 = BGPRouteDistinguisher(asn4: 4_200_000_001, number: 3)
        let hop: [UInt8] = [192, 0, 2, 1]
        let vpnHop: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1]
        let esi = BGPEthernetSegmentID(bytes: [1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x01, 0x00, 0])
        let noESI = BGPEthernetSegmentID(bytes: [])
        let mac: [UInt8] = [0x52, 0x54, 0, 0x12, 0x34, 0x56]
        func label(_ value: UInt32) -> BGPLabel { BGPLabel(label: value) }
        let evpn: [BGPNLRI] = [
            .evpn(BGPEVPNRoute(routeType: 1, route: .ethernetAD(rd: rdIP, esi: esi, ethernetTag: 0, label: label(0)))),
            .evpn(BGPEVPNRoute(routeType: 2, route: .macIP(rd: rdIP, esi: noESI, ethernetTag: 100, mac: mac, ip: ip("10.10.10.1"),
                                                           label1: label(10_010), label2: label(20_020)))),
            .evpn(BGPEVPNRoute(routeType: 2, route: .macIP(rd: rdIP, esi: noESI, ethernetTag: 0, mac: mac, ip: ip("2001:db8::10"),
                                                           label1: label(10_011), label2: nil))),
            .evpn(BGPEVPNRoute(routeType: 3, route: .inclusiveMulticast(rd: rdIP, ethernetTag: 0, originator: ip("192.0.2.1")))),
            .evpn(BGPEVPNRoute(routeType: 4, route: .ethernetSegment(rd: rdIP, esi: esi, originator: ip("192.0.2.1")))),
            .evpn(BGPEVPNRoute(routeType: 5, route: .ipPrefix(rd: rd, esi: noESI, ethernetTag: 0, prefix: ip("10.20.0.0"), length: 16,
                                                              gateway: ip("192.0.2.1"), label: label(5000)))),
            .evpn(BGPEVPNRoute(routeType: 5, route: .ipPrefix(rd: rd, esi: noESI, ethernetTag: 0, prefix: ip("2001:db8:20::"), length: 48,
                                                              gateway: ip("::"), label: label(5001)))),
        ]
        // RFC 8365 §5.1.3: with a VXLAN encapsulation community the label fields carry the VNI.
        let vxlan: [BGPNLRI] = [
            .evpn(BGPEVPNRoute(routeType: 2, route: .macIP(rd: rdIP, esi: noESI, ethernetTag: 0, mac: mac, ip: nil,
                                                           label1: BGPLabel(rawValue: 10_100), label2: nil))),
            .evpn(BGPEVPNRoute(routeType: 5, route: .ipPrefix(rd: rd, esi: noESI, ethernetTag: 0, prefix: ip("10.30.0.0"), length: 24,
                                                              gateway: ip("0.0.0.0"), label: BGPLabel(rawValue: 48_001)))),
        ]
        let mvpn: [BGPNLRI] = [
            .mvpn(BGPMVPNRoute(routeType: 1, routeDistinguisher: rd, originator: ip("192.0.2.9"))),
            .mvpn(BGPMVPNRoute(routeType: 2, routeDistinguisher: rd, sourceAS: 65001)),
            .mvpn(BGPMVPNRoute(routeType: 3, routeDistinguisher: rd, source: ip("10.0.0.1"), group: ip("232.1.1.1"),
                               originator: ip("192.0.2.9"))),
            .mvpn(BGPMVPNRoute(routeType: 4, originator: ip("192.0.2.2"),
                               raw: [1, 12, 0, 0, 0xFD, 0xE8, 0, 0, 0, 0x64, 192, 0, 2, 9])),
            .mvpn(BGPMVPNRoute(routeType: 5, routeDistinguisher: rd, source: ip("10.0.0.1"), group: ip("232.1.1.1"))),
            .mvpn(BGPMVPNRoute(routeType: 6, routeDistinguisher: rd, sourceAS: 65001, source: ip("10.0.0.2"), group: ip("232.1.1.2"))),
            .mvpn(BGPMVPNRoute(routeType: 7, routeDistinguisher: rd, sourceAS: 65001, source: ip("10.0.0.1"), group: ip("232.1.1.1"))),
        ]
        let linkState: [BGPNLRI] = [
            .linkState(BGPLinkStateNLRI(nlriType: 1, protocolID: 3, identifier: 0, descriptors: [
                BGPLinkStateTLV(type: 256, value: [2, 0, 0, 4, 0, 0, 0xFD, 0xE8, 2, 3, 0, 4, 10, 0, 0, 1])])),
            .linkState(BGPLinkStateNLRI(nlriType: 2, protocolID: 3, identifier: 0, descriptors: [
                BGPLinkStateTLV(type: 256, value: [2, 3, 0, 4, 10, 0, 0, 1]),
                BGPLinkStateTLV(type: 257, value: [2, 3, 0, 4, 10, 0, 0, 2]),
                BGPLinkStateTLV(type: 259, value: [10, 1, 2, 1]), BGPLinkStateTLV(type: 260, value: [10, 1, 2, 2])])),
        ]
        func float(_ value: Float) -> [UInt8] { var bytes: [UInt8] = []; bytes.appendUInt32(value.bitPattern); return bytes }
        // RFC 9552 §5.3: node name, router IDs, SR capabilities (RFC 9085 §2.1.2), link metrics and
        // bandwidths (IEEE floats, bytes per second), admin group, SRLG, prefix metric, one unknown.
        let lsAttribute = BGPPathAttribute(flags: BGPPathAttribute.optional, value: .linkState([
            BGPAttributeTLV(type: 1026, value: Array("r1.example".utf8)),
            BGPAttributeTLV(type: 1028, value: [10, 0, 0, 1]),
            BGPAttributeTLV(type: 1030, value: [10, 0, 0, 2]),
            BGPAttributeTLV(type: 1034, value: [0x80, 0, 0, 0x1F, 0x40, 4, 137, 0, 3, 0, 0x3E, 0x80]),
            BGPAttributeTLV(type: 1088, value: [0, 0, 0, 0x05]),
            BGPAttributeTLV(type: 1089, value: float(1_250_000_000)),
            BGPAttributeTLV(type: 1090, value: float(625_000_000)),
            BGPAttributeTLV(type: 1092, value: [0, 0, 0, 20]),
            BGPAttributeTLV(type: 1095, value: [0, 0, 10]),
            BGPAttributeTLV(type: 1096, value: [0, 0, 0, 7, 0, 0, 0, 9]),
            BGPAttributeTLV(type: 1155, value: [0, 0, 0, 30]),
            BGPAttributeTLV(type: 1171, value: [0xAB, 0xCD]),
        ]))
        // RFC 9012 §3: encapsulation (VXLAN: flags, VNI, MAC), protocol type, color, tunnel egress
        // endpoint (reserved, AFI, address) and UDP destination port sub-TLVs.
        func tunnel(_ tunnels: [BGPTunnelEncapsulationTLV]) -> BGPPathAttribute {
            BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.transitive, value: .tunnelEncapsulation(tunnels))
        }
        let tunnels = tunnel([
            BGPTunnelEncapsulationTLV(tunnelType: 8, subTLVs: [
                BGPAttributeTLV(type: 1, value: [0xC0, 0, 0x27, 0x11, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0]),
                BGPAttributeTLV(type: 2, value: [0x08, 0x00]),
                BGPAttributeTLV(type: 6, value: [0, 0, 0, 0, 0, 1, 192, 0, 2, 1]),
                BGPAttributeTLV(type: 7, value: [0xB8]),
                BGPAttributeTLV(type: 8, value: [0x12, 0xB5]),
            ]),
            BGPTunnelEncapsulationTLV(tunnelType: 2, subTLVs: [BGPAttributeTLV(type: 1, value: [0, 0, 0, 42])]),
        ])
        // Alone in its UPDATE: tshark 4.0 misreads the Color sub-TLV and marks the rest malformed.
        let colored = tunnel([BGPTunnelEncapsulationTLV(tunnelType: 13, subTLVs: [
            BGPAttributeTLV(type: 4, value: [0x03, 0x0B, 0, 0, 0, 0, 0, 100])])])
        let everyCommunity = communities([
            .routeTarget(.as2(65000, local: 100)), .routeTarget(.ipv4(IPv4Address(192, 0, 2, 1), local: 7)),
            .routeTarget(.as4(4_200_000_001, local: 3)), .routeOrigin(.as2(65000, local: 200)),
            .routeOrigin(.ipv4(IPv4Address(192, 0, 2, 2), local: 8)), .ospfDomainID(.as2(65000, local: 1)),
            .ospfRouterID(IPv4Address(10, 0, 0, 1)), .ospfRouteType(area: IPv4Address(0, 0, 0, 0), routeType: 5, options: 1),
            .linkBandwidth(asn: 65000, bytesPerSecond: 125_000_000), .encapsulation(tunnelType: 10),
            .color(flags: 0, color: 100), .macMobility(sticky: true, sequence: 5), .esiLabel(singleActive: true, label: 16_000),
            .esImport(BGPMACAddress(0x0011_2233_4455)), .routerMAC(BGPMACAddress(0x5254_0012_3456)),
            .unknown(type: 0x03, subtype: 0x99, value: 0x0102_0304_0506),
        ])
        let flowActions = communities([
            .trafficRate(asn: 65000, bytesPerSecond: 1000), .trafficAction(sample: true, terminal: false),
            .redirect(.as2(65000, local: 666)), .redirect(.ipv4(IPv4Address(192, 0, 2, 1), local: 9)),
            .redirect(.as4(4_200_000_001, local: 4)), .trafficMarking(dscp: 46),
        ])
        return [
            FamilyUpdate(family: .ipv4LabeledUnicast, nextHop: hop, nlri: [
                .labeled(BGPLabeledPrefix(labels: [label(16)], address: ip("10.1.0.0"), length: 16))]),
            FamilyUpdate(family: .ipv4VPN, nextHop: vpnHop, nlri: [
                .labeled(BGPLabeledPrefix(labels: [label(100)], routeDistinguisher: rd, address: ip("10.2.0.0"), length: 24)),
                .labeled(BGPLabeledPrefix(labels: [label(101)], routeDistinguisher: rdIP, address: ip("10.2.0.0"), length: 24)),
                .labeled(BGPLabeledPrefix(labels: [label(102)], routeDistinguisher: rdAS4, address: ip("10.2.1.0"), length: 25))],
                attributes: [everyCommunity]),
            FamilyUpdate(family: .l2vpnEVPN, nextHop: hop, nlri: evpn,
                         attributes: [communities([.routeTarget(.as2(65000, local: 100)), .encapsulation(tunnelType: 10)])]),
            FamilyUpdate(family: .l2vpnEVPN, nextHop: hop, nlri: vxlan,
                         attributes: [communities([.routeTarget(.as2(65000, local: 100)), .encapsulation(tunnelType: 8)])],
                         communitiesFirst: true),
            FamilyUpdate(family: .l2vpnVPLS, nextHop: hop, nlri: [
                .vpls(BGPVPLSRoute(routeDistinguisher: rd, veID: 1, blockOffset: 1, blockSize: 10, labelBase: label(800_000)))]),
            FamilyUpdate(family: BGPAddressFamily(afi: 1, safi: 5), nextHop: hop, nlri: mvpn),
            FamilyUpdate(family: BGPAddressFamily(afi: 2, safi: 5), nextHop: ip("2001:db8::1").bytes, nlri: [
                .mvpn(BGPMVPNRoute(routeType: 1, routeDistinguisher: rd, originator: ip("2001:db8::9"))),
                .mvpn(BGPMVPNRoute(routeType: 7, routeDistinguisher: rd, sourceAS: 65001, source: ip("2001:db8::1"),
                                   group: ip("ff3e::1")))]),
            FamilyUpdate(family: BGPAddressFamily(afi: 1, safi: 66), nextHop: hop, nlri: [
                .mdt(BGPMDTRoute(routeDistinguisher: rd, originator: IPv4Address(192, 0, 2, 1), group: IPv4Address(239, 1, 1, 1)))]),
            FamilyUpdate(family: .routeTargetConstraint, nextHop: hop, nlri: [
                .routeTarget(.defaultRoute),
                .routeTarget(BGPRouteTargetMembership(originAS: 65000, routeTarget: 0x0002_FDE8_0000_0064, length: 96)),
                .routeTarget(BGPRouteTargetMembership(originAS: 65000, routeTarget: 0x0102_C000_0201_0007, length: 96)),
                .routeTarget(BGPRouteTargetMembership(originAS: 65000, routeTarget: 0x0202_FA56_EA01_0003, length: 96))]),
            FamilyUpdate(family: .ipv4FlowSpec, nextHop: [], nlri: [
                .flowSpec(BGPFlowSpecRule(components: [
                    .prefix(type: 1, address: ip("10.0.0.0"), length: 24, offset: nil),
                    .operators(type: 3, [.init(flags: 0x81, value: 6)]),
                    .operators(type: 5, [.init(flags: 0x01, value: 80), .init(flags: 0x91, value: 443)]),
                    .operators(type: 9, [.init(flags: 0x81, value: 0x02)])])),
                .flowSpec(BGPFlowSpecRule(components: [
                    // Every operator form of RFC 8955 §4.2.1: none, >=, <=, >< (lt|gt), AND, 1- and 2-byte values.
                    .prefix(type: 2, address: ip("10.0.0.0"), length: 8, offset: nil),
                    .operators(type: 4, [.init(flags: 0x13, value: 1024), .init(flags: 0x00, value: 7), .init(flags: 0x07, value: 7),
                                         .init(flags: 0x45, value: 20), .init(flags: 0x01, value: 22), .init(flags: 0x86, value: 9)]),
                    .operators(type: 6, [.init(flags: 0xA1, value: 70_000)]),
                    .operators(type: 7, [.init(flags: 0x81, value: 8)]),
                    .operators(type: 8, [.init(flags: 0x81, value: 0)]),
                    .operators(type: 9, [.init(flags: 0x01, value: 0xFF), .init(flags: 0x01, value: 0x12),
                                         .init(flags: 0x42, value: 0x04), .init(flags: 0x83, value: 0x01)]),
                    .operators(type: 10, [.init(flags: 0x13, value: 100), .init(flags: 0xD5, value: 1500)]),
                    .operators(type: 11, [.init(flags: 0x01, value: 63), .init(flags: 0x01, value: 26), .init(flags: 0x81, value: 46)]),
                    .operators(type: 12, [.init(flags: 0x01, value: 0x0F), .init(flags: 0x02, value: 0x01), .init(flags: 0x81, value: 0x0A)])]))],
                attributes: [flowActions]),
            FamilyUpdate(family: .ipv6FlowSpec, nextHop: [], nlri: [
                .flowSpec(BGPFlowSpecRule(components: [
                    .prefix(type: 1, address: ip("2001:db8::"), length: 32, offset: 0),
                    .operators(type: 3, [.init(flags: 0x81, value: 58)])])),
                // RFC 8956 §3.1: the pattern is bits offset … length − 1 of the address. Offsets
                // below 8 keep the pattern's octet count equal to length / 8, so tshark 4.0 (which
                // reads `length` bits and ignores the offset) still parses the rest of the rule.
                .flowSpec(BGPFlowSpecRule(components: [
                    .prefix(type: 1, address: ip("fff:1:2:3::"), length: 64, offset: 4),
                    .prefix(type: 2, address: ip("1db8:ab:cd::"), length: 48, offset: 3),
                    // Not the flow label (13, RFC 8956 §3.7): tshark 4.0 does not decode it.
                    .operators(type: 10, [.init(flags: 0x91, value: 0x1234)])]))]),
            FamilyUpdate(family: BGPAddressFamily(afi: 1, safi: 134), nextHop: [], nlri: [
                .flowSpec(BGPFlowSpecRule(routeDistinguisher: rd, components: [
                    .prefix(type: 1, address: ip("10.9.0.0"), length: 16, offset: nil),
                    .operators(type: 5, [.init(flags: 0x81, value: 53)])])),
                .flowSpec(BGPFlowSpecRule(routeDistinguisher: rdIP, components: [
                    .prefix(type: 1, address: ip("10.9.1.0"), length: 24, offset: nil)])),
                .flowSpec(BGPFlowSpecRule(routeDistinguisher: rdAS4, components: [
                    .prefix(type: 1, address: ip("10.9.2.0"), length: 24, offset: nil)]))],
                attributes: [communities([.routeTarget(.as2(65000, local: 100)), .trafficRate(asn: 0, bytesPerSecond: 0)])]),
            FamilyUpdate(family: .linkState, nextHop: hop, nlri: linkState, attributes: [lsAttribute]),
            FamilyUpdate(family: .ipv4LabeledUnicast, nextHop: hop, nlri: [
                .labeled(BGPLabeledPrefix(labels: [label(17)], address: ip("10.3.0.0"), length: 16))], attributes: [tunnels]),
            FamilyUpdate(family: .ipv4LabeledUnicast, nextHop: hop, nlri: [
                .labeled(BGPLabeledPrefix(labels: [label(18)], address: ip("10.4.0.0"), length: 16))], attributes: [colored]),
        ]
    }()
}
