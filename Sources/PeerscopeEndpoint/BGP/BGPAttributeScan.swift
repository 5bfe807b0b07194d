import PeerscopeWire

/// Walks an UPDATE's path attributes one at a time, so that one bad attribute costs only what
/// RFC 7606 says it should (the codec, reading the whole UPDATE, would stop at the first error).
struct BGPAttributeScan: Sendable {
    /// The attributes kept, decoded, in arrival order (discarded ones left out).
    var attributes: [BGPPathAttribute] = []
    /// An attribute header or length ran past the attributes field (RFC 7606 §4).
    var overrun = false
    /// Reasons to treat the UPDATE as withdraw.
    var faults: [BGPUpdateFault] = []
    var discarded: [(type: UInt8, fault: BGPUpdateFault)] = []

    init(_ bytes: ArraySlice<UInt8>, options: BGPDecodingOptions, session: BGPNegotiatedSession)
        throws(BGPErrorNotification)
    {
        var seen: Set<UInt8> = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes.endIndex - index >= 3 else { overrun = true; break }
            let flags = bytes[index], type = bytes[index + 1]
            let extended = flags & BGPPathAttribute.extendedLength != 0
            let headerLength = extended ? 4 : 3
            guard bytes.endIndex - index >= headerLength else { overrun = true; break }
            let length = extended ? Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]) : Int(bytes[index + 2])
            guard bytes.endIndex - index - headerLength >= length else { overrun = true; break }
            let raw = bytes[index..<(index + headerLength + length)]
            index += headerLength + length

            if seen.contains(type) {
                // RFC 7606 §3 g: a repeated MP_REACH/MP_UNREACH is fatal, any other repeat is dropped.
                if type == 14 || type == 15 { throw .update(1) }
                discarded.append((type, .repeatedAttribute(type: type)))
                continue
            }
            seen.insert(type)
            try examine(flags: flags, type: type, raw: Array(raw), options: options, session: session)
        }
    }

    private mutating func examine(flags: UInt8, type: UInt8, raw: [UInt8], options: BGPDecodingOptions,
                                  session: BGPNegotiatedSession) throws(BGPErrorNotification) {
        guard let known = BGPAttributeType.known(type) else {
            // RFC 4271 §6.3: an unrecognised well-known attribute; the Data field is the attribute.
            if flags & BGPPathAttribute.optional == 0 { throw .update(2, data: raw) }
            attributes.append(BGPPathAttribute(flags: flags, value: .unknown(type: type, bytes: Array(raw.dropFirst(
                flags & BGPPathAttribute.extendedLength != 0 ? 4 : 3)))))
            return
        }
        var update: [UInt8] = [0, 0]
        update.appendUInt16(UInt16(raw.count))
        update += raw
        let decoded = try? decodeUpdateBody(update, options: options, onError: .update(1)).attributes.first
        guard let decoded else {
            // RFC 4760 §7 / RFC 7606 §5.3: the NLRI cannot be trusted, the session is reset.
            if known.malformedTreatment == .sessionReset { throw .update(9, data: raw) }
            record(known.malformedTreatment, type: type, .malformedAttribute(type: type))
            return
        }
        // RFC 7606 §3 c: Optional and Transitive bits that contradict the definition, treated as
        // the attribute table says (treat-as-withdraw but for AIGP's RFC 7311 §3.2).
        if let treatment = known.flagsErrorTreatment(received: flags) {
            record(treatment, type: type, .attributeFlags(type: type))
            return
        }
        switch decoded.value {
        case .origin(let value) where value > 2:
            faults.append(.invalidOrigin(value))  // RFC 7606 §7.1
            return
        case .asPath(let segments) where segments.contains { !(1...4).contains($0.type) }:
            faults.append(.malformedAttribute(type: type))  // RFC 7606 §7.2
            return
        case .localPref where !session.isInternal:
            discarded.append((type, .notExpectedFromExternalPeer(type: type)))  // RFC 7606 §7.5
            return
        default:
            attributes.append(decoded)
        }
    }

    /// Applies a treatment from the one attribute table (RFC 7606 §3 c, §7, RFC 6793 §6, the
    /// attribute's own RFC) to a fault of attribute `type`.
    private mutating func record(_ treatment: BGPErrorTreatment, type: UInt8, _ fault: BGPUpdateFault) {
        switch treatment {
        case .attributeDiscard: discarded.append((type, fault))
        case .treatAsWithdraw, .afiSafiDisable, .sessionReset: faults.append(fault)
        }
    }
}
