import PeerscopeAnalysis
import PeerscopeWire

/// One line per packet, tcpdump-like, with router vocabulary for the BFD fields:
///
///     12  1.234567  192.0.2.1:49152 → 192.0.2.2:3784  ttl 255  vlan 100/gre  Up  diag 0 (No Diagnostic)
///         [P-----]  mult 3  my 1 your 2  tx 300 ms  rx 300 ms  echo 0  auth keyed-sha1 key 1 seq 42
public struct DecodeTextRenderer {
    /// 6 for microsecond captures, 9 for nanosecond ones.
    public var timeDecimals: Int

    public init(timeDecimals: Int) { self.timeDecimals = timeDecimals }

    public func line(_ record: DecodeRecord) -> String {
        var parts: [String] = [
            pad(String(record.frameNumber), 6),
            Units.relativeTime(nanoseconds: record.relativeNanoseconds, decimals: timeDecimals),
        ]
        if let network = record.network {
            parts.append("\(endpoint(network.source, record.sourcePort)) → \(endpoint(network.destination, record.destinationPort))")
            parts.append("ttl \(network.ttl)")
        }
        if let encapsulation = record.encapsulation { parts.append(encapsulation.summary) }
        switch record.body {
        case .control(let packet):
            if let transport = record.transport, transport != .singleHop { parts.append(transport.description) }
            parts.append(packet.state.description)
            parts.append("diag \(packet.diagnostic.rawValue) (\(packet.diagnostic))")
            parts.append("[\(packet.flags)]")
            parts.append("mult \(packet.detectMultiplier)")
            parts.append("my \(packet.myDiscriminator) your \(packet.yourDiscriminator)")
            parts.append("tx \(Units.interval(microseconds: packet.desiredMinTxInterval))")
            parts.append("rx \(Units.interval(microseconds: packet.requiredMinRxInterval))")
            parts.append("echo \(Units.interval(microseconds: packet.requiredMinEchoRxInterval))")
            if let auth = packet.authentication {
                var text = "auth \(auth.type) key \(auth.keyID)"
                if let sequence = auth.sequenceNumber { text += " seq \(sequence)" }
                parts.append(text)
            } else {
                parts.append("auth none")
            }
        case .echo(let echo):
            parts.append("echo len \(echo.payloadLength)")
        case .malformed(let error):
            parts.append("malformed BFD: \(error)")
        case .undecodable(let error):
            parts.append("undecodable: \(error)")
        }
        return parts.joined(separator: "  ")
    }

    private func endpoint(_ address: IPAddress, _ port: UInt16?) -> String {
        let host: String
        switch address {
        case .v4: host = address.description
        case .v6: host = "[\(address)]"
        }
        return port.map { "\(host):\($0)" } ?? host
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
