import PeerscopeAnalysis
import PeerscopeWire

/// One line per BGP message for `peerscope decode -Y bgp`, in the spirit of tshark's Info column.
public struct BGPLineRenderer {
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func line(_ record: BGPMessageRecord, firstTimestamp: Int64) -> String {
        var parts = [
            String(repeating: " ", count: max(0, 6 - String(record.frameNumber).count)) + String(record.frameNumber),
            Units.relativeTime(nanoseconds: record.timeNanoseconds - firstTimestamp, decimals: timeDecimals),
            "\(endpoint(record.source, record.sourcePort)) → \(endpoint(record.destination, record.destinationPort))",
            "ttl \(record.ttl)",
        ]
        switch record.message {
        case .success(let message):
            parts.append("BGP \(message.type) len \(record.length)" + (record.markerValid ? "" : " (bad marker)"))
            parts.append(summary(message))
        case .failure(let error):
            parts.append("malformed BGP: \(error)")
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "  ")
    }

    func summary(_ message: BGPMessage) -> String {
        switch message {
        case .open(let open):
            let caps = open.capabilities.map(\.name).joined(separator: ", ")
            return "AS \(open.autonomousSystem) hold \(open.holdTime) s id \(open.identifier) [\(caps)]"
        case .update(let update):
            if let family = update.endOfRIB { return "End-of-RIB \(family)" }
            var announced = update.announced.count
            var withdrawn = update.withdrawn.count
            var attributes: [String] = []
            for attribute in update.attributes {
                switch attribute.value {
                case .mpReach(_, _, let prefixes): announced += prefixes.count
                case .mpUnreach(_, let prefixes): withdrawn += prefixes.count
                case .asPath(let segments): attributes.append("as-path " + segments.flatMap(\.asns).map(String.init).joined(separator: " "))
                case .communities(let list):
                    attributes.append("communities " + list.map { "\($0 >> 16):\($0 & 0xFFFF)" }.joined(separator: " "))
                case .largeCommunities(let list): attributes.append("large " + list.map(\.description).joined(separator: " "))
                default: break
                }
            }
            return (["+\(announced) prefixes", "-\(withdrawn) withdrawn"] + attributes).joined(separator: ", ")
        case .notification(let notification):
            return notification.description
        case .keepalive:
            return ""
        case .routeRefresh(let family, let subtype):
            return "\(family) subtype \(subtype)"
        case .unknown(let type, let body):
            return "unknown type \(type), \(body.count) bytes"
        }
    }

    private func endpoint(_ address: IPAddress, _ port: UInt16) -> String {
        switch address {
        case .v4: "\(address):\(port)"
        case .v6: "[\(address)]:\(port)"
        }
    }
}
