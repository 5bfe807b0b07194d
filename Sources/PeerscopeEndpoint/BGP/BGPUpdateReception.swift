import PeerscopeWire

/// What one received UPDATE does to the Adj-RIB-In once RFC 7606 has had its say.
struct BGPUpdateReception: Sendable {
    var withdrawn: [(family: BGPAddressFamily, prefix: BGPPrefix)] = []
    var announced: [BGPReceivedRoute] = []
    var endOfRIB: BGPAddressFamily?
    /// Non-fatal faults: treat-as-withdraw or attribute discard (RFC 7606 §2).
    var faults: [BGPSpeakerError] = []
}

/// Error handling of received UPDATEs (RFC 4271 §6.3 as revised by RFC 7606).
///
/// Implemented treatments:
/// - session reset: Withdrawn Routes Length or Total Attribute Length past the message (3/1, §4);
///   a malformed withdrawn or NLRI prefix (3/10, §5.3); MP_REACH_NLRI/MP_UNREACH_NLRI repeated (3/1,
///   §3 g) or malformed (3/9, RFC 4760 §7, §5.3); an unrecognised well-known attribute (3/2, RFC 4271).
/// - treat-as-withdraw: an attribute overrunning the attributes field (§4); a wrong length or value
///   of ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST,
///   EXTENDED COMMUNITIES, LARGE COMMUNITIES (§7); conflicting Optional/Transitive flags (§3 c);
///   a missing ORIGIN, AS_PATH or (for IPv4 NLRI) NEXT_HOP (§3 d).
/// - attribute discard: ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR malformed (§7.6,
///   §7.7, RFC 6793 §6); LOCAL_PREF from an external peer (§7.5); repeats of other attributes (§3 g).
/// Not implemented: AFI/SAFI disable, NEXT_HOP semantic checks, the first-AS check of AS_PATH.
enum BGPUpdateProcessor {
    static func process(_ message: [UInt8], session: BGPNegotiatedSession) throws(BGPErrorNotification)
        -> BGPUpdateReception
    {
        let body = Array(message.dropFirst(BGPHeader.length))
        let options = BGPDecodingOptions(fourOctetAS: session.fourOctetAS, extendedMessage: session.extendedMessage)
        // §4 of RFC 7606 / RFC 4271 §6.3: if the two length fields do not fit the message the NLRI
        // cannot be located, so nothing but a reset is safe.
        guard body.count >= 4 else { throw .update(1) }
        let withdrawnLength = Int(body[0]) << 8 | Int(body[1])
        guard 2 + withdrawnLength + 2 <= body.count else { throw .update(1) }
        let attributesStart = 2 + withdrawnLength + 2
        let attributesLength = Int(body[attributesStart - 2]) << 8 | Int(body[attributesStart - 1])
        guard attributesStart + attributesLength <= body.count else { throw .update(1) }
        let nlriStart = attributesStart + attributesLength

        var reception = BGPUpdateReception()
        let withdrawn = try prefixes(withdrawn: body[2..<(2 + withdrawnLength)], options: options)
        let nlri = try prefixes(nlri: body[nlriStart...], options: options)
        if withdrawnLength == 0, attributesLength == 0, nlri.isEmpty {
            reception.endOfRIB = .ipv4Unicast
            return reception
        }

        let scan = try BGPAttributeScan(body[attributesStart..<nlriStart], options: options, session: session)
        var faults = scan.faults
        // The speaker negotiates unicast only (see BGPSpeaker's header): other families' routes,
        // which a peer must not send it, are not taken into its Adj-RIB-In.
        let reach = scan.attributes.compactMap { if case .mpReach(let f, _, let n) = $0.value { (f, n.compactMap(\.plainPrefix)) } else { nil } }.first
        let unreachNLRI = scan.attributes.compactMap { if case .mpUnreach(let f, let n) = $0.value { (f, n) } else { nil } }.first
        let unreach = unreachNLRI.map { ($0.0, $0.1.compactMap(\.plainPrefix)) }
        if let unreach, unreachNLRI?.1.isEmpty == true, withdrawn.isEmpty, nlri.isEmpty, reach == nil, scan.attributes.count == 1 {
            reception.endOfRIB = unreach.0
            return reception
        }
        // RFC 7606 §3 d: the well-known mandatory attributes, needed only when something is announced
        // (RFC 4760 §3 leaves NEXT_HOP out for MP_REACH_NLRI).
        if !nlri.isEmpty || !(reach?.1.isEmpty ?? true) {
            let present = Set(scan.attributes.map(\.typeCode))
            for type: UInt8 in nlri.isEmpty ? [1, 2] : [1, 2, 3] where !present.contains(type) {
                faults.append(.missingWellKnownAttribute(type: type))
            }
        }
        let treatAsWithdraw = scan.overrun || !faults.isEmpty
        reception.withdrawn = withdrawn.map { (.ipv4Unicast, $0) }
        if let unreach { reception.withdrawn += unreach.1.map { (unreach.0, $0) } }
        reception.faults = scan.discarded.map { .attributeDiscarded(type: $0.type, $0.fault) }
        if treatAsWithdraw {
            reception.withdrawn += nlri.map { (.ipv4Unicast, $0) }
            if let reach { reception.withdrawn += reach.1.map { (reach.0, $0) } }
            let fault = scan.overrun ? .attributeOverrun : faults[0]
            reception.faults.append(.updateTreatedAsWithdraw(fault))
            return reception
        }
        let twoOctet = !session.fourOctetAS
        reception.announced = nlri.map {
            BGPReceivedRoute(family: .ipv4Unicast, prefix: $0, attributes: scan.attributes, twoOctetSession: twoOctet)
        }
        if let reach {
            reception.announced += reach.1.map {
                BGPReceivedRoute(family: reach.0, prefix: $0, attributes: scan.attributes, twoOctetSession: twoOctet)
            }
        }
        // Routes of a family the OPENs did not agree on are not ours to keep (RFC 4760 §6).
        reception.announced.removeAll { !session.families.contains($0.family) }
        return reception
    }

    /// Withdrawn Routes through the codec, in an UPDATE of their own.
    private static func prefixes(withdrawn bytes: ArraySlice<UInt8>, options: BGPDecodingOptions)
        throws(BGPErrorNotification) -> [BGPPrefix]
    {
        var update: [UInt8] = []
        update.appendUInt16(UInt16(bytes.count))
        update += bytes
        update += [0, 0]
        return try decodeUpdateBody(update, options: options, onError: .update(10)).withdrawn
    }

    private static func prefixes(nlri bytes: ArraySlice<UInt8>, options: BGPDecodingOptions)
        throws(BGPErrorNotification) -> [BGPPrefix]
    {
        try decodeUpdateBody([0, 0, 0, 0] + bytes, options: options, onError: .update(10)).announced
    }
}

/// Runs the codec over a synthetic UPDATE body; its error becomes `onError`.
func decodeUpdateBody(_ body: [UInt8], options: BGPDecodingOptions, onError: BGPErrorNotification)
    throws(BGPErrorNotification) -> BGPUpdate
{
    let result: BGPUpdate? = body.withUnsafeBytes { view in try? BGPUpdate.decode(view, options: options) }
    guard let result else { throw onError }
    return result
}
