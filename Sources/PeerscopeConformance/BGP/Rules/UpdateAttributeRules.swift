import PeerscopeAnalysis
import PeerscopeWire

/// BGP.UPD.ATTRS (RFC 4271 §5, §6.3; RFC 4760; RFC 7606): the well-known mandatory attributes,
/// attribute flags, duplicates and ORIGIN values — each with the RFC 7606 treatment a receiver
/// applies. (An UPDATE that does not decode at all: `MalformedMessageRule`.)
final class UpdateAttributeRules: BGPRule {
    override var events: BGPRuleEvents { .update }

    /// The registry's Optional/Transitive bits by type code, 0 for a type it does not describe (no
    /// defined attribute has both bits clear: well-known ones set Transitive), read once per
    /// attribute without copying the registry entry.
    static let expectedFlags: [UInt8] = (0...255).map { BGPAttributeType.known(UInt8($0))?.expectedFlags ?? 0 }

    override func update(_ update: BGPUpdate, _ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) {
        // An End-of-RIB marker carries no route (EndOfRIBRule).
        guard update.endOfRIB == nil else { return }
        func add(_ message: FindingMessage, kind: String, measured: FindingValue? = nil, expected: FindingValue? = nil) {
            out.report(.BGP.UPD.ATTRS, context, session: session, measured: measured, expected: expected, kind: kind, message)
        }
        // Attribute codes seen, as a 256-bit mask: no allocation per UPDATE. Read through `has`
        // only once it is complete (a let): a variable captured by a nested function costs a
        // dynamic exclusivity check per read.
        var seen = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var duplicates: [UInt8] = []
        // ORIGIN values beyond 2, judged after the flags (one pass over the attributes).
        var badOrigins: [UInt8] = []
        for attribute in update.attributes {
            if case .origin(let value) = attribute.value, value > 2 { badOrigins.append(value) }
            let code = attribute.typeCode
            let bit = UInt64(1) << (code & 63)
            let before: UInt64
            switch code >> 6 {
            case 0: before = seen.0; seen.0 |= bit
            case 1: before = seen.1; seen.1 |= bit
            case 2: before = seen.2; seen.2 |= bit
            default: before = seen.3; seen.3 |= bit
            }
            if before & bit != 0 { duplicates.append(code) }
            let expectedFlags = Self.expectedFlags[Int(code)]
            if expectedFlags != 0, attribute.flags & 0xC0 != expectedFlags {
                add("\(BGPAttributeType.name(attribute.typeCode)) with flags 0x\(String(attribute.flags, radix: 16)) "
                    + "(optional/transitive bits must be 0x\(String(expectedFlags, radix: 16))); "
                    + "RFC 7606 treatment: \(BGPAttributeType.known(code)?.flagsErrorTreatment(received: attribute.flags) ?? BGPAttributeType.flagsTreatment)",
                    kind: "flags \(attribute.typeCode)", measured: .bits(UInt64(attribute.flags & 0xC0)),
                    expected: .bits(UInt64(expectedFlags)))
            }
        }
        let present = seen
        func has(_ code: UInt8) -> Bool {
            let bit = UInt64(1) << (code & 63)
            switch code >> 6 {
            case 0: return present.0 & bit != 0
            case 1: return present.1 & bit != 0
            case 2: return present.2 & bit != 0
            default: return present.3 & bit != 0
            }
        }
        for code in duplicates {
            let reset = code == 14 || code == 15
            add("\(BGPAttributeType.name(code)) appears more than once; RFC 7606 §3(g) treatment: "
                + (reset ? "session reset (MP_REACH/MP_UNREACH)" : "discard all but the first"),
                kind: "duplicate \(code)")
        }
        // Routes announced in the classic NLRI need ORIGIN, AS_PATH and NEXT_HOP; routes in
        // MP_REACH_NLRI need ORIGIN and AS_PATH (the next hop travels inside MP_REACH).
        var required: [UInt8] = []
        if !update.announced.isEmpty { if !(has(1) && has(2) && has(3)) { required = [1, 2, 3] } }
        else if has(14), !(has(1) && has(2)) { required = [1, 2] }
        let missing = required.filter { !has($0) }
        if !missing.isEmpty {
            let names = missing.map(BGPAttributeType.name).joined(separator: ", ")
            add("UPDATE announcing routes without \(names); RFC 7606 §3(d) treatment: treat-as-withdraw",
                kind: "missing \(missing)", measured: .text("missing \(names)"),
                expected: .text("ORIGIN, AS_PATH, NEXT_HOP or MP_REACH_NLRI"))
        }
        for value in badOrigins {
            add("ORIGIN value \(value) (0–2 defined); RFC 7606 §7.1 treatment: treat-as-withdraw",
                kind: "origin", measured: .number(Int64(value)), expected: .range(.number(0), .number(2)))
        }
    }
}
