import PeerscopeWire

/// Builds the UPDATEs we send: announcements grouped by shared attributes and packed up to the
/// session's message size, withdrawals, and End-of-RIB markers.
enum BGPUpdateBuilder {
    private static let originIGP = BGPPathAttribute(.origin(0))
    /// RFC 4271 §5.1.5 leaves LOCAL_PREF to local policy; 100 is the common default.
    private static let defaultLocalPref: UInt32 = 100

    static func announcements(_ routes: [BGPRoute], localAS: UInt32, session: BGPNegotiatedSession) -> [[UInt8]] {
        var groups: [(key: BGPRoute, prefixes: [BGPPrefix])] = []
        for route in routes where session.families.contains(route.family) {
            // Routes that differ only in their prefix share one UPDATE: the key is the route with a
            // zero prefix of its family.
            var key = route
            let zero: IPAddress = route.family == .ipv4Unicast ? .v4(IPv4Address(0)) : .v6(IPv6Address(high: 0, low: 0))
            key.prefix = BGPPrefix(address: zero, length: 0)
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].prefixes.append(route.prefix)
            } else {
                groups.append((key, [route.prefix]))
            }
        }
        var messages: [[UInt8]] = []
        for group in groups {
            let base = attributes(for: group.key, localAS: localAS, session: session)
            for batch in pack(group.prefixes, fixed: encodedLength(base, session), session: session) {
                var update = BGPUpdate(attributes: base)
                if group.key.family == .ipv4Unicast {
                    update.announced = batch
                } else {
                    // RFC 4760 §3: the next hop is a 16-octet global address for IPv6 unicast.
                    guard case .v6(let hop) = group.key.nextHop else { continue }
                    // RFC 7606 §5.1: MP_REACH_NLRI goes first so a receiver can always find the NLRI.
                    update.attributes.insert(BGPPathAttribute(flags: BGPPathAttribute.optional, value: .mpReach(
                        family: .ipv6Unicast, nextHop: .address(.v6(hop)), nlri: batch.map(BGPNLRI.prefix))), at: 0)
                }
                messages.append(BGPMessage.update(update).encoded(fourOctetAS: session.fourOctetAS))
            }
        }
        return messages
    }

    static func withdrawals(_ prefixes: [BGPPrefix], session: BGPNegotiatedSession) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        let v4 = prefixes.filter { $0.address.version == 4 }
        let v6 = prefixes.filter { $0.address.version == 6 }
        if session.families.contains(.ipv4Unicast) {
            for batch in pack(v4, fixed: 0, session: session) {
                messages.append(BGPMessage.update(BGPUpdate(withdrawn: batch)).encoded(fourOctetAS: session.fourOctetAS))
            }
        }
        if session.families.contains(.ipv6Unicast) {
            for batch in pack(v6, fixed: 7, session: session) {
                let unreach = BGPPathAttribute(flags: BGPPathAttribute.optional,
                                               value: .mpUnreach(family: .ipv6Unicast, nlri: batch.map(BGPNLRI.prefix)))
                messages.append(BGPMessage.update(BGPUpdate(attributes: [unreach])).encoded(fourOctetAS: session.fourOctetAS))
            }
        }
        return messages
    }

    /// RFC 4724 §2: an empty UPDATE for IPv4 unicast, an empty MP_UNREACH_NLRI for any other family.
    static func endOfRIB(_ family: BGPAddressFamily) -> [UInt8] {
        if family == .ipv4Unicast { return BGPMessage.update(BGPUpdate()).encoded() }
        let unreach = BGPPathAttribute(flags: BGPPathAttribute.optional, value: .mpUnreach(family: family, nlri: []))
        return BGPMessage.update(BGPUpdate(attributes: [unreach])).encoded()
    }

    private static func attributes(for route: BGPRoute, localAS: UInt32, session: BGPNegotiatedSession)
        -> [BGPPathAttribute]
    {
        var list = [originIGP]
        // RFC 4271 §5.1.2: prepend our AS towards an external peer only.
        let path = session.isInternal ? [] : [localAS]
        if session.fourOctetAS || localAS <= 65535 {
            list.append(BGPPathAttribute(.asPath(segments(path))))
        } else {
            // RFC 6793 §4.2.2: towards a 2-octet peer, AS_TRANS in AS_PATH and the truth in AS4_PATH.
            list.append(BGPPathAttribute(.asPath(segments(path.map { _ in bgpASTrans }))))
            list.append(BGPPathAttribute(.as4Path(segments(path))))
        }
        if case .v4(let hop) = route.nextHop {
            list.append(BGPPathAttribute(.nextHop(hop)))
        }
        if let med = route.med {
            list.append(BGPPathAttribute(.multiExitDisc(med)))
        }
        if session.isInternal {
            list.append(BGPPathAttribute(.localPref(defaultLocalPref)))
        }
        if !route.communities.isEmpty {
            list.append(BGPPathAttribute(.communities(route.communities)))
        }
        return list
    }

    private static func segments(_ path: [UInt32]) -> [BGPASPathSegment] {
        path.isEmpty ? [] : [BGPASPathSegment(type: 2, asns: path)]
    }

    private static func encodedLength(_ attributes: [BGPPathAttribute], _ session: BGPNegotiatedSession) -> Int {
        BGPMessage.update(BGPUpdate(attributes: attributes)).encoded(fourOctetAS: session.fourOctetAS).count
            - BGPHeader.length - 4
    }

    /// Splits prefixes into batches that fit one message next to `fixed` bytes of attributes, keeping
    /// room for an MP_REACH_NLRI's own overhead (4-byte header with extended length, AFI, SAFI, next
    /// hop length, 16-octet next hop, reserved byte: 25 bytes).
    private static func pack(_ prefixes: [BGPPrefix], fixed: Int, session: BGPNegotiatedSession) -> [[BGPPrefix]] {
        let budget = session.maximumMessageLength - BGPHeader.length - 4 - fixed - 25
        var batches: [[BGPPrefix]] = []
        var current: [BGPPrefix] = []
        var used = 0
        for prefix in prefixes {
            let size = 1 + (Int(prefix.length) + 7) / 8
            if used + size > budget, !current.isEmpty {
                batches.append(current)
                current = []
                used = 0
            }
            current.append(prefix)
            used += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
