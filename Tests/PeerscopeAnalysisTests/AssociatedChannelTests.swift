import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire
import Testing

/// BFD over the MPLS G-ACh: Ethernet, a label stack (the GAL, label 13, at the bottom for
/// MPLS-TP; a PW label for VCCV), the ACH, then BFD with no IP or UDP header.
private func achFrame(labels: [UInt32], channelType: UInt16, discriminator: UInt32, trailer: [UInt8] = []) -> [UInt8] {
    var frame: [UInt8] = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0x47]
    for (index, label) in labels.enumerated() {
        MPLSLabelStackEntry(label: label, bottomOfStack: index == labels.count - 1, ttl: 255).encode(into: &frame)
    }
    AssociatedChannelHeader(channelType: channelType).encode(into: &frame)
    return frame + BFDControlPacket(state: .up, myDiscriminator: discriminator, yourDiscriminator: 7).encoded + trailer
}

/// tshark's BFD fields for each frame of `path` (empty when it saw no BFD).
private func tsharkBFD(_ path: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/tshark")
    process.arguments = ["-r", path, "-T", "fields", "-E", "separator=|", "-e", "bfd.my_discriminator",
                         "-e", "bfd.your_discriminator", "-e", "bfd.sta"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

@Suite("BFD over MPLS G-ACh (RFC 5885 VCCV, RFC 6428 MPLS-TP)")
struct AssociatedChannelTests {
    /// Channel types from IANA's G-ACh registry: 0x0007 BFD without IP (RFC 5885), 0x0022 / 0x0023
    /// MPLS-TP CC / CV (RFC 6428, CV followed by a Source MEP-ID TLV).
    static let cases: [(labels: [UInt32], type: UInt16, trailer: [UInt8])] = [
        ([1_000], 0x0007, []),
        ([1_000, 13], 0x0022, []),
        ([1_000, 13], 0x0023, [0, 1, 0, 4, 0, 0, 0, 9]),
    ]

    @Test("decoded as BFD control, with the discriminators tshark reads", arguments: 0..<3)
    func decodedAsBFD(index: Int) throws {
        let (labels, type, trailer) = Self.cases[index]
        let bytes = achFrame(labels: labels, channelType: type, discriminator: UInt32(100 + index), trailer: trailer)
        let file = NSTemporaryDirectory() + "peerscope-ach-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            let writer = try CaptureWriter(path: file, format: .pcap, linkType: .ethernet)
            writer.write(timestampNanoseconds: 1_000, bytes: bytes)
        }
        let reader = try CaptureReader(path: file)
        let frame = try #require(try reader.next())
        var dissection = Dissection()
        guard case .bfdControl(let packet, _) = FrameDecoder.decode(frame, into: &dissection) else {
            Issue.record("channel type \(type): not decoded as BFD control")
            return
        }
        #expect(dissection.encapsulation.all.contains(.associatedChannel(channelType: type)))
        let tshark = try tsharkBFD(file)
        try #require(tshark.count == 1)
        #expect(tshark[0] == "0x\(String(packet.myDiscriminator, radix: 16).leftPadded(8))|0x\(String(packet.yourDiscriminator, radix: 16).leftPadded(8))|0x03",
                "tshark reads \(tshark[0])")
    }

    @Test("VCCV with IP/UDP headers (ACH channel type 0x0021, RFC 5885 §3.2) goes on to IPv4 and UDP")
    func vccvWithIP() throws {
        var builder = FrameBuilder.udp(from: .v4(IPv4Address(10, 0, 0, 1)), 49_152, to: .v4(IPv4Address(127, 0, 0, 1)), 3784)
        builder.link = .raw
        let ip = builder.build(payload: BFDControlPacket(state: .up, myDiscriminator: 9).encoded)
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0x47]
        MPLSLabelStackEntry(label: 1_000, bottomOfStack: true).encode(into: &frame)
        AssociatedChannelHeader(channelType: 0x0021).encode(into: &frame)
        let dissection = try dissect(frame + ip, .ethernet)
        guard case .udp(let udp) = dissection.transport else {
            Issue.record("not UDP: \(dissection.transport)")
            return
        }
        #expect(udp.destinationPort == 3784)
        #expect(dissection.encapsulation.path == "eth/mpls 1000/ach 0x0021/ip/udp")
    }

    @Test("an ACH with another channel type or version is not BFD, and is never a trap")
    func otherChannels() throws {
        var bytes = achFrame(labels: [13], channelType: 0x000A, discriminator: 1)
        #expect(try dissect(bytes, .ethernet).transport == .associatedChannel(channelType: 0x000A))
        bytes[18] = 0x11  // version 1
        #expect(throws: WireError.self) { try dissect(bytes, .ethernet) }
        for length in 0..<bytes.count {
            _ = try? dissect(Array(bytes.prefix(length)), .ethernet)
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
