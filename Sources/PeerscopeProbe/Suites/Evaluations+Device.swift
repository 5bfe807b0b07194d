import PeerscopeEndpoint
import PeerscopeWire

/// The device's own packets: ports, TTL, discriminators.
extension Evaluate {
    /// device-ports: destination port 3784 / 4784, source port in 49152–65535.
    public static func ports(_ record: ProbeRecord, transport: BFDTransport) -> CaseOutcome {
        guard let first = record.devicePackets.indices.first else { return .inconclusive("no packet from the device") }
        let sources = Set(record.devicePackets.map(\.sourcePort))
        let figures = [("source_port", ProbeFigure(Double(record.devicePackets[first].sourcePort), "")),
                       ("destination_port", ProbeFigure(Double(record.devicePackets[first].destinationPort), ""))]
        if let bad = record.devicePackets.indices.first(where: { record.devicePackets[$0].destinationPort != transport.destinationPort }) {
            return CaseOutcome(.fail, "packet to port \(record.devicePackets[bad].destinationPort), not \(transport.destinationPort)",
                               figures: figures, evidence: [.device(bad)])
        }
        if let bad = record.devicePackets.indices.first(where: { !BFDSocket.sourcePortRange.contains(record.devicePackets[$0].sourcePort) }) {
            return CaseOutcome(.fail, "source port \(record.devicePackets[bad].sourcePort) outside 49152–65535",
                               figures: figures, evidence: [.device(bad)])
        }
        return CaseOutcome(.pass, "\(record.devicePackets.count) packets to \(transport.destinationPort) from "
                           + (sources.count == 1 ? "port \(sources.first!)" : "\(sources.count) source ports \(sources.min()!)–\(sources.max()!)"),
                           figures: figures, evidence: [.device(first), .device(record.devicePackets.endIndex - 1)])
    }

    /// device-ttl: every single-hop packet with TTL 255 (multihop: reported only).
    public static func ttl(_ record: ProbeRecord, singleHop: Bool) -> CaseOutcome {
        let ttls = record.devicePackets.compactMap(\.ttl)
        guard let low = ttls.min(), let high = ttls.max() else { return .inconclusive("no TTL reported for the device's packets") }
        let figures = [("ttl_min", ProbeFigure(Double(low), "")), ("ttl_max", ProbeFigure(Double(high), ""))]
        if singleHop, let bad = record.devicePackets.indices.first(where: { (record.devicePackets[$0].ttl ?? 255) != 255 }) {
            return CaseOutcome(.fail, "a single-hop packet arrived with TTL \(record.devicePackets[bad].ttl!)",
                               figures: figures, evidence: [.device(bad)])
        }
        return CaseOutcome(.pass, singleHop ? "all \(ttls.count) packets with TTL 255" : "multihop: TTL \(low)–\(high) (no requirement)",
                           figures: figures, evidence: [.device(0)])
    }

    /// device-discriminators: nonzero My Discriminator, unchanged while Up; Your Discriminator in
    /// Init/Up packets is one of ours.
    public static func discriminators(_ record: ProbeRecord) -> CaseOutcome {
        let ours = Set(record.sentPackets.map(\.localDiscriminator))
        let decoded = record.devicePackets.indices.filter { record.devicePackets[$0].packet != nil }
        guard let first = decoded.first else { return .inconclusive("no packet from the device") }
        let mine = record.devicePackets[first].packet!.myDiscriminator
        let figures = [("my_discriminator", ProbeFigure(Double(mine), ""))]
        if let zero = decoded.first(where: { record.devicePackets[$0].packet!.myDiscriminator == 0 }) {
            return CaseOutcome(.fail, "My Discriminator 0", figures: figures, evidence: [.device(zero)])
        }
        var previous: BFDControlPacket?
        var values: Set<UInt32> = []
        for index in decoded {
            let packet = record.devicePackets[index].packet!
            values.insert(packet.myDiscriminator)
            if let previous, previous.state == .up, packet.state == .up, previous.myDiscriminator != packet.myDiscriminator {
                return CaseOutcome(.fail, "My Discriminator changed from \(previous.myDiscriminator) to \(packet.myDiscriminator) while Up",
                                   figures: figures, evidence: [.device(index)])
            }
            if packet.state == .`init` || packet.state == .up, !ours.contains(packet.yourDiscriminator) {
                return CaseOutcome(.fail, "Your Discriminator \(packet.yourDiscriminator) in an \(packet.state) packet is not ours",
                                   figures: figures, evidence: [.device(index)])
            }
            previous = packet
        }
        let note = values.count == 1 ? "unchanged" : "\(values.count) values across our re-handshakes"
        return CaseOutcome(.pass, "My Discriminator \(mine) (\(note)); Your Discriminator echoed ours in \(decoded.count) packets",
                           figures: figures, evidence: [.device(first)])
    }
}
