import PeerscopeWire

/// Path attributes and communities as text, in the words tshark's BGP tree uses, so that
/// `decode -Y bgp -V` reads like `tshark -V` (RFC names from PeerscopeWire's registry tables).
enum BGPAttributeText {
    /// The attribute's one-line summary after "Path Attribute - ".
    static func summary(_ attribute: BGPPathAttribute) -> String {
        let name = BGPAttributeType.name(attribute.typeCode)
        switch attribute.value {
        case .origin(let origin):
            return "\(name): " + (origin == 0 ? "IGP" : origin == 1 ? "EGP" : origin == 2 ? "INCOMPLETE" : "\(origin)")
        case .asPath(let segments), .as4Path(let segments):
            return "\(name): " + segments.map { segment in
                let asns = segment.asns.map(String.init).joined(separator: " ")
                return segment.type == 1 ? "{\(asns)}" : asns
            }.joined(separator: " ")
        case .nextHop(let address): return "\(name): \(address)"
        case .multiExitDisc(let value), .localPref(let value): return "\(name): \(value)"
        case .atomicAggregate: return name
        case .aggregator(let asn, let address), .as4Aggregator(let asn, let address): return "\(name): AS \(asn) \(address)"
        case .communities(let list): return "\(name): " + list.map(BGPWellKnownCommunity.text).joined(separator: " ")
        case .originatorID(let address): return "\(name): \(address)"
        case .clusterList(let list): return "\(name): " + list.map(\.description).joined(separator: " ")
        case .mpReach(let family, let nextHop, let nlri):
            return "\(name): \(family), next hop \(nextHop), \(nlri.count) route(s)"
        case .mpUnreach(let family, let nlri): return "\(name): \(family), \(nlri.count) route(s)"
        case .extendedCommunities(let list):
            // tshark's "Carried extended communities: (N communities)"; each one is a line of the tree.
            return "\(name): \(list.count) communit\(list.count == 1 ? "y" : "ies")"
        case .largeCommunities(let list): return "\(name): " + list.map(\.description).joined(separator: " ")
        case .pmsiTunnel(let tunnel): return "\(name): \(pmsi(tunnel))"
        case .tunnelEncapsulation(let tunnels):
            return "\(name): " + tunnels.map { "\($0.tunnelTypeName) (\($0.tunnelType))" }.joined(separator: ", ")
        case .ipv6ExtendedCommunities(let list): return "\(name): " + list.map(\.description).joined(separator: ", ")
        case .aigp: return "\(name): " + (attribute.accumulatedIGPMetric.map(String.init) ?? "no metric TLV")
        case .linkState(let tlvs), .prefixSID(let tlvs): return "\(name): \(tlvs.count) TLV(s)"
        case .onlyToCustomer(let asn): return "\(name): \(asn)"
        case .attributeSet(let originAS, let attributes): return "\(name): origin AS \(originAS), \(attributes.count) attribute(s)"
        case .unknown(let type, let bytes): return "type \(type), \(bytes.count) bytes (kept raw)"
        }
    }

    /// The lines under the summary in the `-V` tree, one per community, tunnel or TLV.
    static func details(_ attribute: BGPPathAttribute) -> [String] {
        switch attribute.value {
        case .communities(let list):
            return list.map { community in
                BGPWellKnownCommunity.name(community).map { "Community Well-known: \($0) (0x\(hex(UInt64(community), 8)))" }
                    ?? "Community: \(community >> 16):\(community & 0xFFFF)"
            }
        case .extendedCommunities(let list):
            return list.map { raw in
                let community = BGPExtendedCommunity(raw: raw)
                return extendedCommunity(community) + " [\(BGPExtendedCommunityType.typeName(community.type))]"
            }
        case .ipv6ExtendedCommunities(let list):
            return list.map { "\($0) [type 0x\(hex(UInt64($0.type), 2)), subtype 0x\(hex(UInt64($0.subtype), 2))]" }
        case .pmsiTunnel(let tunnel):
            return ["Flags: \(tunnel.flags)", "Tunnel Type: \(tunnel.tunnelTypeName) (\(tunnel.tunnelType))",
                    "Label field: \(tunnel.labelField) (MPLS label \(tunnel.labelField >> 4))",
                    "Tunnel ID: " + (tunnel.endpoint.map { "tunnel end point -> \($0)" } ?? bytes(tunnel.tunnelIdentifier))]
        case .tunnelEncapsulation(let tunnels): return BGPAttributeTLVText.tunnels(tunnels)
        case .linkState(let tlvs): return BGPAttributeTLVText.linkState(tlvs)
        case .prefixSID(let tlvs):
            return tlvs.map { tlv in
                // RFC 8669 §3.1: Label-Index TLV = reserved (1), flags (2), label index (4).
                guard tlv.type == 1, tlv.value.count == 7 else { return "TLV type \(tlv.type), \(tlv.value.count) bytes: \(bytes(tlv.value))" }
                return "Label-Index: \(tlv.value[3...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })"
            }
        case .aigp(let tlvs):
            return tlvs.map { "TLV type \($0.type), \($0.value.count) bytes: \(bytes($0.value))" }
        case .attributeSet(_, let attributes):
            return attributes.map { "Path Attribute - \(summary($0)) (flags 0x\(String($0.flags, radix: 16)))" }
        case .unknown(_, let raw):
            return raw.isEmpty ? [] : ["Value: \(bytes(raw))"]
        case .origin, .asPath, .nextHop, .multiExitDisc, .localPref, .atomicAggregate, .aggregator, .originatorID,
             .clusterList, .mpReach, .mpUnreach, .as4Path, .as4Aggregator, .largeCommunities, .onlyToCustomer:
            return []
        }
    }

