import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// Path attributes, communities and extended communities as peerscope decodes them, against tshark
/// on a capture built with our encoder: every field both sides show, compared value by value.
@Suite("differential: path attributes and communities vs tshark", .serialized)
struct BGPAttributeTsharkTests {
    static let communities: [UInt32] = [0xFFFF_FF01, 0xFFFF_FF02, 0xFFFF_FF03, 0xFFFF_FF04, 0xFFFF_029A, 0xFFFF_0000,
                                        0xFFFF_0001, 0xFFFF_0006, 0xFFFF_0007, 65000 << 16 | 100]

    static let extendedCommunities: [BGPExtendedCommunity.Value] = [
        .routeTarget(.as2(65000, local: 100)), .routeTarget(.ipv4(IPv4Address(10, 0, 0, 1), local: 7)),
        .routeTarget(.as4(100_000, local: 5)), .routeOrigin(.as2(65001, local: 2)),
        .routeOrigin(.ipv4(IPv4Address(192, 0, 2, 7), local: 3)), .routeOrigin(.as4(4_200_000_000, local: 4)),
        .linkBandwidth(asn: 65000, bytesPerSecond: 125_000_000), .encapsulation(tunnelType: 8), .color(flags: 0, color: 42),
        .trafficRate(asn: 65002, bytesPerSecond: 1_250_000), .trafficAction(sample: true, terminal: false),
        .redirect(.as2(65000, local: 10)), .redirect(.ipv4(IPv4Address(192, 0, 2, 1), local: 9)),
        .redirect(.as4(100_000, local: 11)), .trafficMarking(dscp: 46), .macMobility(sticky: true, sequence: 100),
        .esiLabel(singleActive: true, label: 74565 << 4), .esImport(BGPMACAddress(0x0011_2233_4455)),
        .routerMAC(BGPMACAddress(0x0A0B_0C0D_0E0F)), .ospfDomainID(.as2(65003, local: 1)),
        .ospfRouteType(area: IPv4Address(10, 0, 0, 0), routeType: 5, options: 1), .ospfRouterID(IPv4Address(10, 9, 9, 9)),
        .unknown(type: 0x99, subtype: 0x98, value: 0x1122_3344_5566),
    ]

    static let update = BGPUpdate(attributes: [
        BGPPathAttribute(flags: 0x40, value: .origin(0)),
        BGPPathAttribute(flags: 0x40, value: .asPath([BGPASPathSegment(type: 2, asns: [65000])])),
        BGPPathAttribute(flags: 0x40, value: .nextHop(IPv4Address(10, 0, 0, 1))),
        BGPPathAttribute(flags: 0xC0, value: .communities(communities)),
        BGPPathAttribute(flags: 0xC0, value: .extendedCommunities(extendedCommunities.map { BGPExtendedCommunity($0).raw })),
        BGPPathAttribute(flags: 0x80, value: .aigp([BGPAttributeTLV(type: 1, value: [0, 0, 0, 0, 0, 0, 0x03, 0xE8])])),
        BGPPathAttribute(flags: 0xC0, value: .pmsiTunnel(BGPPMSITunnel(flags: 1, tunnelType: 6, labelField: 16001,
                                                                       tunnelIdentifier: [10, 0, 0, 9]))),
        BGPPathAttribute(flags: 0xC0, value: .prefixSID([BGPAttributeTLV(type: 1, value: [0, 0, 0, 0, 0, 0, 100])])),
        BGPPathAttribute(flags: 0xC0, value: .tunnelEncapsulation([
            BGPTunnelEncapsulationTLV(tunnelType: 8, subTLVs: [BGPAttributeTLV(type: 8, value: [0x12, 0xB5])]),
        ])),
        BGPPathAttribute(flags: 0x80, value: .linkState([BGPAttributeTLV(type: 1026, value: Array("r1".utf8)),
                                                         BGPAttributeTLV(type: 1095, value: [0, 0, 20])])),
        BGPPathAttribute(flags: 0xC0, value: .attributeSet(originAS: 65002, attributes: [
            BGPPathAttribute(flags: 0x40, value: .origin(0)), BGPPathAttribute(flags: 0x80, value: .multiExitDisc(5)),
        ])),
        BGPPathAttribute(flags: 0xE0, value: .unknown(type: 250, bytes: [1, 2, 3])),
    ], announced: [BGPPrefix(address: IPAddress("192.0.2.0")!, length: 24)])

