import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeFuzzHarness
import PeerscopeWire

/// PEERSCOPE_FUZZ_TARGET=seeds PEERSCOPE_FUZZ_SEEDS=CAPTURES_DIR:CORPUS_DIR peerscope-fuzz cuts
/// every capture under CAPTURES_DIR into the seed inputs of each fuzz target (CORPUS_DIR/TARGET/).
/// Deterministic: names are content hashes, so running it twice writes the same files. (A mode of
/// the fuzz binary, because a second executable with its own `main` cannot link against libFuzzer.)
struct SeedWriter {
    static func run(captures: String, corpus: String) throws {
        var writer = SeedWriter(root: URL(fileURLWithPath: corpus))
        let files = FileManager.default.enumerator(atPath: captures)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted() ?? []
        for file in files { try writer.add(capture: captures + "/" + file) }
        for (target, count) in writer.written.sorted(by: { $0.key < $1.key }) { print("\(target): \(count) seeds") }
    }

    let root: URL
    var written: [String: Int] = [:]

    init(root: URL) { self.root = root }

    mutating func write(_ target: FuzzTarget, _ bytes: [UInt8]) throws {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let directory = root.appendingPathComponent(target.rawValue)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("seed-" + String(hash, radix: 16))
        if !FileManager.default.fileExists(atPath: url.path) { written[target.rawValue, default: 0] += 1 }
        try Data(bytes).write(to: url)
    }

    struct Direction: Hashable {
        var source: IPAddress, sourcePort: UInt16, destination: IPAddress, destinationPort: UInt16
    }

    mutating func add(capture path: String) throws {
        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try write(.captureReader, whole)
        try write(.analysis, whole)
        guard let reader = try? CaptureReader(path: path) else { return }
        var dissection = Dissection()
        var framers: [Direction: BGPFramer] = [:]
        var programs: [Direction: [UInt8]] = [:]
        var bfdProgram = bfdEndpointSetup
        var speakerProgram: [UInt8] = [0, 0, 0, 0xFD, 0xE9, 0, 90, 6, 0]  // AS 65001, hold 90, tcpConnected
        var frames = 0
        var lastTime: Int64?
        while let frame = try? reader.next() {
            frames += 1
            if frames <= 256, let selector = DissectorInput.byte(linkType: frame.linkType, snapped: frame.isTruncated) {
                try write(.dissector, [selector] + Array(frame.bytes))
            }
            let decoded = FrameDecoder.decode(frame, into: &dissection)
            let payload = Array(frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
            switch decoded {
            case .bfdControl, .bfdMalformed:
                if written[FuzzTarget.bfd.rawValue, default: 0] < 400 { try write(.bfd, payload) }
                if bfdProgram.count < 16_384 {
                    // time passes as it did in the capture, then the packet arrives (ops 3 and 0).
                    let delta = UInt32(clamping: max(0, frame.timestampNanoseconds - (lastTime ?? frame.timestampNanoseconds)) / 1_000)
                    bfdProgram += [3]
                    bfdProgram.appendUInt32(delta)
                    bfdProgram += [0, UInt8(clamping: payload.count)] + payload.prefix(255) + [dissection.network?.ttl ?? 255]
                    lastTime = frame.timestampNanoseconds
                }
            case .bgpSegment(let tcp):
                guard let network = dissection.network else { continue }
                let direction = Direction(source: network.source, sourcePort: tcp.sourcePort,
                                          destination: network.destination, destinationPort: tcp.destinationPort)
                // The connection is named by its lower endpoint; segments from the other one are "from server".
                let fromServer = (network.destination, tcp.destinationPort) < (network.source, tcp.sourcePort)
                let connection = fromServer
                    ? Direction(source: network.destination, sourcePort: tcp.destinationPort,
                                destination: network.source, destinationPort: tcp.sourcePort)
                    : direction
                programs[connection, default: TCPSegmentProgram.header(bufferLimitExponent: 14)] +=
                    TCPSegmentProgram.segment(fromServer: fromServer, flags: tcp.flags.rawValue, sequence: tcp.sequenceNumber,
                                              acknowledgment: tcp.acknowledgmentNumber, payload: payload)
                framers[direction, default: BGPFramer()].append(payload)
                while let message = framers[direction]?.next() {
                    if written[FuzzTarget.bgpMessage.rawValue, default: 0] < 600 {
                        try write(.bgpMessage, [0x01] + message)
                        try write(.roundTrip, [0x01] + message)
                    }
                    if !fromServer, speakerProgram.count < 16_384 {
                        speakerProgram += [0]
                        speakerProgram.appendUInt16(UInt16(message.count))
                        speakerProgram += message
                    }
                }
            case .bfdEcho, .otherUDP, .otherTCP, .otherIP, .notIP, .undecodable:
                break
            }
        }
        for program in programs.values { try write(.tcpBGP, Array(program.prefix(1 << 20))) }
        if bfdProgram.count > bfdEndpointSetup.count { try write(.bfdEndpoint, bfdProgram) }
        if speakerProgram.count > 9 { try write(.bgpSpeaker, speakerProgram) }
    }

    /// Active endpoint, discriminator 1, 300 ms timers, multiplier 3, no echo.
    let bfdEndpointSetup: [UInt8] = [0, 0, 0, 0, 1, 0, 0x04, 0x93, 0xE0, 0, 0x04, 0x93, 0xE0, 3, 0, 0]
}
