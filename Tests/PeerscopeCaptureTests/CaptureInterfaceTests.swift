import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// tshark's view of a file, one row per frame: the independent oracle for numbering, time,
/// interface names, comments and link types.
private func tsharkRows(_ path: String) throws -> [[String]] {
    let candidates = ["/usr/bin/tshark", "/usr/local/bin/tshark"]
    let tshark = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "tshark not installed")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tshark)
    process.arguments = ["-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.time_epoch",
                         "-e", "frame.interface_name", "-e", "frame.comment", "-e", "frame.encap_type"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
        $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }
}

/// "1700000000.123456789" → nanoseconds, without floating point.
private func epochNanoseconds(_ text: String) -> Int64? {
    let parts = text.split(separator: ".")
    guard let seconds = Int64(parts[0]) else { return nil }
    let fraction = parts.count > 1 ? String(parts[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0) : "0"
    return Int64(fraction).map { seconds * 1_000_000_000 + $0 }
}

private struct ReadFrame {
    var number: Int
    var time: Int64
    var linkType: LinkType
    var interfaceName: String?
    var comments: [String]
    var bytes: [UInt8]
}

private func read(_ path: String, filter: String? = nil) throws -> (CaptureReader, [ReadFrame]) {
    let reader = try CaptureReader(path: path, filter: filter)
    var frames: [ReadFrame] = []
    while let frame = try reader.next() {
        frames.append(ReadFrame(number: frame.number, time: frame.timestampNanoseconds, linkType: frame.linkType,
                                interfaceName: frame.interfaceName, comments: frame.comments, bytes: Array(frame.bytes)))
    }
    return (reader, frames)
}

@Suite("pcapng interfaces, comments, resolutions and damaged records")
struct CaptureInterfaceTests {
    let ethernet = FrameBuilder.udp(from: .v4(IPv4Address(192, 0, 2, 1)), 49_152, to: .v4(IPv4Address(192, 0, 2, 2)), 3784)
        .build(payload: BFDControlPacket(state: .up, myDiscriminator: 1).encoded)
    let raw = udpFrame(port: 3784, payload: BFDControlPacket(state: .up, myDiscriminator: 2).encoded)
    var sll: [UInt8] {
        var builder = FrameBuilder.udp(from: .v4(IPv4Address(192, 0, 2, 3)), 49_153, to: .v4(IPv4Address(192, 0, 2, 4)), 3784)
        builder.link = .linuxSLL(packetType: 0, address: 0x0200_0000_0003)
        return builder.build(payload: BFDControlPacket(state: .down, myDiscriminator: 3).encoded)
    }

    /// Three interfaces as a router or Wireshark writes them: Ethernet at the default µs, raw IP
    /// at ns, Linux SLL at 2^-20 s per tick, with names; packets on each, some with comments.
    func routerFile(bigEndian: Bool) -> CaptureFileBuilder {
        var file = CaptureFileBuilder(bigEndian: bigEndian)
        file.section()
        file.interface(linkType: 1, name: "ge-0/0/1", resolution: nil)
        file.interface(linkType: 101, name: "lo0", resolution: 9)
        file.interface(linkType: 113, name: "any", resolution: 0x80 | 20)
        file.packet(interface: 0, ticks: 1_700_000_000_123_456, data: ethernet, comments: ["first, from the router"])
        file.packet(interface: 1, ticks: 1_700_000_000_223_456_789, data: raw)
        file.packet(interface: 2, ticks: (1_700_000_001 << 20) | 524_288, data: sll, comments: ["half a second"])
        file.packet(interface: 1, ticks: 1_700_000_002_000_000_001, data: raw, comments: ["one", "two"])
        return file
    }

    @Test("several interfaces: each frame has its own link type, resolution and name, as tshark reads them",
          arguments: [false, true])
    func severalInterfaces(bigEndian: Bool) throws {
        let file = TemporaryFile("router.pcapng")
        try routerFile(bigEndian: bigEndian).write(to: file.path)
        let (reader, frames) = try read(file.path)
        let rows = try tsharkRows(file.path)
        try #require(rows.count == 4, "tshark read \(rows.count) frames")
        #expect(frames.count == 4)
        #expect(reader.interfaces.map(\.name) == ["ge-0/0/1", "lo0", "any"])
        for (frame, row) in zip(frames, rows) {
            #expect(String(frame.number) == row[0])
            #expect(frame.time == epochNanoseconds(row[1]), "frame \(frame.number): tshark says \(row[1])")
            #expect(frame.interfaceName == row[2])
            #expect(frame.comments.joined(separator: ",") == row[3])
            // Wireshark's encapsulation numbers: 1 Ethernet, 7 raw IP, 25 Linux cooked.
            let expected: LinkType? = ["1": .ethernet, "7": .raw, "25": .linuxSLL][row[4]]
            #expect(frame.linkType == expected)
        }
        #expect(frames.map(\.bytes) == [ethernet, raw, sll, raw])
    }

    @Test("if_tsresol powers of ten and of two and if_tsoffset give tshark's times",
          arguments: [0, 3, 6, 9, 12, 0x80 | 10, 0x80 | 32, 0x80 | 40] as [UInt8])
    func resolutions(resolution: UInt8) throws {
        let file = TemporaryFile("res.pcapng")
        var builder = CaptureFileBuilder()
        builder.section()
        builder.interface(linkType: 101, name: "x", resolution: resolution, offsetSeconds: 1_000)
        for ticks: UInt64 in [1_700_000_123, 3_000_000_456, 1 << 32 | 12_345] {
            builder.packet(interface: 0, ticks: ticks, data: raw)
        }
        try builder.write(to: file.path)
        let (_, frames) = try read(file.path)
        let rows = try tsharkRows(file.path)
        try #require(rows.count == 3)
        for (frame, row) in zip(frames, rows) {
            // tshark prints 9 decimals, truncated below 1 ns as we do.
            #expect(frame.time == epochNanoseconds(row[1]), "resolution \(resolution): ours \(frame.time), tshark \(row[1])")
        }
    }

    @Test("big-endian classic pcap, µs and ns, read like tshark reads it", arguments: [false, true])
    func bigEndianPcap(nanosecond: Bool) throws {
        let file = TemporaryFile("be.pcap")
        var builder = CaptureFileBuilder(bigEndian: true)
        builder.pcapHeader(nanosecond: nanosecond, linkType: 101)
        builder.pcapRecord(seconds: 1_700_000_000, fraction: 123_456, data: raw)
        builder.pcapRecord(seconds: 1_700_000_001, fraction: 999_999, data: raw)
        try builder.write(to: file.path)
        let (reader, frames) = try read(file.path)
        let rows = try tsharkRows(file.path)
        #expect(reader.resolution == (nanosecond ? .nanoseconds : .microseconds))
        #expect(frames.map { String($0.number) } == rows.map { $0[0] })
        #expect(frames.map(\.time) == rows.map { epochNanoseconds($0[1]) })
        #expect(frames.map(\.bytes) == [raw, raw])
    }

    @Test("a filter keeps the file's frame numbers and time origin; one matching nothing is counted")
    func filterKeepsNumbers() throws {
        let file = TemporaryFile("filter.pcapng")
        var builder = CaptureFileBuilder()
        builder.section()
        builder.interface(linkType: 101, name: nil, resolution: 9)
        builder.packet(interface: 0, ticks: 1_000, data: udpFrame(port: 53, payload: [1, 2, 3]))
        builder.packet(interface: 0, ticks: 2_000, data: udpFrame(port: 53, payload: [4]))
        builder.packet(interface: 0, ticks: 3_000, data: raw)
        try builder.write(to: file.path)
        let (reader, frames) = try read(file.path, filter: "udp port 3784")
        // tshark -Y numbers frames the same way: frame 3 stays frame 3.
        let rows = try tsharkRows(file.path)
        #expect(frames.map(\.number) == [3])
        #expect(rows.last?[0] == "3")
        #expect(reader.originNanoseconds == 1_000, "relative times count from the file's first record")
        #expect(reader.framesRead == 3)
        let (none, nothing) = try read(file.path, filter: "tcp port 179")
        #expect(nothing.isEmpty)
        #expect(none.framesMatched == 0)
        #expect(none.framesRead == 3)
        // The same through libpcap for classic pcap.
        let classic = TemporaryFile("filter.pcap")
        do {
            let writer = try CaptureWriter(path: classic.path, format: .pcap, linkType: .raw)
            writer.write(timestampNanoseconds: 5_000, bytes: udpFrame(port: 53, payload: [1]))
            writer.write(timestampNanoseconds: 6_000, bytes: raw)
        }
        let (classicReader, classicFrames) = try read(classic.path, filter: "udp port 3784")
        #expect(classicFrames.map(\.number) == [2])
        #expect(classicReader.originNanoseconds == 5_000)
    }

    @Test("timestamps past 2262 and huge resolutions saturate instead of trapping")
    func extremeTimestamps() throws {
        let file = TemporaryFile("far.pcapng")
        var builder = CaptureFileBuilder()
        builder.section()
        builder.interface(linkType: 101, name: nil, resolution: 0)        // seconds per tick
        builder.interface(linkType: 101, name: nil, resolution: 0x80 | 0) // 2^0 s per tick
        builder.interface(linkType: 101, name: nil, resolution: 127)      // 10^-127 s per tick
        builder.packet(interface: 0, ticks: 1 << 40, data: raw)            // year ~34,000
        builder.packet(interface: 1, ticks: .max, data: raw)
        builder.packet(interface: 2, ticks: .max, data: raw)
        builder.packet(interface: 0, ticks: 0, data: raw)
        try builder.write(to: file.path)
        let (reader, frames) = try read(file.path)
        #expect(frames.map(\.time) == [.max, .max, 0, 0])
        #expect(reader.saturatedTimestamps == 2)
        #expect(reader.timeReversals == 1)
        // Classic pcap: the fields are unsigned 32-bit (Wireshark reads 2^31 s as 2038, not 1901);
        // the largest second count and a fraction ≥ 10^9 ns stay finite.
        let classic = TemporaryFile("far.pcap")
        var pcap = CaptureFileBuilder()
        pcap.pcapHeader(nanosecond: true, linkType: 101)
        pcap.pcapRecord(seconds: .max, fraction: .max, data: raw)
        pcap.pcapRecord(seconds: 0x8000_0000, fraction: 5, data: raw)
        pcap.pcapRecord(seconds: 0, fraction: 0, data: raw)
        try pcap.write(to: classic.path)
        let (classicReader, classicFrames) = try read(classic.path)
        #expect(classicFrames.map(\.time) == [4_294_967_295_000_000_000 + 4_294_967_295, 2_147_483_648_000_000_005, 0])
        let rows = try tsharkRows(classic.path)
        #expect(epochNanoseconds(rows[1][1]) == classicFrames[1].time, "tshark says \(rows[1][1])")
        #expect(classicReader.timeReversals == 2)
    }

    @Test("caplen > len, len 0 and caplen > snaplen are read and counted, not trapped on")
    func inconsistentLengths() throws {
        let file = TemporaryFile("lengths.pcapng")
        var builder = CaptureFileBuilder()
        builder.section()
        builder.interface(linkType: 101, snaplen: 16, name: nil, resolution: 9)
        builder.packet(interface: 0, ticks: 1, data: raw, originalLength: 10)   // caplen > len and > snaplen
        builder.packet(interface: 0, ticks: 2, data: raw, originalLength: 0)    // len 0
        builder.packet(interface: 0, ticks: 3, data: Array(raw.prefix(16)), originalLength: UInt32(raw.count))
        try builder.write(to: file.path)
        let reader = try CaptureReader(path: file.path)
        var originals: [Int] = []
        while let frame = try reader.next() {
            originals.append(frame.originalLength)
            #expect(frame.originalLength >= frame.capturedLength)
        }
        #expect(originals == [raw.count, raw.count, raw.count])
        #expect(reader.inconsistentRecords == 2)
    }

    @Test("a 1 GiB block length is a read error after the good frames, not an allocation")
    func hugeBlockLength() throws {
        let file = TemporaryFile("huge.pcapng")
        var builder = CaptureFileBuilder()
        builder.section()
        builder.interface(linkType: 101, name: nil, resolution: 9)
        builder.packet(interface: 0, ticks: 1, data: raw)
        builder.rawBlock(type: 6, claimedLength: 1 << 30, body: Array(repeating: 0, count: 64))
        try builder.write(to: file.path)
        let reader = try CaptureReader(path: file.path)
        #expect(try reader.next() != nil)
        #expect(throws: CaptureError.self) { try reader.next() }
    }

    @Test("a packet for an interface never described is a read error, not an out-of-range index")
    func unknownInterface() throws {
        let file = TemporaryFile("noif.pcapng")
        var builder = CaptureFileBuilder()
        builder.section()
        builder.interface(linkType: 101, name: nil, resolution: 9)
        builder.packet(interface: 7, ticks: 1, data: raw)
        try builder.write(to: file.path)
        let reader = try CaptureReader(path: file.path)
        #expect(throws: CaptureError.self) { try reader.next() }
    }

    @Test("every prefix of a pcapng file reads without trapping: frames, then at most an error")
    func everyPrefix() throws {
        let whole = routerFile(bigEndian: false).bytes
        let file = TemporaryFile("prefix.pcapng")
        for length in stride(from: 4, to: whole.count, by: 3) {
            try Data(whole.prefix(length)).write(to: URL(fileURLWithPath: file.path))
            guard let reader = try? CaptureReader(path: file.path) else { continue }
            var count = 0
            do { while try reader.next() != nil { count += 1 } } catch {}
            #expect(count <= 4)
        }
    }
}

