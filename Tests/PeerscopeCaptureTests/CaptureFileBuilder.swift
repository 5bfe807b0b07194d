import Foundation

/// Writes pcap and pcapng bytes field by field, independently of `CaptureWriter` and of the
/// reader under test, in either byte order, following the pcapng draft (IETF opsawg) and the
/// classic pcap header layout.
struct CaptureFileBuilder {
    var bigEndian = false
    private(set) var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes += bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    mutating func u32(_ value: UInt32) {
        if bigEndian {
            u16(UInt16(value >> 16)); u16(UInt16(value & 0xFFFF))
        } else {
            u16(UInt16(value & 0xFFFF)); u16(UInt16(value >> 16))
        }
    }

    /// pcapng options: (code, value) pairs each padded to 4 bytes, then opt_endofopt.
    static func options(_ options: [(UInt16, [UInt8])], bigEndian: Bool) -> [UInt8] {
        guard !options.isEmpty else { return [] }
        var builder = CaptureFileBuilder(bigEndian: bigEndian)
        for (code, value) in options {
            builder.u16(code)
            builder.u16(UInt16(value.count))
            builder.bytes += value + Array(repeating: 0, count: (4 - value.count % 4) % 4)
        }
        builder.u32(0)
        return builder.bytes
    }

    private mutating func block(_ type: UInt32, _ body: [UInt8]) {
        let length = UInt32(12 + body.count)
        u32(type)
        u32(length)
        bytes += body
        u32(length)
    }

    // MARK: pcapng

    mutating func section() {
        var body = CaptureFileBuilder(bigEndian: bigEndian)
        body.u32(0x1A2B_3C4D)
        body.u16(1)
        body.u16(0)
        body.u32(0xFFFF_FFFF)
        body.u32(0xFFFF_FFFF)
        block(0x0A0D_0D0A, body.bytes)
    }

    /// An Interface Description Block; `resolution` nil leaves if_tsresol out (µs by default).
    mutating func interface(linkType: UInt16, snaplen: UInt32 = 262_144, name: String?, resolution: UInt8? = nil,
                            offsetSeconds: Int64? = nil) {
        var body = CaptureFileBuilder(bigEndian: bigEndian)
        body.u16(linkType)
        body.u16(0)
        body.u32(snaplen)
        var options: [(UInt16, [UInt8])] = []
        if let name { options.append((2, Array(name.utf8))) }
        if let resolution { options.append((9, [resolution])) }
        if let offsetSeconds {
            var value = CaptureFileBuilder(bigEndian: bigEndian)
            value.u32(UInt32(truncatingIfNeeded: bigEndian ? offsetSeconds >> 32 : offsetSeconds))
            value.u32(UInt32(truncatingIfNeeded: bigEndian ? offsetSeconds : offsetSeconds >> 32))
            options.append((14, value.bytes))
        }
        block(1, body.bytes + Self.options(options, bigEndian: bigEndian))
    }

    /// An Enhanced Packet Block with raw timestamp ticks and optional comments.
    mutating func packet(interface: UInt32, ticks: UInt64, data: [UInt8], originalLength: UInt32? = nil,
                         comments: [String] = []) {
        var body = CaptureFileBuilder(bigEndian: bigEndian)
        body.u32(interface)
        body.u32(UInt32(ticks >> 32))
        body.u32(UInt32(ticks & 0xFFFF_FFFF))
        body.u32(UInt32(data.count))
        body.u32(originalLength ?? UInt32(data.count))
        body.bytes += data + Array(repeating: 0, count: (4 - data.count % 4) % 4)
        block(6, body.bytes + Self.options(comments.map { (1, Array($0.utf8)) }, bigEndian: bigEndian))
    }

    /// Any block, with a length field that may lie (`claimedLength`).
    mutating func rawBlock(type: UInt32, claimedLength: UInt32, body: [UInt8]) {
        u32(type)
        u32(claimedLength)
        bytes += body
    }

    // MARK: classic pcap

    /// A classic pcap header: `nanosecond` chooses the magic 0xA1B23C4D over 0xA1B2C3D4.
    mutating func pcapHeader(nanosecond: Bool, linkType: UInt32, snaplen: UInt32 = 262_144) {
        u32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        u16(2)
        u16(4)
        u32(0)
        u32(0)
        u32(snaplen)
        u32(linkType)
    }

    mutating func pcapRecord(seconds: UInt32, fraction: UInt32, data: [UInt8], originalLength: UInt32? = nil) {
        u32(seconds)
        u32(fraction)
        u32(UInt32(data.count))
        u32(originalLength ?? UInt32(data.count))
        bytes += data
    }

    func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
