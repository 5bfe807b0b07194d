/// One route of an UPDATE's MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760), typed by its family.
/// Unicast and multicast stay a plain `BGPPrefix` (the fast path); the other families are boxed
/// (`indirect`) so an array of unicast routes stays as compact as before.
///
/// A family peerscope does not decode is kept as its raw NLRI field (`undecoded`), named from the
/// registry by `BGPAddressFamily.name`: never a decode error (RFC 7606 §5.3 applies to families a
/// speaker negotiated and parses, and the rules cannot judge bytes they do not understand).
public enum BGPNLRI: Hashable, Sendable, CustomStringConvertible {
    case prefix(BGPPrefix)
    /// SAFI 4 (no RD) and 128/129 (with RD).
    indirect case labeled(BGPLabeledPrefix)
    indirect case evpn(BGPEVPNRoute)
    indirect case vpls(BGPVPLSRoute)
    indirect case mvpn(BGPMVPNRoute)
    indirect case mdt(BGPMDTRoute)
    indirect case routeTarget(BGPRouteTargetMembership)
    indirect case flowSpec(BGPFlowSpecRule)
    indirect case linkState(BGPLinkStateNLRI)
    /// The whole NLRI field of a family not decoded (path IDs, if any, included).
    indirect case undecoded([UInt8])

    public var description: String {
        switch self {
        case .prefix(let route): route.description
        case .labeled(let route): route.description
        case .evpn(let route): route.description
        case .vpls(let route): route.description
        case .mvpn(let route): route.description
        case .mdt(let route): route.description
        case .routeTarget(let route): route.description
        case .flowSpec(let route): route.description
        case .linkState(let route): route.description
        case .undecoded(let raw): "\(raw.count) bytes not decoded"
        }
    }

    /// The RFC 7911 path identifier, where add-path was negotiated for the family.
    public var pathID: UInt32? {
        switch self {
        case .prefix(let route): route.pathID
        case .labeled(let route): route.pathID
        case .evpn(let route): route.pathID
        case .vpls(let route): route.pathID
        case .mvpn(let route): route.pathID
        case .mdt(let route): route.pathID
        case .routeTarget(let route): route.pathID
        case .flowSpec(let route): route.pathID
        case .linkState(let route): route.pathID
        case .undecoded: nil
        }
    }

    /// The plain prefix of unicast/multicast routes, nil for every other family.
    public var plainPrefix: BGPPrefix? {
        if case .prefix(let prefix) = self { prefix } else { nil }
    }

    /// Reads an MP_REACH/MP_UNREACH NLRI field. An error inside a decoded family is reported as
    /// `badNLRI` with the family, so the rules can name RFC 7606 §5.3's "AFI/SAFI disable".
    static func decodeList(_ bytes: UnsafeRawBufferPointer, family: BGPAddressFamily, addPath: Bool,
                           multipleLabels: Bool, offset: Int) throws(WireError) -> [BGPNLRI] {
        let encoding = family.encoding
        if encoding == .undecoded { return bytes.isEmpty ? [] : [.undecoded(Array(bytes))] }
        do throws(WireError) {
            if encoding == .prefix {
                return try BGPPrefix.decodeList(bytes, afi: family.afi, addPath: addPath, offset: offset, as: BGPNLRI.prefix)
            }
            let v6 = family.afi == 2
            var reader = NLRIReader(bytes, base: offset)
            var routes: [BGPNLRI] = []
            while reader.remaining > 0 {
                let pathID: UInt32? = addPath ? try reader.u32() : nil
                switch encoding {
                case .labeled, .vpn:
                    routes.append(.labeled(try .decode(&reader, v6: v6, vpn: encoding == .vpn,
                                                       multipleLabels: multipleLabels, pathID: pathID)))
                case .evpn: routes.append(.evpn(try .decode(&reader, pathID: pathID)))
                case .vpls: routes.append(.vpls(try .decode(&reader, pathID: pathID)))
                case .mvpn: routes.append(.mvpn(try .decode(&reader, pathID: pathID)))
                case .mdt: routes.append(.mdt(try .decode(&reader, pathID: pathID)))
                case .routeTarget: routes.append(.routeTarget(try .decode(&reader, pathID: pathID)))
                case .flowSpec, .flowSpecVPN:
                    routes.append(.flowSpec(try .decode(&reader, v6: v6, vpn: encoding == .flowSpecVPN, pathID: pathID)))
                case .linkState, .linkStateVPN:
                    routes.append(.linkState(try .decode(&reader, vpn: encoding == .linkStateVPN, pathID: pathID)))
                case .prefix, .undecoded: break
                }
            }
            return routes
        } catch {
            throw WireError(.bgp, .badNLRI(afi: family.afi, safi: family.safi, NLRIFault(error.reason)), at: error.offset)
        }
    }

    func encode(into bytes: inout [UInt8]) {
        if case .undecoded(let raw) = self { bytes += raw; return }
        if case .prefix(let prefix) = self { prefix.encode(into: &bytes); return }
        if let pathID { bytes.appendUInt32(pathID) }
        switch self {
        case .prefix, .undecoded: break
        case .labeled(let route): route.encode(into: &bytes)
        case .evpn(let route): route.encode(into: &bytes)
        case .vpls(let route): route.encode(into: &bytes)
        case .mvpn(let route): route.encode(into: &bytes)
        case .mdt(let route): route.encode(into: &bytes)
        case .routeTarget(let route): route.encode(into: &bytes)
        case .flowSpec(let route): route.encode(into: &bytes)
        case .linkState(let route): route.encode(into: &bytes)
        }
    }
}
