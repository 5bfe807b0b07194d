import Foundation

/// The places where tshark 4.0.17 reads BGP bytes against the RFC, each an explicit adjustment
/// of one field with the RFC text that decides it; everything else in the differential is
/// compared as is. peerscope keeps the RFC's value in its JSON; these functions bring tshark's
/// reading and ours to a common form only for the named field.
extension BGPFamilyDifferentialTests {
    enum Errata {
        /// MDT (SAFI 66, RFC 6037: the MP_REACH next hop is the PE's IPv4 address): tshark 4.0
        /// reports "Unknown Next Hop length (4 bytes)" and gives no next-hop field, so the next hop
        /// of an MDT UPDATE is not compared.
        static func mdtNextHop(_ message: TsharkBGPMessage) -> Bool {
            message.multiprotocolFamilies.contains([1, 66])
        }

        static let labelFields: Set<String> = [
            "bgp.evpn.nlri.mpls_ls1", "bgp.evpn.nlri.mpls_ls2", "bgp.evpn.nlri.vni",
            "bgp.update.path_attribute.mpls_label_value",
        ]

        /// EVPN label fields, two errata:
        /// 1. Route type 5: tshark gives the whole 3-octet field as
        ///    `bgp.update.path_attribute.mpls_label_value`; RFC 9136 §3.1 takes the label from the
        ///    MPLS Label field as RFC 7432 §7 does, the high-order 20 bits. tshark's value is
        ///    shifted right by 4 before comparing.
        /// 2. VNI or label: RFC 8365 §5.1.3 makes the field a 24-bit VNI when the route's own UPDATE
        ///    carries a VXLAN/NVGRE encapsulation community. tshark 4.0 decides by whether it has
        ///    dissected such a community earlier in the frame, in dissection order: a community
        ///    after MP_REACH does not count, one in an earlier UPDATE of the same segment does.
        ///    Where the two sides name the field differently, both are compared as the label's
        ///    20 high-order bits (a VNI shifted right by 4).
        @Sendable static func evpnLabels(_ ours: [String], _ theirs: [String]) -> ([String], [String]) {
            func split(_ entry: String) -> (String, UInt64?) {
                let parts = entry.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count == 2 ? UInt64(parts[1]) : nil)
            }
            let theirs = theirs.map { entry -> String in
                let (field, value) = split(entry)
                guard field == "bgp.update.path_attribute.mpls_label_value", let value else { return entry }
                return "\(field)=\(value >> 4)"
            }
            let names = { (list: [String]) in Set(list.map { split($0).0 }.filter(labelFields.contains)) }
            guard names(ours) != names(theirs) else { return (ours, theirs) }
            func common(_ list: [String]) -> [String] {
                list.map { entry in
                    let (field, value) = split(entry)
                    guard labelFields.contains(field), let value else { return entry }
                    return "evpn.label20=\(field == "bgp.evpn.nlri.vni" ? value >> 4 : value)"
                }
            }
            return (common(ours), common(theirs))
        }

        /// RT-constraint with a 4-octet-AS route target (type 0x02, RFC 5668 §2; RFC 4684 §4):
        /// tshark 4.0 prints its global administrator as 4294967295. Those entries are compared by
        /// their local administrator, against our entry with the same local part.
        @Sendable static func routeTargetAS4(_ ours: [String], _ theirs: [String]) -> ([String], [String]) {
            let bad = "bgp.community_prefix=4294967295:"
            var ours = ours
            let theirs = theirs.map { entry -> String in
                guard entry.hasPrefix(bad) else { return entry }
                let local = entry.dropFirst(bad.count)
                if let index = ours.firstIndex(where: { entry in
                    entry.hasSuffix(":\(local)") && UInt32(entry.dropFirst("bgp.community_prefix=".count).dropLast(local.count + 1)) != nil
                }) {
                    ours[index] = "bgp.community_prefix=AS4:\(local)"
                }
                return "bgp.community_prefix=AS4:\(local)"
            }
            return (ours, theirs)
        }

