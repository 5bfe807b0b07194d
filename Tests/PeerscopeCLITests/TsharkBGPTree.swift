import Foundation

/// BGP messages as tshark's `-T json --no-duplicate-keys` tree shows them. The tree, not `-T fields`,
/// because only the tree says which values belong to which message and to which NLRI; field names
/// and where tshark 4.0 puts them are in tools/lab/TSHARK-BGP-FIELDS.md.
struct TsharkBGPMessage {
    /// One NLRI of an UPDATE: its address family, whether it is withdrawn, and every string field
    /// tshark shows under it (`bgp.rd`, `bgp.evpn.nlri.etag`, `bgp.flowspec_nlri.filter_type` …).
    struct NLRI {
        var afi: Int
        var safi: Int
        var withdrawn: Bool
        /// From the classic NLRI / withdrawn routes fields rather than an MP attribute.
        var classic: Bool
        var fields: [String: [String]]
    }

    var frame: Int
    var type: Int
    /// Every string field of the whole message, in tree order per name.
    var fields: [String: [String]]
    var nlri: [NLRI]

    /// The address families of the message's MP_REACH_NLRI / MP_UNREACH_NLRI (AFI, SAFI).
    /// (Also for an MP attribute without NLRI, such as an End-of-RIB marker.)
    var multiprotocolFamilies: Set<[Int]> {
        var families = Set<[Int]>()
        for word in ["reach", "unreach"] {
            let key = "bgp.update.path_attribute.mp_\(word)_nlri"
            for (afi, safi) in zip(values(key + ".afi"), values(key + ".safi")) {
                if let afi = Int(afi), let safi = Int(safi) { families.insert([afi, safi]) }
            }
        }
        return families
    }

    func values(_ name: String) -> [String] { fields[name] ?? [] }

    /// Every message of a capture in frame order (several per frame when a segment carries several).
    static func read(capture: String, tshark: String) throws -> [TsharkBGPMessage] {
        let run = try CLI.run(tshark, ["-n", "-r", capture, "-Y", "bgp && !icmp", "-T", "json", "--no-duplicate-keys"])
        guard run.status == 0 else { throw TreeError.tshark(run.stderr) }
        guard let packets = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] else {
            throw TreeError.shape("top level is not a list of packets")
        }
        var messages: [TsharkBGPMessage] = []
        for packet in packets {
            guard let layers = (packet["_source"] as? [String: Any])?["layers"] as? [String: Any],
                  let frame = (layers["frame"] as? [String: Any])?["frame.number"] as? String,
                  let number = Int(frame) else { throw TreeError.shape("packet without frame.number") }
            for case let bgp as [String: Any] in list(layers["bgp"]) {
                guard let type = (bgp["bgp.type"] as? String).flatMap({ Int($0) }) else { continue }
                messages.append(TsharkBGPMessage(frame: number, type: type, fields: leaves(bgp), nlri: nlri(of: bgp)))
            }
        }
        return messages
    }

    enum TreeError: Error { case tshark(String), shape(String) }

    /// The NLRI of an UPDATE: classic NLRI and withdrawn routes (IPv4 unicast), then each MP_REACH /
    /// MP_UNREACH attribute's children. tshark keys each NLRI by its text or by a field name; a VPNv6
    /// NLRI is only a bare `bgp.label_stack` string (tshark 4.0 keeps its RD and prefix in the text).
    private static func nlri(of bgp: [String: Any]) -> [NLRI] {
        var found: [NLRI] = []
        func add(_ subtree: Any?, afi: Int, safi: Int, withdrawn: Bool, classic: Bool = false) {
            for (key, value) in (subtree as? [String: Any]) ?? [:] where key != "bgp.flowspec_nlri" {
                for item in list(value) {
                    let fields = item is String ? [key: [item as! String]] : leaves(item)
                    found.append(NLRI(afi: afi, safi: safi, withdrawn: withdrawn, classic: classic, fields: fields))
                }
            }
        }
        add(bgp["bgp.update.nlri"], afi: 1, safi: 1, withdrawn: false, classic: true)
        add(bgp["bgp.update.withdrawn_routes"], afi: 1, safi: 1, withdrawn: true, classic: true)
        let attributes = (bgp["bgp.update.path_attributes"] as? [String: Any])?["bgp.update.path_attribute"]
        for case let attribute as [String: Any] in list(attributes) {
            for (word, withdrawn) in [("reach", false), ("unreach", true)] {
                let key = "bgp.update.path_attribute.mp_\(word)_nlri"
                guard let afi = (attribute[key + ".afi"] as? String).flatMap({ Int($0) }),
                      let safi = (attribute[key + ".safi"] as? String).flatMap({ Int($0) }) else { continue }
                add(attribute[key], afi: afi, safi: safi, withdrawn: withdrawn)
            }
        }
        return found
    }

    static func list(_ node: Any?) -> [Any] {
        switch node {
        case nil: []
        case let array as [Any]: array
        case let some?: [some]
        }
    }

    /// Every string value under node by field name, in tree order.
    static func leaves(_ node: Any) -> [String: [String]] {
        var out: [String: [String]] = [:]
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                for (key, value) in object {
                    if let text = value as? String {
                        out[key, default: []].append(text)
                    } else if let texts = value as? [String] {
                        out[key, default: []] += texts
                    } else {
                        walk(value)
                    }
                }
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(node)
        return out
    }
}
