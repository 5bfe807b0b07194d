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

    func nlriTree(_ nlri: [BGPNLRI], indent: String) -> [String] {
        var lines: [String] = []
        for route in nlri {
            lines.append(indent + route.description)
            let detail = indent + "    "
            if let pathID = route.pathID, route.plainPrefix == nil { lines.append(detail + "Path Identifier: \(pathID)") }
            switch route {
            case .prefix, .undecoded, .vpls, .mdt, .routeTarget, .mvpn: break
            case .labeled(let labeled):
                for label in labeled.labels {
                    lines.append(detail + "MPLS Label: \(label.label), TC \(label.trafficClass), bottom of stack \(label.bottomOfStack ? 1 : 0)"
                                 + (label.isWithdrawalValue ? " (withdrawal value)" : ""))
                }
                if let rd = labeled.routeDistinguisher { lines.append(detail + "Route Distinguisher: \(rd)") }
                lines.append(detail + "Prefix: \(labeled.address)/\(labeled.length)")
            case .evpn(let evpn):
                lines.append(detail + "Route Type: \(BGPEVPNRoute.typeName(evpn.routeType)) (\(evpn.routeType))")
            case .flowSpec(let rule):
                if let rd = rule.routeDistinguisher { lines.append(detail + "Route Distinguisher: \(rd)") }
                for text in rule.filterTexts { lines.append(detail + "Filter: \(text)") }
            case .linkState(let linkState):
                for tlv in linkState.descriptors { lines.append(detail + tlv.description) }
            }
        }
        return lines
    }
}
