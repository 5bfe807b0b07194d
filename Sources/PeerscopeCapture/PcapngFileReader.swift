import PeerscopeWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One Interface Description Block of a pcapng section (pcapng draft §4.2).
public struct CaptureInterface: Sendable, Hashable {
    public var linkType: LinkType
    public var snaplen: UInt32
    /// `if_name` (option 2), e.g. `eth0` or a router's `ge-0/0/1`.
    public var name: String?
    /// `if_description` (option 3).
    public var description: String?
    /// `if_tsresol` (option 9): MSB clear, 10^-n s per tick; MSB set, 2^-n. Default 6 (µs).
    public var timestampResolution: UInt8 = 6
    /// `if_tsoffset` (option 14): seconds added to every timestamp.
    public var timestampOffsetSeconds: Int64 = 0
}

/// Reads pcapng blocks in Swift rather than through libpcap, because libpcap (1.10 in Debian)
/// applies the first interface's link type to every packet and refuses a packet of an interface
/// with another link type, which routers and Wireshark write (several interfaces, each with its
/// own link type and timestamp resolution). Keeps what libpcap drops: packet comments
/// (`opt_comment`) and interface names. Every length is checked against the block that holds it.
final class PcapngFileReader {
    /// Blocks longer than this are refused as corrupt rather than allocated (libpcap's own
    /// bound is 16 MiB; a 1 GiB length field must not allocate a gigabyte).
    static let maximumBlockLength = 16 * 1024 * 1024

    private let file: UnsafeMutablePointer<FILE>
    private var littleEndian = true
    /// The current block; grown as needed and never shrunk, so a packet's bytes stay put until
    /// the next block is read.
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    private var blockLength = 0
    private(set) var interfaces: [CaptureInterface] = []
    /// A Simple Packet Block has no timestamp: it takes the previous packet's.
    private var lastTimestamp: Int64 = 0

    /// The reader takes ownership of `file` (closed on deinit).
    init(file: UnsafeMutablePointer<FILE>) {
        self.file = file
    }

    deinit {
        fclose(file)
        storage.deallocate()
    }

    /// Bytes of the file consumed so far (progress displays).
    var offset: Int64 { Int64(ftello(file)) }

    /// A packet: the bytes are valid until the next call.
    struct Packet {
        var interface: Int
        var timestampNanoseconds: Int64
        var capturedLength: Int
        var originalLength: Int
        var dataOffset: Int
        var comments: [String]
        /// The timestamp did not fit in Int64 nanoseconds and was saturated.
        var timestampSaturated = false
    }

    enum ReadError: Error { case corrupt(String) }

    /// Reads blocks up to the next packet; nil at a clean end of file. The packet's bytes are
    /// `bytes(of:)` until the next call.
    func nextPacket() throws(ReadError) -> Packet? {
        while true {
            guard let type = try readBlock() else { return nil }
            switch type {
            case 0x0A0D_0D0A: try sectionHeader()
            case 1: try interfaceDescription()
            case 6: return try enhancedPacket()
            case 3: return try simplePacket()
            case 2: return try obsoletePacket()
            default: continue  // Name resolution, statistics, custom, decryption secrets …: not frames.
            }
        }
    }

    /// Reads the section header and the blocks up to the first interface description, which
    /// must come before any packet (pcapng §4.2), and returns that interface.
    func firstInterface() throws(ReadError) -> CaptureInterface {
        while let type = try readBlock() {
            switch type {
            case 0x0A0D_0D0A: try sectionHeader()
            case 1:
                try interfaceDescription()
                return interfaces[0]
            case 2, 3, 6: throw .corrupt("a packet block comes before any interface description")
            default: continue
            }
        }
        throw .corrupt("no interface description block")
    }

