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
                case .mpReach(let family, _, let nlri):
                    announced += nlri.count
                    if family.encoding != .prefix { attributes.append(familySummary(family, nlri)) }
                case .mpUnreach(let family, let nlri):
                    withdrawn += nlri.count
                    if family.encoding != .prefix { attributes.append(familySummary(family, nlri)) }
                case .asPath(let segments): attributes.append("as-path " + segments.flatMap(\.asns).map(String.init).joined(separator: " "))
                case .communities(let list):
                    attributes.append("communities " + list.map(BGPWellKnownCommunity.text).joined(separator: " "))
                case .extendedCommunities(let list):
                    attributes.append("ext-communities " + list.map {
                        BGPAttributeText.extendedCommunity(BGPExtendedCommunity(raw: $0))
                    }.joined(separator: ", "))
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

    /// The message as an indented tree, every field with its value.
    public func tree(_ record: BGPMessageRecord) -> [String] {
        var lines = ["        Border Gateway Protocol - \(BGPMessageType(rawValue: record.typeCode)) Message",
                     "            Marker: " + (record.markerValid ? "ffffffffffffffffffffffffffffffff" : "invalid (not all ones)"),
                     "            Length: \(record.length)",
                     "            Type: \(BGPMessageType(rawValue: record.typeCode)) (\(record.typeCode))"]
        let indent = "            "
        switch record.message {
        case .failure(let error):
            lines.append(indent + "[Malformed: \(error)]")
        case .success(.open(let open)):
            lines += ["Version: \(open.version)", "My AS: \(open.myAS)", "Hold Time: \(open.holdTime)",
                      "BGP Identifier: \(open.identifier)"].map { indent + $0 }
            lines.append(indent + "Optional Parameters: \(open.capabilities.count) capabilit\(open.capabilities.count == 1 ? "y" : "ies")")
            for capability in open.capabilities {
                // The IANA name, then what peerscope decoded from the value.
                let decoded: String
                if case .unknown(_, let value) = capability { decoded = value.isEmpty ? "" : ", \(value.count) bytes" }
                else { decoded = ": \(capability.name)" }
                lines.append(indent + "    Capability \(capability.code): \(BGPCapabilityCode.name(capability.code))\(decoded)")
            }
            for parameter in open.otherParameters {
                lines.append(indent + "    Parameter type \(parameter.type), \(parameter.value.count) bytes")
            }
        case .success(.update(let update)):
            lines.append(indent + "Withdrawn Routes: \(update.withdrawn.count)")
            for prefix in update.withdrawn { lines.append(indent + "    \(prefix)") }
            lines.append(indent + "Path Attributes: \(update.attributes.count)")
            for attribute in update.attributes {
                lines.append(indent + "    Path Attribute - \(attributeLine(attribute))")
                for detail in BGPAttributeText.details(attribute) { lines.append(indent + "        \(detail)") }
                if case .mpReach(_, _, let nlri) = attribute.value { lines += nlriTree(nlri, reach: true, indent: indent + "        ") }
                if case .mpUnreach(_, let nlri) = attribute.value { lines += nlriTree(nlri, reach: false, indent: indent + "        ") }
            }
            lines.append(indent + "Network Layer Reachability Information: \(update.announced.count)")
            for prefix in update.announced { lines.append(indent + "    \(prefix)") }
        case .success(.notification(let notification)):
            lines.append(indent + "Major error Code: \(notification.codeName) (\(notification.code))")
            lines.append(indent + "Minor error Code: \(notification.subcodeName ?? "unknown") (\(notification.subcode))")
            if let text = notification.shutdownCommunication { lines.append(indent + "Shutdown Communication: \"\(text)\"") }
            else if !notification.data.isEmpty { lines.append(indent + "Data: \(notification.data.count) bytes") }
        case .success(.routeRefresh(let family, let subtype)):
            lines.append(indent + "Address family: \(family), subtype \(subtype)")
        case .success(.keepalive), .success(.unknown):
            break
        }
        return lines
    }

    private func attributeLine(_ attribute: BGPPathAttribute) -> String {
        let flags = " (flags 0x" + String(attribute.flags, radix: 16) + ")"
        switch attribute.value {
        case .mpReach(let family, let nextHop, let nlri):
            return "MP_REACH_NLRI: \(familyText(family)), next hop \(nextHop), \(nlri.count) route(s)" + flags
        case .mpUnreach(let family, let nlri):
            return "MP_UNREACH_NLRI: \(familyText(family)), \(nlri.count) route(s)" + flags
        default:
            return BGPAttributeText.summary(attribute) + flags
        }
    }

    private func endpoint(_ address: IPAddress, _ port: UInt16) -> String {
        switch address {
        case .v4: "\(address):\(port)"
        case .v6: "[\(address)]:\(port)"
        }
    }
}