        /// Flowspec operands of 4 and 8 octets (len 10 and 11, RFC 8955 §4.2.1.1): tshark 4.0
        /// prints "=0" and gives no value field, so our `dec_val_32` / `dec_val_64` are not compared
        /// when tshark has none (their operator bytes still are).
        @Sendable static func flowSpecWideValues(_ ours: [String], _ theirs: [String]) -> ([String], [String]) {
            let wide = ["bgp.flowspec_nlri.dec_val_32=", "bgp.flowspec_nlri.dec_val_64="]
            guard !theirs.contains(where: { entry in wide.contains { entry.hasPrefix($0) } }) else { return (ours, theirs) }
            return (ours.filter { entry in !wide.contains { entry.hasPrefix($0) } }, theirs)
        }

        /// Tunnel encapsulation sub-TLVs, two errata of tshark 4.0:
        /// - it files the Protocol Type sub-TLV's Ethertype (RFC 9012 §3.4.1) under
        ///   `bgp.update.encaps_tunnel_tlv_subtlv_gre_key`; ours (`peerscope.bgp.tunnel.protocol_type`)
        ///   is compared as that field;
        /// - it reads the Color sub-TLV as 4 octets instead of the 8 of RFC 9012 §3.4.2 and then sees
        ///   a sub-TLV of type 0 in the rest: one phantom 0 per Color sub-TLV is dropped (the JSON
        ///   tree's value order is not kept by the reader, so they are matched by count).
        @Sendable static func tunnelSubTLVs(_ ours: [String], _ theirs: [String]) -> ([String], [String]) {
            let ours = ours.map {
                $0.replacingOccurrences(of: "peerscope.bgp.tunnel.protocol_type=", with: "bgp.update.encaps_tunnel_tlv_subtlv_gre_key=")
            }
            let type = "bgp.update.encaps_tunnel_subtlv_type="
            var theirs = theirs
            for _ in 0..<theirs.filter({ $0 == type + "4" }).count {
                if let phantom = theirs.firstIndex(of: type + "0") { theirs.remove(at: phantom) }
            }
            return (ours, theirs)
        }

        /// tshark's flowspec fields, with one erratum: an IPv6 prefix component with a non-zero
        /// offset (RFC 8956 §3.1) holds bits offset … length − 1 of the address; tshark 4.0 ignores
        /// the offset and shows the pattern octets from bit 0. Its address is moved right by the
        /// offset (the bits before the offset are zero in both readings). The capture keeps such
        /// offsets below 8, where the pattern's octet count is the one tshark reads.
        @Sendable static func flowSpecTshark(_ message: TsharkBGPMessage, _ fields: [String]) -> [String] {
            message.nlri.flatMap { nlri -> [String] in
                var offsets = nlri.fields["bgp.flowspec_nlri.ipv6_pref_offset"] ?? []
                var moved: [String: [String]] = [:]
                // Components come in type order: destination (1) before source (2).
                for field in ["bgp.flowspec_nlri.dst_ipv6_pref", "bgp.flowspec_nlri.src_ipv6_pref"] {
                    moved[field] = (nlri.fields[field] ?? []).map { text in
                        let offset = offsets.isEmpty ? 0 : Int(offsets.removeFirst()) ?? 0
                        return shifted(text, right: offset)
                    }
                }
                return fields.flatMap { field in
                    (moved[field] ?? nlri.fields[field] ?? []).map { "\(field)=\(number($0))" }
                }
            }
        }

        /// An IPv6 address moved right by `bits`, printed as peerscope and tshark print addresses.
        static func shifted(_ text: String, right bits: Int) -> String {
            guard bits > 0 else { return text }
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return text }
            let bytes = withUnsafeBytes(of: raw) { Array($0) }
            let value = bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } >> UInt128(bits)
            var out = in6_addr()
            withUnsafeMutableBytes(of: &out) { buffer in
                for index in 0..<16 { buffer[index] = UInt8(truncatingIfNeeded: value >> UInt128(8 * (15 - index))) }
            }
            var textBuffer = [CChar](repeating: 0, count: 64)
            guard inet_ntop(AF_INET6, &out, &textBuffer, 64) != nil else { return text }
            return String(cString: textBuffer)
        }
    }
}
