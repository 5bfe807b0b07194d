import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeWire
import Testing

/// A session carrying every NLRI family peerscope decodes, written as a pcap: tshark reads the
/// same bytes and must agree with our decoder field by field; the analysis must hold each family's
/// routes by key and raise nothing above INFO on well-formed UPDATEs.
@Suite("BGP families in a capture: tshark agrees, per-family Adj-RIB-In, no false findings", .serialized)
struct BGPFamilyCaptureTests {
    static func ip(_ text: String) -> IPAddress { IPAddress(text)! }
    static let rd = BGPRouteDistinguisher(asn: 65000, number: 100)
    static let rdIP = BGPRouteDistinguisher(ipv4: IPv4Address(192, 0, 2, 1), number: 7)
    static let esi = BGPEthernetSegmentID(bytes: [1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x01, 0x00, 0])

    /// (family, next hop bytes, routes): one UPDATE each.
    static let announcements: [(BGPAddressFamily, [UInt8], [BGPNLRI])] = [
        (.ipv4LabeledUnicast, [192, 0, 2, 1], [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 16)], address: ip("10.1.0.0"), length: 16))]),
        (.ipv6LabeledUnicast, ip("::ffff:192.0.2.1").bytes,
         [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 2)], address: ip("2001:db8:1::"), length: 48))]),
        (.ipv4VPN, [0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1],
         [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 100)], routeDistinguisher: rd, address: ip("10.2.0.0"), length: 24)),
          .labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 101)], routeDistinguisher: rdIP, address: ip("10.2.0.0"), length: 24))]),
        (.ipv6VPN, [0, 0, 0, 0, 0, 0, 0, 0] + ip("::ffff:192.0.2.1").bytes,
         [.labeled(BGPLabeledPrefix(labels: [BGPLabel(label: 102)], routeDistinguisher: rd, address: ip("2001:db8:2::"), length: 64))]),
        (.l2vpnEVPN, [192, 0, 2, 1], [
            .evpn(BGPEVPNRoute(routeType: 1, route: .ethernetAD(rd: rdIP, esi: esi, ethernetTag: 0, label: BGPLabel(label: 0)))),
            .evpn(BGPEVPNRoute(routeType: 2, route: .macIP(rd: rdIP, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: 0,
                                                           mac: [0x52, 0x54, 0, 0x12, 0x34, 0x56], ip: ip("10.10.10.1"),
                                                           label1: BGPLabel(label: 10_010), label2: nil))),
            .evpn(BGPEVPNRoute(routeType: 3, route: .inclusiveMulticast(rd: rdIP, ethernetTag: 0, originator: ip("192.0.2.1")))),
            .evpn(BGPEVPNRoute(routeType: 4, route: .ethernetSegment(rd: rdIP, esi: esi, originator: ip("192.0.2.1")))),
            .evpn(BGPEVPNRoute(routeType: 5, route: .ipPrefix(rd: rd, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: 0,
                                                              prefix: ip("10.20.0.0"), length: 16, gateway: ip("0.0.0.0"),
                                                              label: BGPLabel(label: 5000)))),
        ]),
        (.l2vpnVPLS, [192, 0, 2, 1], [.vpls(BGPVPLSRoute(routeDistinguisher: rd, veID: 1, blockOffset: 1, blockSize: 10,
                                                           labelBase: BGPLabel(label: 800_000)))]),
        (BGPAddressFamily(afi: 1, safi: 5), [192, 0, 2, 1], [
            .mvpn(BGPMVPNRoute(routeType: 1, routeDistinguisher: rd, originator: ip("192.0.2.9"))),
            .mvpn(BGPMVPNRoute(routeType: 5, routeDistinguisher: rd, source: ip("10.0.0.1"), group: ip("232.1.1.1"))),
            .mvpn(BGPMVPNRoute(routeType: 7, routeDistinguisher: rd, sourceAS: 65001, source: ip("10.0.0.1"), group: ip("232.1.1.1"))),
        ]),
        (BGPAddressFamily(afi: 1, safi: 66), [192, 0, 2, 1],
         [.mdt(BGPMDTRoute(routeDistinguisher: rd, originator: IPv4Address(192, 0, 2, 1), group: IPv4Address(239, 1, 1, 1)))]),
        (.routeTargetConstraint, [192, 0, 2, 1], [.routeTarget(.defaultRoute),
            .routeTarget(BGPRouteTargetMembership(originAS: 65000, routeTarget: 0x0002_FDE8_0000_0064, length: 96))]),
        (.ipv4FlowSpec, [], [.flowSpec(BGPFlowSpecRule(components: [
            .prefix(type: 1, address: ip("10.0.0.0"), length: 24, offset: nil),
            .operators(type: 3, [.init(flags: 0x81, value: 6)]),
            .operators(type: 5, [.init(flags: 0x01, value: 80), .init(flags: 0x91, value: 443)]),
            .operators(type: 9, [.init(flags: 0x81, value: 0x02)]),
        ])), .flowSpec(BGPFlowSpecRule(components: [
            // Every operator form of RFC 8955 §4.2.1: none, >=, <=, >< (lt|gt), AND, 1- and 2-byte values.
            .prefix(type: 2, address: ip("10.0.0.0"), length: 8, offset: nil),
            .operators(type: 4, [.init(flags: 0x13, value: 1024), .init(flags: 0x00, value: 7), .init(flags: 0x07, value: 7),
                                 .init(flags: 0x45, value: 20), .init(flags: 0x01, value: 22), .init(flags: 0x86, value: 9)]),
            .operators(type: 7, [.init(flags: 0x81, value: 8)]),
            .operators(type: 9, [.init(flags: 0x01, value: 0xFF), .init(flags: 0x01, value: 0x12), .init(flags: 0x42, value: 0x04),
                                 .init(flags: 0x83, value: 0x01)]),
            .operators(type: 10, [.init(flags: 0x13, value: 100), .init(flags: 0xD5, value: 1500)]),
            .operators(type: 11, [.init(flags: 0x01, value: 63), .init(flags: 0x01, value: 26), .init(flags: 0x81, value: 46)]),
            .operators(type: 12, [.init(flags: 0x01, value: 0x0F), .init(flags: 0x02, value: 0x01), .init(flags: 0x81, value: 0x0A)]),
        ]))]),
        (.ipv6FlowSpec, [], [.flowSpec(BGPFlowSpecRule(components: [
            .prefix(type: 1, address: ip("2001:db8::"), length: 32, offset: 0),
            .operators(type: 3, [.init(flags: 0x81, value: 58)]),
        ]))]),
        (.linkState, [192, 0, 2, 1], [
            .linkState(BGPLinkStateNLRI(nlriType: 1, protocolID: 3, identifier: 0, descriptors: [
                BGPLinkStateTLV(type: 256, value: [2, 0, 0, 4, 0, 0, 0xFD, 0xE8, 2, 3, 0, 4, 10, 0, 0, 1])])),
            .linkState(BGPLinkStateNLRI(nlriType: 2, protocolID: 3, identifier: 0, descriptors: [
                BGPLinkStateTLV(type: 256, value: [2, 3, 0, 4, 10, 0, 0, 1]),
                BGPLinkStateTLV(type: 257, value: [2, 3, 0, 4, 10, 0, 0, 2]),
                BGPLinkStateTLV(type: 259, value: [10, 1, 2, 1]), BGPLinkStateTLV(type: 260, value: [10, 1, 2, 2])])),
            .linkState(BGPLinkStateNLRI(nlriType: 3, protocolID: 3, identifier: 0, descriptors: [
                BGPLinkStateTLV(type: 256, value: [2, 3, 0, 4, 10, 0, 0, 1]), BGPLinkStateTLV(type: 265, value: [24, 10, 1, 2])])),
        ]),
        // SR Policy (SAFI 73) is not decoded: kept raw, never a finding.
        (BGPAddressFamily(afi: 1, safi: 73), [192, 0, 2, 1], [.undecoded([0x60, 0, 0, 0, 1, 0, 0, 0, 5, 192, 0, 2, 1])]),
    ]

    /// The exchange, and the frame number of each announcement's UPDATE.
    static func exchange() -> (BGPExchange, [Int]) {
        var exchange = BGPExchange()
        let families = announcements.map(\.0)
        exchange.a.capabilities = families.map(BGPCapability.multiprotocol) + [.routeRefresh]
        exchange.b.capabilities = exchange.a.capabilities
        exchange.establish()
        var frames: [Int] = []
        for (family, hop, nlri) in announcements {
            let attributes = [
                BGPPathAttribute(flags: BGPPathAttribute.optional,
                                 value: .mpReach(family: family, nextHop: BGPNextHop(bytes: hop, family: family), nlri: nlri)),
                BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(0)),
                BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .asPath([BGPASPathSegment(type: 2, asns: [65001])])),
            ]
            exchange.advance(seconds: 2)
            exchange.send(.a, .update(BGPUpdate(attributes: attributes)))
            frames.append(exchange.frames.count)
        }
        return (exchange, frames)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func write(_ exchange: BGPExchange, to path: String) throws {
        let writer = try CaptureWriter(path: path, format: .pcap, linkType: .ethernet)
        for frame in exchange.frames.sorted(by: { $0.time < $1.time }) {
            writer.write(timestampNanoseconds: 1_700_000_000_000_000_000 + frame.time, bytes: frame.bytes)
        }
    }

    /// Our decoder's reading of one announcement's UPDATE, as tshark's fields would print it.
    static func ours(_ index: Int) throws -> [String: String] {
        let (family, hop, nlri) = announcements[index]
        let bytes = BGPMessage.update(BGPUpdate(attributes: [BGPPathAttribute(
            flags: BGPPathAttribute.optional, value: .mpReach(family: family, nextHop: BGPNextHop(bytes: hop, family: family), nlri: nlri))])).encoded()
        let decoded = try bytes.withUnsafeBytes { view throws(WireError) in try BGPMessage.decode(view).1 }
        guard case .update(let update) = decoded, case .mpReach(let readFamily, let nextHop, let routes) = update.attributes[0].value
        else { throw WireError(.bgp, .unsupported(0), at: 0) }
        var fields: [String: [String]] = [:]
        func put(_ key: String, _ value: String) { fields[key, default: []].append(value) }
        put("bgp.update.path_attribute.mp_reach_nlri.afi", "\(readFamily.afi)")
        put("bgp.update.path_attribute.mp_reach_nlri.safi", "\(readFamily.safi)")
        if let rd = nextHop.routeDistinguisher { put("bgp.update.path_attribute.mp_reach_nlri.next_hop.rd", "\(rd)") }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        for route in routes {
            switch route {
            case .labeled(let labeled):
                // tshark 4.0 fills bgp.rd for IPv4 VPN only.
                if let rd = labeled.routeDistinguisher, readFamily.afi == 1 { put("bgp.rd", "\(rd)") }
                put("bgp.label_stack", labeled.labels.map { "\($0.label)" + ($0.bottomOfStack ? " (bottom)" : "") }.joined(separator: " "))
                if readFamily.afi == 1 { put("bgp.mp_reach_nlri_ipv4_prefix", "\(labeled.address)") }
                if readFamily.afi == 2, labeled.routeDistinguisher == nil { put("bgp.mp_reach_nlri_ipv6_prefix", "\(labeled.address)") }
                if labeled.routeDistinguisher == nil || readFamily.afi == 1 {
                    put("bgp.prefix_length", "\(24 * labeled.labels.count + (labeled.routeDistinguisher == nil ? 0 : 64) + Int(labeled.length))")
                }
            case .evpn(let evpn):
                put("bgp.evpn.nlri.rt", "\(evpn.routeType)")
                switch evpn.route {
                case .ethernetAD(let rd, let esi, _, let label):
                    put("bgp.evpn.nlri.rd", hex(rd.rawValue)); put("bgp.evpn.nlri.esi.type", "\(esi.type)")
                    put("bgp.evpn.nlri.mpls_ls1", "\(label.label)")
                case .macIP(let rd, let esi, _, let mac, let address, let label, _):
                    put("bgp.evpn.nlri.rd", hex(rd.rawValue)); put("bgp.evpn.nlri.esi.type", "\(esi.type)")
                    put("bgp.evpn.nlri.mac_addr", mac.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":"))
                    if let address { put("bgp.evpn.nlri.ip.addr", "\(address)") }
                    put("bgp.evpn.nlri.mpls_ls1", "\(label.label)")
                case .inclusiveMulticast(let rd, _, let originator):
                    put("bgp.evpn.nlri.rd", hex(rd.rawValue)); put("bgp.evpn.nlri.ip.addr", "\(originator)")
                case .ethernetSegment(let rd, let esi, let originator):
                    put("bgp.evpn.nlri.rd", hex(rd.rawValue)); put("bgp.evpn.nlri.esi.type", "\(esi.type)")
                    put("bgp.evpn.nlri.ip.addr", "\(originator)")
                case .ipPrefix(let rd, let esi, _, let prefix, _, _, _):
                    put("bgp.evpn.nlri.rd", hex(rd.rawValue)); put("bgp.evpn.nlri.esi.type", "\(esi.type)")
                    put("bgp.evpn.nlri.ip.addr", "\(prefix)")
                case .unknown: break
                }
            case .vpls(let vpls):
                put("bgp.vplsbgp.ce_id", "\(vpls.veID)")
                put("bgp.vplsbgp.labelblock.base", "\(vpls.labelBase.label)" + (vpls.labelBase.bottomOfStack ? " (bottom)" : ""))
            case .mvpn(let mvpn): put("bgp.mcast_vpn_nlri_route_type", "\(mvpn.routeType)")
            case .mdt(let mdt): put("bgp.mdt_safi_group_addr", "\(mdt.group)")
            case .routeTarget(let rtc): if rtc.length > 0 { put("bgp.prefix_length", "\(rtc.length)") }
            case .flowSpec(let rule):
                for component in rule.components {
                    put("bgp.flowspec_nlri.filter_type", "\(component.type)")
                    guard case .prefix(let type, let address, let length, _) = component else { continue }
                    if readFamily.afi == 1 { put("bgp.prefix_length", "\(length)") }
                    if type == 1 {
                        put(readFamily.afi == 1 ? "bgp.flowspec_nlri.dst_prefix_filter" : "bgp.flowspec_nlri.dst_ipv6_pref", "\(address)")
                    }
                }
            case .linkState(let linkState):
                put("bgp.ls.nlri_type", "\(linkState.nlriType)")
                // RFC 9552 §5.3.2.2: IP Reachability Information starts with the prefix length.
                for tlv in linkState.descriptors where tlv.type == 265 { put("bgp.prefix_length", "\(tlv.value[0])") }
            case .prefix, .undecoded: break
            }
        }
        return fields.mapValues { $0.joined(separator: ",") }
    }

    static let fields = ["bgp.update.path_attribute.mp_reach_nlri.afi", "bgp.update.path_attribute.mp_reach_nlri.safi",
                         "bgp.update.path_attribute.mp_reach_nlri.next_hop.rd", "bgp.rd", "bgp.label_stack",
                         "bgp.mp_reach_nlri_ipv4_prefix", "bgp.mp_reach_nlri_ipv6_prefix", "bgp.prefix_length",
                         "bgp.evpn.nlri.rt", "bgp.evpn.nlri.rd", "bgp.evpn.nlri.esi.type", "bgp.evpn.nlri.mac_addr",
                         "bgp.evpn.nlri.ip.addr", "bgp.evpn.nlri.mpls_ls1", "bgp.vplsbgp.ce_id", "bgp.vplsbgp.labelblock.base",
                         "bgp.mcast_vpn_nlri_route_type", "bgp.mdt_safi_group_addr", "bgp.ls.nlri_type",
                         "bgp.flowspec_nlri.filter_type", "bgp.flowspec_nlri.dst_prefix_filter", "bgp.flowspec_nlri.dst_ipv6_pref"]

    @Test("tshark reads every family's fields as our decoder does")
    func tsharkAgrees() throws {
        let tshark = "/usr/bin/tshark"
        guard FileManager.default.isExecutableFile(atPath: tshark) else { Issue.record("tshark not installed"); return }
        let (exchange, frames) = Self.exchange()
        let path = NSTemporaryDirectory() + "peerscope-families-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.write(exchange, to: path)
        let lines = try Self.run(tshark, ["-r", path, "-Y", "bgp.type == 2", "-T", "fields", "-E", "separator=\t",
                                       "-E", "aggregator=,", "-e", "frame.number"] + Self.fields.flatMap { ["-e", $0] })
        var theirs: [Int: [String: String]] = [:]
        for line in lines {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == Self.fields.count + 1, let frame = Int(cells[0]) else { continue }
            theirs[frame] = Dictionary(uniqueKeysWithValues: zip(Self.fields, cells.dropFirst()).filter { !$0.1.isEmpty })
        }
        #expect(theirs.count == Self.announcements.count)
        for (index, frame) in frames.enumerated() {
            let ours = try Self.ours(index)
            #expect(ours == theirs[frame], "frame \(frame) (\(Self.announcements[index].0.name))")
        }
    }

    @Test("flowspec filters print as tshark's tree prints them (RFC 8955 §4.2 operators)")
    func flowSpecText() throws {
        let tshark = "/usr/bin/tshark"
        guard FileManager.default.isExecutableFile(atPath: tshark) else { Issue.record("tshark not installed"); return }
        let (exchange, _) = Self.exchange()
        let path = NSTemporaryDirectory() + "peerscope-flowspec-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.write(exchange, to: path)
        let pdml = try Self.run(tshark, ["-r", path, "-Y", "bgp.flowspec_nlri", "-T", "pdml"])
        let theirs = pdml.compactMap { line -> String? in
            guard line.contains("name=\"bgp.flowspec_nlri.filter\""), let start = line.range(of: "showname=\"Filter: "),
                  let end = line[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return String(line[start.upperBound..<end]).replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&")
        }
        let ours = Self.announcements.flatMap { $0.2 }.flatMap { route -> [String] in
            if case .flowSpec(let rule) = route { rule.filterTexts } else { [] }
        }
        #expect(ours.count == 13)  // 4 + 7 components of the IPv4 rules, 2 of the IPv6 one
        #expect(ours == theirs)
    }

    @Test("per-family Adj-RIB-In: VPN routes keyed with their RD, withdrawals by key, no finding above INFO")
    func adjRIBIn() throws {
        var (exchange, _) = Self.exchange()
        // RFC 8277 §2.4: the withdrawal carries 0x800000 in place of the label; the RD picks the route.
        exchange.advance(seconds: 2)
        exchange.send(.a, .update(BGPUpdate(attributes: [BGPPathAttribute(flags: BGPPathAttribute.optional, value: .mpUnreach(
            family: .ipv4VPN, nlri: [.labeled(BGPLabeledPrefix(labels: [BGPLabel(rawValue: 0x80_0000)], routeDistinguisher: Self.rd,
                                                               address: Self.ip("10.2.0.0"), length: 24))]))])))
        // RFC 7432 §7.2: a MAC/IP route is withdrawn by RD, tag, MAC and IP whatever its label.
        exchange.send(.a, .update(BGPUpdate(attributes: [BGPPathAttribute(flags: BGPPathAttribute.optional, value: .mpUnreach(
            family: .l2vpnEVPN, nlri: [.evpn(BGPEVPNRoute(routeType: 2, route: .macIP(
                rd: Self.rdIP, esi: BGPEthernetSegmentID(bytes: []), ethernetTag: 0, mac: [0x52, 0x54, 0, 0x12, 0x34, 0x56],
                ip: Self.ip("10.10.10.1"), label1: BGPLabel(rawValue: 0), label2: nil)))]))])))
        let analysis = try exchange.analyse()
        let problems = analysis.findings.filter { $0.level != .info }
        #expect(problems.isEmpty, "\(problems.map(\.message))")
        let side = try #require(analysis.bgpSessions.first?.a)
        let held = Dictionary(uniqueKeysWithValues: side.routesPerFamily().map { ($0.family, $0.routes) })
        // Expected counts are the announcements above: same prefix under two RDs is two routes.
        #expect(held[.ipv4VPN] == 1)
        #expect(held[.l2vpnEVPN] == 4)
        #expect(held[.ipv4LabeledUnicast] == 1 && held[.ipv6LabeledUnicast] == 1 && held[.ipv6VPN] == 1)
        #expect(held[.routeTargetConstraint] == 2 && held[.ipv4FlowSpec] == 2 && held[.linkState] == 3)
        #expect(held[BGPAddressFamily(afi: 1, safi: 5)] == 3 && held[.l2vpnVPLS] == 1)
        #expect(side.familyRIB.undecoded[BGPAddressFamily(afi: 1, safi: 73)] == 1)
        // Before the withdrawals (t = 27 s after the first frame) the VPN family held both routes.
        let origin = analysis.firstTimestampNanoseconds ?? 0
        #expect(side.routesPerFamily(at: origin + 27_000_000_000).first { $0.family == .ipv4VPN }?.routes == 2)
    }

    @Test("a malformed EVPN route is a finding naming RFC 7606 §5.3 AFI/SAFI disable")
    func malformedFamily() throws {
        var exchange = BGPExchange()
        exchange.establish()
        // EVPN type 2 whose MAC length says 40 bits (RFC 7432 §7.2 requires 48).
        var route: [UInt8] = [2, 33] + [0, 1, 192, 0, 2, 1, 0, 7] + Array(repeating: 0, count: 10) + [0, 0, 0, 0, 40]
        route += [0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0, 0, 0x10]
        let value: [UInt8] = [0, 25, 70, 4, 192, 0, 2, 1, 0] + route
        exchange.send(.a, .update(BGPUpdate(attributes: [
            BGPPathAttribute(flags: BGPPathAttribute.optional, value: .unknown(type: 14, bytes: value)),
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(0)),
            BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .asPath([BGPASPathSegment(type: 2, asns: [65001])])),
        ])))
        let findings = try exchange.analyse().findings.filter { $0.rule.id == "BGP.UPD.ATTRS" }
        #expect(findings.count == 1)
        #expect(findings.first?.messageText.contains("AFI/SAFI disable for Layer-2 VPN EVPN") == true)
    }
}

