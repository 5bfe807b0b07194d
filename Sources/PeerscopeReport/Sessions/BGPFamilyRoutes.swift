import PeerscopeAnalysis
import PeerscopeWire

extension BGPSessionsRenderer {
    /// "    IPv4 Labeled VPN Unicast (1/128): 2 routes" per family, at the end or at `--at`.
    func familyLines(_ side: BGPSpeakerSide, origin: Int64) -> [String] {
        let families = side.routesPerFamily(at: at.map { origin + $0 })
        guard families.contains(where: { $0.family != .ipv4Unicast }) || !side.familyRIB.undecoded.isEmpty else { return [] }
        var lines = families.filter { $0.family.encoding != .undecoded }.map { entry in
            "    \(entry.family.name) (\(entry.family.afi)/\(entry.family.safi)): \(entry.routes) route\(entry.routes == 1 ? "" : "s")"
        }
        for (family, updates) in side.familyRIB.undecoded.sorted(by: { ($0.key.afi, $0.key.safi) < ($1.key.afi, $1.key.safi) }) {
            lines.append("    \(family.name) (\(family.afi)/\(family.safi)): not decoded, in \(updates) MP_REACH/MP_UNREACH attribute\(updates == 1 ? "" : "s")")
        }
        return lines
    }
}
