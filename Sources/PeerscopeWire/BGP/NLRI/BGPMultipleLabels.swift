/// The Multiple Labels capability (code 8, RFC 8277 §2.1): per family, how many labels the
/// speaker can receive in one NLRI:
///
///     | AFI (16) | SAFI (8) | count (8) | … repeated
extension BGPOpen {
    /// Families with their label count from this OPEN's Multiple Labels capability. The capability
    /// table does not type code 8 yet, so it is read from its raw value here; if it gains a case,
    /// this is the one place to follow it.
    public var multipleLabelFamilies: [BGPAddressFamily: Int] {
        var families: [BGPAddressFamily: Int] = [:]
        for capability in capabilities {
            guard case .unknown(8, let value) = capability else { continue }
            var index = 0
            while index + 4 <= value.count {
                let family = BGPAddressFamily(afi: UInt16(value[index]) << 8 | UInt16(value[index + 1]), safi: value[index + 2])
                families[family] = Int(value[index + 3])
                index += 4
            }
        }
        return families
    }
}

extension BGPDecodingOptions {
    /// RFC 8277 §2.1: a label stack may be sent for a family only when both speakers advertised
    /// the capability for it (a count above 1).
    public static func multipleLabels(_ first: BGPOpen, _ second: BGPOpen) -> Set<BGPAddressFamily> {
        let mine = first.multipleLabelFamilies, theirs = second.multipleLabelFamilies
        return Set(mine.keys.filter { (mine[$0] ?? 0) > 1 && (theirs[$0] ?? 0) > 1 })
    }
}
