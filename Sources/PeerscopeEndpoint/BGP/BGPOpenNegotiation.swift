import PeerscopeWire

/// AS_TRANS (RFC 6793 §9): stands in for a 4-octet AS wherever only two octets fit.
public let bgpASTrans: UInt32 = 23456

extension BGPSpeakerConfiguration {
    /// Our OPEN (RFC 4271 §4.2) with the capabilities we offer (RFC 5492).
    var openMessage: BGPOpen {
        var capabilities: [BGPCapability] = families.map { .multiprotocol($0) }
        if offerRouteRefresh { capabilities.append(.routeRefresh) }
        if offerFourOctetAS { capabilities.append(.fourOctetAS(localAS)) }
        if offerEndOfRIB { capabilities.append(.gracefulRestart(flags: 0, restartTime: 0, families: [])) }
        if offerExtendedMessage { capabilities.append(.extendedMessage) }
        let myAS = localAS > 65535 ? UInt16(bgpASTrans) : UInt16(localAS)
        return BGPOpen(myAS: myAS, holdTime: holdTimeSeconds, identifier: routerID, capabilities: capabilities)
    }

    /// RFC 4271 §6.2 checks of the peer's OPEN, in the order the section lists them, then the
    /// negotiation of hold time and capabilities. A failed check is the NOTIFICATION to send.
    func negotiate(with open: BGPOpen) throws(BGPErrorNotification) -> BGPNegotiatedSession {
        // §6.2: the Data field is the largest version we support, as two octets.
        guard open.version == 4 else { throw .open(1, data: [0, 4]) }
        let peerFourOctet = open.capabilities.contains { if case .fourOctetAS = $0 { true } else { false } }
        // RFC 6793 §4.1: with the capability on both sides the capability's AS is the peer's AS;
        // without it on our side only My AS counts.
        let announcedAS = offerFourOctetAS ? open.autonomousSystem : UInt32(open.myAS)
        guard announcedAS == peerAS else { throw .open(2) }
        // §6.2: "An implementation MUST reject Hold Time values of one or two seconds."
        guard open.holdTime == 0 || open.holdTime >= 3 else { throw .open(6) }
        // RFC 6286 §2.1: any non-zero identifier; for iBGP it must differ from ours.
        guard open.identifier.value != 0, !(isInternal && open.identifier == routerID) else { throw .open(3) }
        // §6.2: we recognise no optional parameter but Capabilities (RFC 5492); §6.2 defines no data.
        guard open.otherParameters.isEmpty else { throw .open(4) }

        let hold = min(holdTimeSeconds, open.holdTime)
        let peerFamilies = open.capabilities.compactMap { if case .multiprotocol(let family) = $0 { family } else { nil } }
        // RFC 4760 §8 / RFC 4271: a speaker without any Multiprotocol capability speaks IPv4 unicast.
        let theirs = Set(peerFamilies.isEmpty ? [.ipv4Unicast] : peerFamilies)
        let has = { (code: UInt8) in open.capabilities.contains { $0.code == code } }
        return BGPNegotiatedSession(
            peerAS: announcedAS, peerRouterID: open.identifier, holdTimeSeconds: hold,
            keepaliveTimeSeconds: hold / 3, families: offeredFamilies.filter { theirs.contains($0) },
            fourOctetAS: offerFourOctetAS && peerFourOctet, routeRefresh: offerRouteRefresh && has(2),
            extendedMessage: offerExtendedMessage && has(6), peerSupportsEndOfRIB: has(64),
            peerCapabilities: open.capabilities, isInternal: isInternal)
    }
}
