import ArgumentParser
import PeerscopeCapture
import PeerscopeEndpoint
import PeerscopeWire

/// `peerscope-synth bench OUT --packets N --sessions S`: a large mixed capture for tools/bench —
/// S BFD sessions Up at 300 ms with jitter (IPv4, IPv6, some VLAN-tagged), interleaved with TCP,
/// DNS-like UDP and ARP, written in time order as it is generated (memory does not grow with N).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a large mixed capture for benchmarks.")

    @Argument(help: "Output pcap file.")
    var output: String

    @Option(help: "Total frames.")
    var packets = 1_000_000

    @Option(help: "BFD sessions.")
    var sessions = 1_000

    @Option(name: .customLong("bfd-share"), help: "Share of frames that are BFD (0–1).")
    var bfdShare = 0.5

    func validate() throws {
        guard packets > 0, sessions > 0, sessions <= 60_000, (0.01...1).contains(bfdShare) else {
            throw ValidationError("--packets and --sessions must be positive (sessions ≤ 60000), --bfd-share in 0.01…1")
        }
    }

    func run() throws {
        let writer = try CaptureWriter(path: output, format: .pcap, linkType: .ethernet)
        var random = SplitMix(seed: 2026)
        var queue = TimerQueue()
        var templates: [(builder: FrameBuilder, packet: BFDControlPacket)] = []
        for index in 0..<sessions {
            for side in 0..<2 {
                let v6 = index % 4 == 3
                let host = UInt32(index)
                let a: IPAddress = v6 ? .v6(IPv6Address(high: 0x2001_0db8_0000_0000 | UInt64(host), low: 1))
                    : .v4(IPv4Address(0x0A00_0000 | host << 2 | 1))
                let b: IPAddress = v6 ? .v6(IPv6Address(high: 0x2001_0db8_0000_0000 | UInt64(host), low: 2))
                    : .v4(IPv4Address(0x0A00_0000 | host << 2 | 2))
                var builder = FrameBuilder.udp(from: side == 0 ? a : b, UInt16(49152 + index % 16_000),
                                               to: side == 0 ? b : a, BFDTransport.singleHopPort)
                if index % 5 == 0 { builder.vlanTags = [(EtherType.vlan, UInt16(100 + index % 3_000))] }
                let mine = UInt32(index * 2 + side + 1)
                let packet = BFDControlPacket(state: .up, detectMultiplier: 3, myDiscriminator: mine,
                                              yourDiscriminator: side == 0 ? mine + 1 : mine - 1,
                                              desiredMinTxInterval: 300_000, requiredMinRxInterval: 300_000)
                templates.append((builder, packet))
                queue.push(Int64(random.next() % 300_000_000), templates.count - 1)
            }
        }
        let noise = NoiseFrames()
        // RFC 5880 §6.8.7: each gap 75–100 % of the 300 ms interval (Detect Mult 3), from the model.
        let gaps = BFDJitterBounds(detectMultiplier: 3).range(ofNanoseconds: 300_000_000)
        let gapSpread = UInt64(gaps.upperBound - gaps.lowerBound)
        let base: Int64 = 1_763_900_000_000_000_000
        var written = 0
        var noiseDebt = 0.0
        while written < packets, let (time, index) = queue.pop() {
            let template = templates[index]
            writer.write(timestampNanoseconds: base + time, bytes: template.builder.build(payload: template.packet.encoded))
            written += 1
            queue.push(time + gaps.lowerBound + Int64(random.next() % gapSpread), index)
            noiseDebt += (1 - bfdShare) / bfdShare
            while noiseDebt >= 1, written < packets {
                writer.write(timestampNanoseconds: base + time + 1_000, bytes: noise.frame(random.next()))
                written += 1
                noiseDebt -= 1
            }
        }
        print("\(output): \(written) frames, \(sessions) BFD sessions")
    }
}

/// Unrelated traffic of a router link: TCP, DNS over UDP and ARP, picked at random. TCP and ARP
/// are prebuilt; each DNS query gets its own transaction ID and source port, as a resolver's do,
/// so tshark sees queries rather than one query retransmitted a million times.
struct NoiseFrames {
    private let prebuilt: [[UInt8]]
    private let resolver = IPAddress("192.0.2.10")!
    private let server = IPAddress("192.0.2.53")!
    /// www.example.net AAAA IN.
    private let question: [UInt8] = [3] + Array("www".utf8) + [7] + Array("example".utf8) + [3] + Array("net".utf8)
        + [0, 0, 28, 0, 1]

    init() {
        var frames: [[UInt8]] = []
        let tcp = FrameBuilder(source: IPAddress("192.0.2.10")!, destination: IPAddress("192.0.2.20")!,
                               transport: .tcp(TCPHeader(sourcePort: 45_000, destinationPort: 443, sequenceNumber: 7,
                                                         acknowledgmentNumber: 9, flags: [.ack])))
        frames.append(tcp.build(payload: Array(repeating: 0x17, count: 1_200)))
        frames.append(tcp.build(payload: []))
        // ARP who-has 192.0.2.20 tell 192.0.2.10.
        var arp: [UInt8] = []
        EthernetHeader(destination: 0xFFFF_FFFF_FFFF, source: 0x0200_0000_0009, etherType: 0x0806).encode(into: &arp)
        frames.append(arp + [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 9, 192, 0, 2, 10, 0, 0, 0, 0, 0, 0, 192, 0, 2, 20])
        prebuilt = frames
    }

    /// One in four noise frames is a DNS query; the rest are the prebuilt TCP and ARP frames.
    func frame(_ random: UInt64) -> [UInt8] {
        let pick = Int(random % 4)
        guard pick == 3 else { return prebuilt[pick] }
        var query = FrameBuilder.udp(from: resolver, UInt16(49_152 + (random >> 8) % 16_384), to: server, 53)
        query.ttl = 64
        let transactionID = UInt16(truncatingIfNeeded: random >> 32)
        return query.build(payload: [UInt8(transactionID >> 8), UInt8(transactionID & 0xFF), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
            + question)
    }
}

/// A binary min-heap of (time, index): the next transmitter of many sessions.
struct TimerQueue {
    private var items: [(time: Int64, index: Int)] = []

    mutating func push(_ time: Int64, _ index: Int) {
        items.append((time, index))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].time < items[parent].time else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Int64, Int)? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].time < items[smallest].time { smallest = left }
                if right < items.count, items[right].time < items[smallest].time { smallest = right }
                guard smallest != parent else { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (top.time, top.index)
    }
}