    /// SYN, SYN+ACK, OPEN both ways (4-octet AS), then the UPDATE, as one Ethernet capture.
    static func writeCapture() throws -> String {
        let a = IPAddress("192.0.2.1")!, b = IPAddress("192.0.2.2")!
        var sequence: [IPAddress: UInt32] = [a: 1000, b: 5000]
        var frames: [[UInt8]] = []
        func segment(from source: IPAddress, flags: TCPFlags, payload: [UInt8] = []) {
            let destination = source == a ? b : a
            let header = TCPHeader(sourcePort: source == a ? 40_000 : 179, destinationPort: source == a ? 179 : 40_000,
                                   sequenceNumber: sequence[source]!, acknowledgmentNumber: sequence[destination]!, flags: flags)
            frames.append(FrameBuilder(source: source, destination: destination, transport: .tcp(header)).build(payload: payload))
            sequence[source]! &+= UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0)
        }
        segment(from: a, flags: .syn)
        segment(from: b, flags: [.syn, .ack])
        for side in [a, b] {
            let open = BGPOpen(myAS: 65000, holdTime: 90, identifier: IPv4Address(side == a ? 1 : 2, 1, 1, 1),
                               capabilities: [.multiprotocol(.ipv4Unicast), .fourOctetAS(65000)])
            segment(from: side, flags: [.ack, .psh], payload: BGPMessage.open(open).encoded())
        }
        segment(from: a, flags: [.ack, .psh], payload: BGPMessage.update(update).encoded())
        let path = Scratch.path("attributes.pcap")
        try Scratch.write(frames, to: path, linkType: .ethernet)
        return path
    }

    /// tshark's values of `fields` in the UPDATE's frame, each split on its aggregator.
    static func tshark(_ path: String, _ fields: [String]) throws -> [String: [String]] {
        let tshark = try #require(CLI.which("tshark"))
        let run = try CLI.run(tshark, ["-r", path, "-Y", "bgp.type == 2", "-T", "fields", "-E", "separator=\t",
                                       "-E", "aggregator=|"] + fields.flatMap { ["-e", $0] })
        let cells = try #require(run.stdoutLines.first).split(separator: "\t", omittingEmptySubsequences: false)
        return Dictionary(uniqueKeysWithValues: zip(fields, cells.map { $0.isEmpty ? [] : $0.split(separator: "|").map(String.init) }))
    }

    /// The fields of the sample UPDATE, decoded from the bytes we wrote, so that the decoder (not the
    /// sample list) is what is compared.
    static func ours() -> [String: [String]] {
        fields(of: (try? decodeUpdate(BGPMessage.update(update).encoded()))??.attributes ?? [])
    }

    /// Attributes, communities and extended communities the way tshark files them: one subtype field
    /// per extended community type, the administrator and local parts by their width.
    static func fields(of attributes: [BGPPathAttribute]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        func put(_ field: String, _ value: String) { result[field, default: []].append(value) }
        func hex(_ value: UInt8) -> String { "0x" + (value < 16 ? "0" : "") + String(value, radix: 16) }
        func administrator(_ administrator: BGPExtendedCommunity.Administrator) {
            switch administrator {
            case .as2(let asn, let local): put("bgp.ext_com.value_as2", "\(asn)"); put("bgp.ext_com.value_an4", "\(local)")
            case .ipv4(let address, let local): put("bgp.ext_com.value_IP4", "\(address)"); put("bgp.ext_com.value_an2", "\(local)")
            case .as4(let asn, let local): put("bgp.ext_com.value_as4", "\(asn)"); put("bgp.ext_com.value_an2", "\(local)")
            }
        }
        let subtypeField: [UInt8: String] = [0x00: "stype_tr_as2", 0x40: "stype_ntr_as2", 0x01: "stype_tr_IP4",
                                             0x02: "stype_tr_as4", 0x03: "stype_tr_opaque", 0x06: "stype_tr_evpn",
                                             0x80: "stype_tr_exp", 0x81: "stype_tr_exp_2", 0x82: "stype_tr_exp_3"]
        for attribute in attributes {
            switch attribute.value {
            case .communities(let list):
                for community in list {
                    if BGPWellKnownCommunity.name(community) != nil {
                        put("bgp.update.path_attribute.community_wellknown", "0x" + String(community, radix: 16))
                    } else {
                        put("bgp.update.path_attribute.community_as", "\(community >> 16)")
                        put("bgp.update.path_attribute.community_value", "\(community & 0xFFFF)")
                    }
                }
            case .extendedCommunities(let list):
                for community in list.map(BGPExtendedCommunity.init(raw:)) {
                    put("bgp.ext_com.type", hex(community.type))
                    put("bgp.ext_com." + (subtypeField[community.type] ?? "stype_unknown"), hex(community.subtype))
                    switch community.value {
                    case .routeTarget(let admin), .routeOrigin(let admin), .redirect(let admin), .ospfDomainID(let admin):
                        administrator(admin)
                    case .linkBandwidth(let asn, let rate):
                        put("bgp.ext_com.value_as2", "\(asn)"); put("bgp.ext_com.value_link_bw", "\(Int(rate))")
                    case .trafficRate(let asn, let rate):
                        put("bgp.ext_com.value_as2", "\(asn)"); put("bgp.ext_com_flow.rate_limit", "\(Int(rate))")
                    case .encapsulation(let tunnelType): put("bgp.ext_com.tunnel_type", "\(tunnelType)")
                    case .color(let flags, let color):
                        put("bgp.ext_com.value_raw", String(format: "0x%016llx", UInt64(flags) << 32 | UInt64(color)))
                    case .trafficAction(let sample, let terminal):
                        put("bgp.ext_com_flow.sample", sample ? "1" : "0"); put("bgp.ext_com_flow.traff_act", terminal ? "1" : "0")
                    case .trafficMarking(let dscp): put("bgp.ext_com.value_fs_dscp", hex(dscp))
                    case .macMobility(let sticky, let sequence):
                        put("bgp.ext_com_evpn.mmac.flags.sticky", sticky ? "1" : "0"); put("bgp.ext_com_evpn.mmac.seq", "\(sequence)")
                    case .esiLabel(let singleActive, let label):
                        put("bgp.ext_com_l2.esi_label_flag", singleActive ? "1" : "0")
                        put("bgp.update.path_attribute.mpls_label_value_20bits", "\(label >> 4)")
                    case .esImport(let mac): put("bgp.ext_com_evpn.esi.rt", "\(mac)")
                    case .routerMAC(let mac): put("bgp.ext_com_evpn.esi.router_mac", "\(mac)")
                    case .ospfRouteType(let area, let routeType, let options):
                        put("bgp.ext_com.value_ospf_rtype.area", "\(area)")
                        put("bgp.ext_com.value_ospf_rtype.type", "\(routeType)")
                        put("bgp.ext_com.value_ospf_rtype.options", hex(options))
                    case .ospfRouterID(let address): put("bgp.ext_com.value_ospf_rid", "\(address)")
                    case .unknown(_, _, let value): put("bgp.ext_com.value_raw", String(format: "0x%016llx", value))
                    }
                }
            case .pmsiTunnel(let tunnel):
                put("bgp.update.path_attribute.pmsi.tunnel.type", "\(tunnel.tunnelType)")
                put("bgp.update.path_attribute.pmsi.tunnel.flags", "\(tunnel.flags)")
                if let endpoint = tunnel.endpoint { put("bgp.update.path_attribute.pmsi.ingress_rep_ip", "\(endpoint)") }
            case .aigp:
                put("bgp.update.attribute.aigp.accu_igp_metric", "\(attribute.accumulatedIGPMetric ?? 0)")
            case .prefixSID(let tlvs):
                for tlv in tlvs {
                    put("bgp.prefix_sid.type", "\(tlv.type)")
                    if tlv.type == 1, tlv.value.count == 7 {
                        put("bgp.prefix_sid.label_index.value", "\(tlv.value[3...].reduce(0) { $0 << 8 | UInt32($1) })")
                    }
                }
            case .tunnelEncapsulation(let tunnels):
                for tunnel in tunnels {
                    put("bgp.update.encaps_tunnel_tlv_type", "\(tunnel.tunnelType)")
                    for subTLV in tunnel.subTLVs { put("bgp.update.encaps_tunnel_subtlv_type", "\(subTLV.type)") }
                }
            case .linkState(let tlvs): for tlv in tlvs { put("bgp.ls.type", "\(tlv.type)") }
            case .attributeSet(let originAS, _): put("bgp.update.path_attribute.attr_set.origin_as", "\(originAS)")
            default: break
            }
        }
        // tshark lists the attributes inside ATTR_SET after it, in the same type and flags fields.
        let all = attributes.flatMap { attribute -> [BGPPathAttribute] in
            if case .attributeSet(_, let inner) = attribute.value { [attribute] + inner } else { [attribute] }
        }
        result["bgp.update.path_attribute.type_code"] = all.map { "\($0.typeCode)" }
        result["bgp.update.path_attribute.flags"] = all.map { hex($0.flags) }
        return result
    }

    static func decodeUpdate(_ bytes: [UInt8]) throws -> BGPUpdate? {
        let message: BGPMessage? = bytes.withUnsafeBytes { view in try? BGPMessage.decode(view).1 }
        if case .update(let update)? = message { return update }
        return nil
    }

    @Test("every community, extended community and attribute field equals tshark's",
          .enabled(if: CLI.which("tshark") != nil))
    func fieldsMatchTshark() throws {
        let path = try Self.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ours = Self.ours()
        let theirs = try Self.tshark(path, ours.keys.sorted())
        #expect(ours.count >= 40, "fields compared: \(ours.keys.sorted())")
        // tshark prints the IEEE float rates in %g form (1.25e+08): compare those as numbers.
        let floats: Set = ["bgp.ext_com.value_link_bw", "bgp.ext_com_flow.rate_limit"]
        for field in ours.keys.sorted() {
            let their = floats.contains(field) ? theirs[field]?.map { Double($0).map { String(Int($0)) } ?? $0 } : theirs[field]
            #expect(ours[field] == their, "\(field): ours \(ours[field] ?? []) tshark \(theirs[field] ?? [])")
        }
    }

    @Test("decode -Y bgp --json carries the same values under tshark's keys",
          .enabled(if: CLI.which("tshark") != nil))
    func jsonMatchesTshark() throws {
        let path = try Self.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.peerscope("decode", "-Y", "bgp", "--json", path)
        #expect(result.status == 0)
        let lines = try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let update = try #require(lines.first { $0["bgp.type"] as? Int == 2 })
        let theirs = try Self.tshark(path, ["bgp.ext_com.type", "bgp.update.path_attribute.community_wellknown",
                                            "bgp.update.attribute.aigp.accu_igp_metric",
                                            "bgp.update.path_attribute.pmsi.tunnel.type", "bgp.prefix_sid.type",
                                            "bgp.update.encaps_tunnel_tlv_type", "bgp.update.path_attribute.attr_set.origin_as"])
        func ints(_ key: String) -> [Int] {
            if let list = update[key] as? [Int] { return list }
            return (update[key] as? Int).map { [$0] } ?? []
        }
        for (key, values) in theirs {
            #expect(ints(key) == values.map { Int($0.hasPrefix("0x") ? String($0.dropFirst(2)) : $0,
                                                  radix: $0.hasPrefix("0x") ? 16 : 10) ?? -1 }, "\(key)")
        }
        let texts = try #require(update["peerscope.bgp.ext_com"] as? [String])
        #expect(texts.first == "Route Target: 65000:100")
        #expect(texts.contains("Route Target: 1.34464(100000):5"))  // tshark's asdot(asplain) label
        #expect(update["peerscope.bgp.communities"] as? [String] == ["NO_EXPORT", "NO_ADVERTISE", "NO_EXPORT_SUBCONFED",
            "NOPEER", "BLACKHOLE", "GRACEFUL_SHUTDOWN", "ACCEPT_OWN", "LLGR_STALE", "NO_LLGR", "65000:100"])
    }
}
