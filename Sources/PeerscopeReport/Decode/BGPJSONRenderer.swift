import PeerscopeAnalysis
import PeerscopeWire

/// JSON Lines for `peerscope decode -Y bgp --json`: one object per BGP message, keys named after
/// tshark's `bgp.*` fields where one exists (`peerscope.bgp.*` where none does); every key is
/// present on every line (null when absent).
public struct BGPJSONRenderer {
    /// The capture file, as the first key of every line, when one run decodes several files
    /// (the lines stay one JSON Lines stream, each naming where it came from).
    public var file: String?

    public init(file: String? = nil) { self.file = file }

    public func line(_ record: BGPMessageRecord, firstTimestamp: Int64) -> String {
        var json = JSONLine()
        if let file { json.add("file", file) }
        json.add("frame.number", record.frameNumber)
        json.add("frame.time_relative_ns", record.timeNanoseconds - firstTimestamp)
        json.add("ip.src", record.source.description)
        json.add("ip.dst", record.destination.description)
        json.add("ip.ttl", record.ttl)
        json.add("tcp.srcport", Int(record.sourcePort))
        json.add("tcp.dstport", Int(record.destinationPort))
        json.add("bgp.type", record.typeCode)
        json.add("bgp.length", record.length)
        json.add("peerscope.bgp.marker_valid", record.markerValid)
        let message = try? record.message.get()
        var open: BGPOpen?
        var update: BGPUpdate?
        var notification: BGPNotification?
        switch message {
        case .open(let value)?: open = value
        case .update(let value)?: update = value
        case .notification(let value)?: notification = value
        default: break
        }
        json.add("bgp.open.version", open?.version)
        json.add("bgp.open.myas", open?.myAS)
        json.add("bgp.open.holdtime", open?.holdTime)
        json.add("bgp.open.identifier", open.map { "\($0.identifier)" })
        json.add("bgp.cap.type", open?.capabilities.map(\.code))
        json.add("bgp.cap.4as", open?.fourOctetASN)
        json.add("bgp.update.path_attribute.type_code", update?.attributes.map(\.typeCode))
        json.add("bgp.withdrawn_prefix", update.map { update in
            update.withdrawn.map(\.description) + update.attributes.flatMap { attribute -> [String] in
                if case .mpUnreach(_, let nlri) = attribute.value { nlri.compactMap(\.plainPrefix?.description) } else { [] }
            }
        })
        json.add("bgp.nlri_prefix", update.map { update in
            update.announced.map(\.description) + update.attributes.flatMap { attribute -> [String] in
                if case .mpReach(_, _, let nlri) = attribute.value { nlri.compactMap(\.plainPrefix?.description) } else { [] }
            }
        })
        addMultiprotocol(update, to: &json)
        json.add("peerscope.bgp.as_path", update.flatMap { update in
            update.attributes.lazy.compactMap { attribute -> [String]? in
                if case .asPath(let segments) = attribute.value { segments.flatMap(\.asns).map(String.init) } else { nil }
            }.first
        })
        json.add("bgp.update.path_attribute.next_hop", update.flatMap { update in
            update.attributes.lazy.compactMap { attribute -> String? in
                if case .nextHop(let address) = attribute.value { "\(address)" } else { nil }
            }.first
        })
        BGPAttributeJSON.add(update?.attributes ?? [], present: update != nil, to: &json)
        json.add("peerscope.bgp.end_of_rib", update.map { $0.endOfRIB?.description ?? "" }.flatMap { $0.isEmpty ? nil : $0 })
        json.add("bgp.notify.major_error", notification?.code)
        json.add("bgp.notify.minor_error", notification?.subcode)
        json.add("peerscope.bgp.notify.error_name", notification?.description)
        json.add("bgp.notify.communication", notification?.shutdownCommunication)
        if case .failure(let error) = record.message {
            json.add("error.code", error.code)
            json.add("error.text", error.description)
        } else {
            json.add("error.code", nil as String?)
            json.add("error.text", nil as String?)
        }
        return json.line
    }
}