    /// One extended community as tshark's tree labels it ("Route Target: 65000:100").
    static func extendedCommunity(_ community: BGPExtendedCommunity) -> String {
        let name = BGPExtendedCommunityType.subtypeName(type: community.type, subtype: community.subtype)
        switch community.value {
        case .routeTarget(let administrator), .routeOrigin(let administrator), .ospfDomainID(let administrator):
            return "\(name): \(self.administrator(administrator))"
        case .redirect(let administrator): return "\(name): RT \(self.administrator(administrator))"
        case .ospfRouterID(let address): return "\(name): \(address)"
        case .ospfRouteType(let area, let routeType, let options):
            return "\(name): Area: \(area), Type: \(ospfRouteTypeName(routeType)), metric type \(options & 1 == 1 ? 2 : 1)"
        case .linkBandwidth(let asn, let rate), .trafficRate(let asn, let rate):
            return "\(name): ASN \(asn), \(megabits(rate)) Mbps"
        case .encapsulation(let tunnelType):
            return "\(name): \(BGPTunnelEncapsulationTLV.tunnelTypeName(tunnelType)) (\(tunnelType))"
        case .color(let flags, let color): return "\(name): \(color)" + (flags == 0 ? "" : " (flags 0x\(hex(UInt64(flags), 4)))")
        case .trafficAction(let sample, let terminal):
            return "\(name): Sample: \(sample ? "Yes" : "No"), Terminal: \(terminal ? "Yes" : "No")"
        case .trafficMarking(let dscp): return "\(name): DSCP \(dscp)"
        case .macMobility(let sticky, let sequence): return "\(name): \(sticky ? "Sticky MAC, " : "")sequence \(sequence)"
        case .esiLabel(let singleActive, let label):
            return "\(name): \(singleActive ? "Single-Active" : "All-Active") redundancy, Label: \(label >> 4)"
        case .esImport(let mac): return "\(name): RT: \(mac)"
        case .routerMAC(let mac): return "\(name): \(mac)"
        case .unknown(let type, let subtype, let value):
            return "Unknown type 0x\(hex(UInt64(type), 2)) subtype 0x\(hex(UInt64(subtype), 2)): 0x\(hex(value, 12))"
        }
    }

    /// tshark writes a 4-octet AS as asdot with the plain number after it (RFC 5396).
    static func administrator(_ administrator: BGPExtendedCommunity.Administrator) -> String {
        switch administrator {
        case .as2, .ipv4: administrator.description
        case .as4(let asn, let local): "\(asn >> 16).\(asn & 0xFFFF)(\(asn)):\(local)"
        }
    }

    /// RFC 4577 §4.2.6 route types.
    static func ospfRouteTypeName(_ type: UInt8) -> String {
        switch type {
        case 1, 2: "Intra-Area"
        case 3: "Summary"
        case 5: "External"
        case 7: "NSSA"
        case 129: "Sham link"
        default: "type \(type)"
        }
    }

    /// Bytes per second (an IEEE float on the wire) as megabits per second with three decimals.
    static func megabits(_ bytesPerSecond: Float) -> String {
        guard bytesPerSecond.isFinite else { return "\(bytesPerSecond)" }
        let millis = (Double(bytesPerSecond) * 8 / 1000).rounded()
        guard abs(millis) < 1e15 else { return String(Double(bytesPerSecond) * 8 / 1e6) }
        let magnitude = Int64(abs(millis))
        let fraction = String(magnitude % 1000)
        return (millis < 0 ? "-" : "") + "\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    static func pmsi(_ tunnel: BGPPMSITunnel) -> String {
        "\(tunnel.tunnelTypeName)" + (tunnel.endpoint.map { " to \($0)" } ?? "") + ", label field \(tunnel.labelField)"
    }

    static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func bytes(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "(none)" : bytes.map { hex(UInt64($0), 2) }.joined()
    }
}