    func bytes(of packet: Packet) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[packet.dataOffset..<(packet.dataOffset + packet.capturedLength)])
    }

    // MARK: blocks

    /// Reads a whole block into `storage` (type, length, body, trailing length) and returns its type.
    private func readBlock() throws(ReadError) -> UInt32? {
        let got = fread(storage.baseAddress!, 1, 8, file)
        if got == 0 { return nil }
        guard got == 8 else { throw .corrupt("file ends inside a block header") }
        var headLength = 8
        if storage[0] == 0x0A, storage[1] == 0x0D, storage[2] == 0x0D, storage[3] == 0x0A {
            // A new section may switch byte order: its magic decides how to read the length.
            guard fread(storage.baseAddress! + 8, 1, 4, file) == 4 else { throw .corrupt("file ends inside a section header") }
            switch (storage[8], storage[9], storage[10], storage[11]) {
            case (0x4D, 0x3C, 0x2B, 0x1A): littleEndian = true
            case (0x1A, 0x2B, 0x3C, 0x4D): littleEndian = false
            default: throw .corrupt("section header with an unknown byte-order magic")
            }
            headLength = 12
        }
        blockLength = 0
        let type = u32(0)
        let length = Int(u32(4))
        guard length >= 12, length % 4 == 0, length >= headLength + 4 else {
            throw .corrupt("block of type \(type) with an invalid length \(length)")
        }
        guard length <= Self.maximumBlockLength else {
            throw .corrupt("block of type \(type) claims \(length) bytes (more than \(Self.maximumBlockLength))")
        }
        if length > storage.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, storage.count * 2), alignment: 8)
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<headLength]))
            storage.deallocate()
            storage = larger
        }
        let rest = length - headLength
        let read = fread(storage.baseAddress! + headLength, 1, rest, file)
        guard read == rest else { throw .corrupt("file ends mid-block (\(read) of \(rest) bytes)") }
        blockLength = length
        guard u32(length - 4) == UInt32(length) else {
            throw .corrupt("block of type \(type): trailing length differs from the leading one")
        }
        return type
    }

    private func sectionHeader() throws(ReadError) {
        guard blockLength >= 28 else { throw .corrupt("section header too short") }
        guard u16(12) == 1 else { throw .corrupt("unsupported pcapng major version \(u16(12))") }
        // Interface IDs are per section.
        interfaces.removeAll()
    }

    private func interfaceDescription() throws(ReadError) {
        guard blockLength >= 20 else { throw .corrupt("interface description too short") }
        var interface = CaptureInterface(linkType: LinkType(dlt: Int32(u16(8))), snaplen: u32(12))
        for (code, value) in try options(from: 16) {
            switch code {
            case 2: interface.name = text(value)
            case 3: interface.description = text(value)
            case 9 where value.count >= 1: interface.timestampResolution = storage[value.lowerBound]
            case 14 where value.count >= 8: interface.timestampOffsetSeconds = Int64(bitPattern: u64(value.lowerBound))
            default: break
            }
        }
        interfaces.append(interface)
    }

    private func enhancedPacket() throws(ReadError) -> Packet {
        guard blockLength >= 32 else { throw .corrupt("enhanced packet block too short") }
        let id = Int(u32(8))
        let ticks = UInt64(u32(12)) << 32 | UInt64(u32(16))
        return try packet(interface: id, ticks: ticks, captured: u32(20), original: u32(24), dataOffset: 28)
    }

    private func obsoletePacket() throws(ReadError) -> Packet {
        guard blockLength >= 32 else { throw .corrupt("packet block too short") }
        let ticks = UInt64(u32(12)) << 32 | UInt64(u32(16))
        return try packet(interface: Int(u16(8)), ticks: ticks, captured: u32(20), original: u32(24),
                          dataOffset: 28)
    }

    private func simplePacket() throws(ReadError) -> Packet {
        guard blockLength >= 16, let first = interfaces.first else {
            throw .corrupt("simple packet block before any interface")
        }
        // pcapng §4.4: the captured length is the original length cut at the snaplen and the block.
        let original = u32(8)
        var captured = min(Int(original), blockLength - 16)
        if first.snaplen > 0 { captured = min(captured, Int(first.snaplen)) }
        return Packet(interface: 0, timestampNanoseconds: lastTimestamp, capturedLength: captured,
                      originalLength: Int(original), dataOffset: 12, comments: [])
    }

    private func packet(interface id: Int, ticks: UInt64, captured: UInt32, original: UInt32,
                        dataOffset: Int) throws(ReadError) -> Packet {
        guard id < interfaces.count else { throw .corrupt("packet for interface \(id), but only \(interfaces.count) described") }
        let interface = interfaces[id]
        let available = blockLength - 4 - dataOffset
        guard Int(captured) <= available else {
            throw .corrupt("packet claims \(captured) captured bytes, its block holds \(available)")
        }
        let time = CaptureTimestamp.nanoseconds(ticks: ticks, resolution: interface.timestampResolution,
                                                offsetSeconds: interface.timestampOffsetSeconds)
        lastTimestamp = time.value
        var comments: [String] = []
        let optionsStart = dataOffset + (Int(captured) + 3) / 4 * 4
        if optionsStart < blockLength - 4 {
            for (code, value) in try options(from: optionsStart) where code == 1 { comments.append(text(value)) }
        }
        return Packet(interface: id, timestampNanoseconds: time.value, capturedLength: Int(captured),
                      originalLength: Int(original), dataOffset: dataOffset, comments: comments,
                      timestampSaturated: time.saturated)
    }

    // MARK: fields

    /// The options from `start` to the trailing length: (code, value range), stopping at opt_endofopt.
    private func options(from start: Int) throws(ReadError) -> [(UInt16, Range<Int>)] {
        var result: [(UInt16, Range<Int>)] = []
        var offset = start
        let end = blockLength - 4
        while offset + 4 <= end {
            let code = u16(offset)
            let length = Int(u16(offset + 2))
            if code == 0 { break }
            guard offset + 4 + length <= end else { throw .corrupt("option \(code) runs past its block") }
            result.append((code, (offset + 4)..<(offset + 4 + length)))
            offset += 4 + (length + 3) / 4 * 4
        }
        return result
    }

    /// Option strings are UTF-8 (pcapng §3.5), sometimes NUL-terminated by their writer.
    private func text(_ range: Range<Int>) -> String {
        String(decoding: storage[range].prefix { $0 != 0 }, as: UTF8.self)
    }

    private func u16(_ at: Int) -> UInt16 {
        let raw = storage.loadUnaligned(fromByteOffset: at, as: UInt16.self)
        return littleEndian ? UInt16(littleEndian: raw) : UInt16(bigEndian: raw)
    }

    private func u32(_ at: Int) -> UInt32 {
        let raw = storage.loadUnaligned(fromByteOffset: at, as: UInt32.self)
        return littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
    }

    private func u64(_ at: Int) -> UInt64 {
        littleEndian ? UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 : UInt64(u32(at)) << 32 | UInt64(u32(at + 4))
    }
}
