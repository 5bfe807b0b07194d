import PeerscopeWire

/// The `-V` lines of MP_REACH/MP_UNREACH routes, one block per route, field names as tshark's tree
/// labels them where it has them.
extension BGPLineRenderer {
    func familyText(_ family: BGPAddressFamily) -> String {
        "\(family.name) (AFI \(family.afi), SAFI \(family.safi))"
            + (family.encoding == .undecoded ? ", not decoded" : "")
    }

    /// "l2vpn-evpn: EVPN type 2 … (+4 more)" for the one-line summary; "not decoded" for raw families.
    func familySummary(_ family: BGPAddressFamily, _ nlri: [BGPNLRI]) -> String {
        guard family.encoding != .undecoded else { return "\(family) (\(family.name)) not decoded" }
        guard let first = nlri.first else { return "\(family)" }
        return "\(family) \(first)" + (nlri.count > 1 ? " (+\(nlri.count - 1) more)" : "")
    }

    func nlriTree(_ nlri: [BGPNLRI], reach: Bool, indent: String) -> [String] {
        var lines: [String] = []
        for route in nlri {
            lines.append(indent + route.description)
            let detail = indent + "    "
            if let pathID = route.pathID, route.plainPrefix == nil { lines.append(detail + "Path Identifier: \(pathID)") }
            switch route {
            case .prefix, .undecoded: break
            case .vpls(let vpls): lines += vplsFields(vpls).map { detail + $0 }
            case .mvpn(let mvpn): lines += mvpnFields(mvpn).map { detail + $0 }
            case .mdt(let mdt):
                // RFC 6037: RD, the originating PE's IPv4 address, the group.
                lines += ["Route Distinguisher: \(mdt.routeDistinguisher)", "IPv4 Address: \(mdt.originator)",
                          "Group Address: \(mdt.group)"].map { detail + $0 }
            case .routeTarget(let membership):
                guard membership.originAS != nil else { lines.append(detail + "Wildcard route target"); break }
                lines += ["Prefix Length: \(membership.length)", "Originating AS: \(membership.originAS ?? 0)",
                          "Community Prefix: \(BGPNLRIFieldJSON.communityPrefix(membership))"].map { detail + $0 }
            case .labeled(let labeled):
                // tshark's "BGP Prefix" block: the length counts labels and RD too.
                let bits = 24 * labeled.labels.count + (labeled.routeDistinguisher == nil ? 0 : 64) + Int(labeled.length)
                lines.append(detail + "Prefix Length: \(bits)")
                lines.append(detail + "Label Stack: " + labeled.labels.map { "\($0.label)" + ($0.bottomOfStack ? " (bottom)" : "")
                    + ($0.isWithdrawalValue ? " (withdrawal value)" : "") }.joined(separator: " "))
                if let rd = labeled.routeDistinguisher { lines.append(detail + "Route Distinguisher: \(rd)") }
                lines.append(detail + "\(reach ? "MP Reach" : "MP Unreach") NLRI \(labeled.address.version == 4 ? "IPv4" : "IPv6") prefix: \(labeled.address)/\(labeled.length)")
            case .evpn(let evpn):
                lines.append(detail + "Route Type: \(BGPEVPNRoute.typeName(evpn.routeType)) (\(evpn.routeType))")
                lines += evpnFields(evpn.route).map { detail + $0 }
            case .flowSpec(let rule):
                if let rd = rule.routeDistinguisher { lines.append(detail + "Route Distinguisher: \(rd)") }
                for text in rule.filterTexts { lines.append(detail + "Filter: \(text)") }
            case .linkState(let linkState):
                for tlv in linkState.descriptors { lines.append(detail + tlv.description) }
            }
        }
        return lines
    }

    /// RFC 4761 §3.2.2 (tshark calls the VE ID "CE-ID").
    private func vplsFields(_ vpls: BGPVPLSRoute) -> [String] {
        ["Length: 17", "RD: \(vpls.routeDistinguisher)", "CE-ID: \(vpls.veID)", "Label Block Offset: \(vpls.blockOffset)",
         "Label Block Size: \(vpls.blockSize)",
         "Label Block Base: \(vpls.labelBase.label)" + (vpls.labelBase.bottomOfStack ? " (bottom)" : "")]
    }

    /// RFC 6514 §4, one line per field as tshark's tree labels them.
    private func mvpnFields(_ mvpn: BGPMVPNRoute) -> [String] {
        var lines = ["Route Type: \(BGPMVPNRoute.typeName(mvpn.routeType)) (\(mvpn.routeType))", "Length: \(mvpn.length)"]
        guard (1...7).contains(mvpn.routeType) else { return lines + ["\(mvpn.raw.count) bytes not decoded"] }
        if mvpn.routeType == 4 { lines.append("Route Key (\(mvpn.raw.count) bytes)") }
        if let rd = mvpn.routeDistinguisher { lines.append("Route Distinguisher: \(rd)") }
        if let sourceAS = mvpn.sourceAS { lines.append("Source AS: \(sourceAS)") }
        if [3, 5, 6, 7].contains(mvpn.routeType) {
            for (word, address) in [("Source", mvpn.source), ("Group", mvpn.group)] {
                lines.append("Multicast \(word) Length: \((address?.bytes.count ?? 0) * 8)")
                // tshark labels an IPv6 group "Group Address" (its IPv4 one "Multicast Group Address").
                let label = word == "Group" && address?.version == 6 ? "Group Address" : "Multicast \(word) Address"
                if let address { lines.append("\(label): \(address)") }
            }
        }
        if let originator = mvpn.originator { lines.append("Originating Router: \(originator)") }
        return lines
    }

    /// tshark's EVPN tree labels.
    private func evpnFields(_ route: BGPEVPNRoute.Route) -> [String] {
        func ip(_ address: IPAddress) -> String { "\(address.version == 4 ? "IPv4" : "IPv6") address: \(address)" }
        switch route {
        case .ethernetAD(let rd, let esi, let tag, let label):
            return ["Route Distinguisher: \(rd)", "ESI: \(esi)", "Ethernet Tag ID: \(tag)", "MPLS Label 1: \(label.label)"]
        case .macIP(let rd, let esi, let tag, let mac, let address, let label1, let label2):
            var lines = ["Route Distinguisher: \(rd)", "ESI: \(esi)", "Ethernet Tag ID: \(tag)", "MAC Address: \(BGPEVPNRoute.mac(mac))"]
            if let address { lines.append(ip(address)) }
            lines.append("MPLS Label 1: \(label1.label)")
            if let label2 { lines.append("MPLS Label 2: \(label2.label)") }
            return lines
        case .inclusiveMulticast(let rd, let tag, let originator):
            return ["Route Distinguisher: \(rd)", "Ethernet Tag ID: \(tag)", "Originating Router's " + ip(originator)]
        case .ethernetSegment(let rd, let esi, let originator):
            return ["Route Distinguisher: \(rd)", "ESI: \(esi)", "Originating Router's " + ip(originator)]
        case .ipPrefix(let rd, let esi, let tag, let prefix, let length, let gateway, let label):
            return ["Route Distinguisher: \(rd)", "ESI: \(esi)", "Ethernet Tag ID: \(tag)", "IP prefix length: \(length)",
                    "IP prefix: \(prefix)", "Gateway " + ip(gateway), "MPLS Label: \(label.label)"]
        case .unknown(let raw):
            return ["\(raw.count) bytes not decoded"]
        }
    }
}
