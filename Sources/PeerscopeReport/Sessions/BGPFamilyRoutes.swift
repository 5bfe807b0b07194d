import PeerscopeAnalysis
import PeerscopeWire

/// One family's routes in `sessions --json`: the family by number and by registry name.
public struct BGPFamilyRoutesRecord: Codable, Sendable {
    public var afi: UInt16
    public var safi: UInt8
    public var family: String
    /// false for a family peerscope keeps raw (its routes are not counted).
    public var decoded: Bool
    public var routesHeld: Int
}

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
