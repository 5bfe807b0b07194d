import PeerscopeAnalysis
import PeerscopeWire

/// `peerscope decode -Y bmp`: one line per BMP message (RFC 7854), a tree with `-V`, JSON Lines
/// with tshark's `bmp.*` field names. The BGP PDUs inside go through the BGP renderers.
public struct BMPRenderer {
    public var timeDecimals: Int
    private var bgp: BGPLineRenderer

    public init(timeDecimals: Int) {
        self.timeDecimals = timeDecimals
        bgp = BGPLineRenderer(timeDecimals: timeDecimals)
    }

    public func line(_ record: BMPMessageRecord, firstTimestamp: Int64) -> String {
        var parts = [
            String(repeating: " ", count: max(0, 6 - String(record.frameNumber).count)) + String(record.frameNumber),
            Units.relativeTime(nanoseconds: record.timeNanoseconds - firstTimestamp, decimals: timeDecimals),
            "\(endpoint(record.source, record.sourcePort)) → \(endpoint(record.destination, record.destinationPort))",
            "BMP \(BMPMessage.typeName(record.typeCode)) len \(record.length)",
        ]
        switch record.message {
        case .failure(let error): parts.append("malformed BMP: \(error)")
        case .success(let message):
            if let peer = message.peer { parts.append(peerText(peer)) }
            parts.append(summary(message))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "  ")
    }

    func summary(_ message: BMPMessage) -> String {
        switch message {
        case .routeMonitoring:
            return inner(message.bgpMessage)
        case .statisticsReport(_, let tlvs):
            return "\(tlvs.count) statistic(s): " + tlvs.map { "\(statisticName($0.type)) \($0.counter.map(String.init) ?? "\($0.value.count) bytes")" }
                .joined(separator: ", ")
        case .peerDown(let down):
            return down.reasonName + (down.notification.map { ": " + inner($0) } ?? "")
        case .peerUp(let up):
            return "local \(endpoint(up.localAddress, up.localPort)) remote port \(up.remotePort); sent "
                + inner(up.sentOpen) + "; received " + inner(up.receivedOpen)
        case .initiation(let tlvs), .termination(let tlvs):
            return tlvs.map { information($0, termination: message.type == 5) }.joined(separator: ", ")
        case .routeMirroring(_, let tlvs): return "\(tlvs.count) TLV(s)"
        case .unknown(let type, let body): return "unknown type \(type), \(body.count) bytes"
        }
    }

    /// The message as an indented tree; the BGP PDUs inside as the BGP tree shows them.
    public func tree(_ record: BMPMessageRecord) -> [String] {
        let indent = "            "
        var lines = ["        BGP Monitoring Protocol - \(BMPMessage.typeName(record.typeCode))",
                     indent + "Version: \(BMPMessage.version)", indent + "Length: \(record.length)",
                     indent + "Type: \(BMPMessage.typeName(record.typeCode)) (\(record.typeCode))"]
        guard case .success(let message) = record.message else {
            if case .failure(let error) = record.message { lines.append(indent + "[Malformed: \(error)]") }
            return lines
        }
        if let peer = message.peer {
            lines += ["Per Peer Header", "    Type: \(peer.peerTypeName) (\(peer.peerType))",
                      "    Flags: 0x\(String(peer.flags, radix: 16))" + (peer.isPostPolicy ? " (post-policy)" : "")
                        + (peer.usesTwoOctetAS ? " (2-octet AS)" : ""),
                      "    Peer Distinguisher: \(peer.distinguisher)", "    Address: \(peer.address)",
                      "    ASN: \(peer.asn)", "    BGP ID: \(peer.bgpID)",
                      "    Timestamp: \(peer.timestampSeconds).\(sixDigits(peer.timestampMicroseconds))"].map { indent + $0 }
        }
        func embed(_ bytes: [UInt8], _ decoded: Result<BGPMessage, WireError>) {
            lines += bgp.tree(BGPMessageRecord(inside: record, bytes: bytes, message: decoded)).map { "        " + $0 }
        }
        switch message {
        case .routeMonitoring(_, let bytes): embed(bytes, message.bgpMessage ?? .failure(WireError(.bmp, .truncated(needed: 19, available: 0), at: 0)))
        case .peerUp(let up):
            lines += ["Local Address: \(up.localAddress)", "Local Port: \(up.localPort)", "Remote Port: \(up.remotePort)",
                      "Sent OPEN Message"].map { indent + $0 }
            embed(up.sentOpenMessage, up.sentOpen)
            lines.append(indent + "Received OPEN Message")
            embed(up.receivedOpenMessage, up.receivedOpen)
            lines += up.information.map { indent + information($0, termination: false) }
        case .peerDown(let down):
            lines.append(indent + "Reason: \(down.reasonName) (\(down.reason))")
            if let notification = down.notification { embed(down.data, notification) }
            else if !down.data.isEmpty { lines.append(indent + "Data: \(down.data.count) bytes") }
        case .statisticsReport(_, let tlvs):
            lines.append(indent + "Stats Count: \(tlvs.count)")
            lines += tlvs.map { indent + "    \(statisticName($0.type)) (\($0.type)): " + ($0.counter.map(String.init) ?? "\($0.value.count) bytes") }
        case .initiation(let tlvs), .termination(let tlvs):
            lines += tlvs.map { indent + information($0, termination: message.type == 5) }
        case .routeMirroring(_, let tlvs): lines += tlvs.map { indent + "TLV type \($0.type), \($0.value.count) bytes" }
        case .unknown: break
        }
        return lines
    }

