import PeerscopeAnalysis
import PeerscopeWire

/// JSON Lines for `peerscope decode --json`. Keys are tshark field names where one exists, so a
/// jq filter reads like a Wireshark column, and carry our own `peerscope.` prefix where none does; every key is present on every line (null when absent);
/// intervals are exact integers in microseconds, as on the wire.
public struct DecodeJSONRenderer {
    /// The capture file, as the first key of every line, when one run decodes several files
    /// (the lines stay one JSON Lines stream, each naming where it came from).
    public var file: String?

    public init(file: String? = nil) { self.file = file }

    public func line(_ record: DecodeRecord) -> String {
        var json = JSONLine()
        if let file { json.add("file", file) }
        json.add("frame.number", record.frameNumber)
        json.add("frame.time_epoch_ns", record.epochNanoseconds)
        json.add("frame.time_relative_ns", record.relativeNanoseconds)
        json.add("frame.len", record.originalLength)
        json.add("frame.cap_len", record.capturedLength)
        json.add("frame.interface_name", record.interfaceName)
        json.add("frame.comment", record.comments.isEmpty ? nil : record.comments)
        json.add("ip.version", record.network?.version)
        json.add("ip.src", record.network?.source.description)
        json.add("ip.dst", record.network?.destination.description)
        json.add("ip.ttl", record.network?.ttl)
        json.add("udp.srcport", record.sourcePort.map(Int.init))
        json.add("udp.dstport", record.destinationPort.map(Int.init))
        json.add("encap", record.encapsulation?.path)
        json.add("peerscope.bfd.transport", record.transport?.description)

        var packet: BFDControlPacket?
        switch record.body {
        case .control(let control):
            json.add("peerscope.bfd.kind", "control")
            packet = control
        case .echo:
            json.add("peerscope.bfd.kind", "echo")
        case .malformed:
            json.add("peerscope.bfd.kind", "malformed")
        case .undecodable:
            json.add("peerscope.bfd.kind", nil as String?)
        }
        json.add("bfd.version", packet?.version)
        json.add("bfd.diag", packet?.diagnostic.rawValue)
        json.add("peerscope.bfd.diag_name", packet?.diagnostic.description)
        json.add("bfd.sta", packet?.state.rawValue)
        json.add("peerscope.bfd.sta_name", packet?.state.description)
        json.add("bfd.flags.p", packet.map { $0.flags.contains(.poll) })
        json.add("bfd.flags.f", packet.map { $0.flags.contains(.final) })
        json.add("bfd.flags.c", packet.map { $0.flags.contains(.controlPlaneIndependent) })
        json.add("bfd.flags.a", packet.map { $0.flags.contains(.authenticationPresent) })
        json.add("bfd.flags.d", packet.map { $0.flags.contains(.demand) })
        json.add("bfd.flags.m", packet.map { $0.flags.contains(.multipoint) })
        json.add("bfd.detect_time_multiplier", packet?.detectMultiplier)
        json.add("bfd.message_length", packet?.length)
        json.add("bfd.my_discriminator", packet?.myDiscriminator)
        json.add("bfd.your_discriminator", packet?.yourDiscriminator)
        json.add("bfd.desired_min_tx_interval", packet?.desiredMinTxInterval)
        json.add("bfd.required_min_rx_interval", packet?.requiredMinRxInterval)
        json.add("bfd.required_min_echo_interval", packet?.requiredMinEchoRxInterval)
        let auth = packet?.authentication
        json.add("bfd.auth.type", auth?.type.rawValue)
        json.add("peerscope.bfd.auth.type_name", auth?.type.description)
        json.add("bfd.auth.len", auth?.length)
        json.add("bfd.auth.key", auth?.keyID)
        json.add("bfd.auth.seq_num", auth?.sequenceNumber)
        if case .echo(let echo) = record.body {
            json.add("peerscope.bfd.echo.length", echo.payloadLength)
        } else {
            json.add("peerscope.bfd.echo.length", nil as Int?)
        }
        switch record.body {
        case .malformed(let error), .undecodable(let error):
            json.add("error.code", error.code)
            json.add("error.text", error.description)
        case .control, .echo:
            json.add("error.code", nil as String?)
            json.add("error.text", nil as String?)
        }
        return json.line
    }
}