    /// JSON Lines keys: tshark's `bmp.*` fields (tshark 4.0), every key on every line.
    public func json(_ record: BMPMessageRecord, firstTimestamp: Int64) -> String {
        var json = JSONLine()
        json.add("frame.number", record.frameNumber)
        json.add("frame.time_relative_ns", record.timeNanoseconds - firstTimestamp)
        json.add("ip.src", record.source.description)
        json.add("ip.dst", record.destination.description)
        json.add("tcp.srcport", Int(record.sourcePort))
        json.add("tcp.dstport", Int(record.destinationPort))
        json.add("bmp.type", record.typeCode)
        json.add("bmp.length", record.length)
        let message = try? record.message.get()
        let peer = message?.peer
        json.add("bmp.peer.type", peer?.peerType)
        json.add("bmp.peer.flags", peer?.flags)
        json.add("bmp.peer.ip.addr", peer.flatMap { if case .v4(let v4) = $0.address { "\(v4)" } else { nil } })
        json.add("bmp.peer.ipv6.addr", peer.flatMap { if case .v6(let v6) = $0.address { "\(v6)" } else { nil } })
        json.add("bmp.peer.asn", peer?.asn)
        json.add("bmp.peer.id", peer.map { "\($0.bgpID)" })
        json.add("bmp.peer.timestamp.sec", peer?.timestampSeconds)
        var down: BMPPeerDown?, up: BMPPeerUp?, information: [BMPTLV]?, statistics: [BMPTLV]?
        switch message {
        case .peerDown(let value)?: down = value
        case .peerUp(let value)?: up = value
        case .initiation(let tlvs)?: information = tlvs
        case .statisticsReport(_, let tlvs)?: statistics = tlvs
        default: break
        }
        json.add("bmp.peer.down.reason", down?.reason)
        json.add("bmp.peer.up.port.local", up?.localPort)
        json.add("bmp.peer.up.port.remote", up?.remotePort)
        json.add("bmp.init.type", information?.map(\.type))
        json.add("bmp.stats.count", statistics?.count)
        json.add("bmp.stats.type", statistics?.map(\.type))
        // The BGP PDUs inside, by type: tshark dissects them as BGP with the same `bgp.type` field.
        var inner: [UInt8]? = nil
        switch message {
        case .routeMonitoring(_, let bytes)?: inner = bytes.count > 18 ? [bytes[18]] : []
        case .peerUp(let value)?: inner = [value.sentOpenMessage, value.receivedOpenMessage].compactMap { $0.count > 18 ? $0[18] : nil }
        case .peerDown(let value)? where value.notification != nil: inner = value.data.count > 18 ? [value.data[18]] : []
        default: break
        }
        json.add("bgp.type", inner)
        if case .failure(let error) = record.message {
            json.add("error.code", error.code)
            json.add("error.text", error.description)
        } else {
            json.add("error.code", nil as String?)
            json.add("error.text", nil as String?)
        }
        return json.line
    }

    private func inner(_ decoded: Result<BGPMessage, WireError>?) -> String {
        switch decoded {
        case .success(let message)?: "BGP \(message.type) " + bgp.summary(message)
        case .failure(let error)?: "malformed BGP: \(error)"
        case nil: ""
        }
    }

    private func peerText(_ peer: BMPPerPeerHeader) -> String {
        "peer \(peer.address) AS \(peer.asn)" + (peer.isPostPolicy ? " post-policy" : "")
    }

    /// RFC 7854 §4.4 information TLV types (Termination: §4.5, type 1 is the reason).
    private func information(_ tlv: BMPTLV, termination: Bool) -> String {
        switch (termination, tlv.type) {
        case (false, 0), (true, 0): "String: \(tlv.text)"
        case (false, 1): "sysDescr: \(tlv.text)"
        case (false, 2): "sysName: \(tlv.text)"
        case (true, 1): "Reason: \(tlv.counter.map(String.init) ?? (tlv.value.count == 2 ? String(UInt16(tlv.value[0]) << 8 | UInt16(tlv.value[1])) : "?"))"
        default: "TLV type \(tlv.type), \(tlv.value.count) bytes"
        }
    }

    /// RFC 7854 §4.8 statistics types (IANA "BMP Statistics Types").
    private func statisticName(_ type: UInt16) -> String {
        switch type {
        case 0: "prefixes rejected by inbound policy"
        case 1: "duplicate prefix advertisements"
        case 2: "duplicate withdraws"
        case 3: "updates invalidated by CLUSTER_LIST loop"
        case 4: "updates invalidated by AS_PATH loop"
        case 5: "updates invalidated by ORIGINATOR_ID"
        case 6: "updates invalidated by AS_CONFED loop"
        case 7: "routes in Adj-RIBs-In"
        case 8: "routes in Loc-RIB"
        case 9: "routes in per-AFI/SAFI Adj-RIB-In"
        case 10: "routes in per-AFI/SAFI Loc-RIB"
        case 11: "updates subjected to treat-as-withdraw"
        case 12: "prefixes subjected to treat-as-withdraw"
        case 13: "duplicate update messages"
        default: "statistic \(type)"
        }
    }

    private func sixDigits(_ value: UInt32) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 6 - text.count)) + text
    }

    private func endpoint(_ address: IPAddress, _ port: UInt16) -> String {
        switch address {
        case .v4: "\(address):\(port)"
        case .v6: "[\(address)]:\(port)"
        }
    }
}
