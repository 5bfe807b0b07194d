import PeerscopeWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes frames to a pcap (nanosecond magic) or pcapng file, little-endian, buffered.
///
/// Used for the synthetic captures, the benchmark file and the active tester's own recordings.
/// pcapng output can also carry arbitrary extra blocks, so tests can check how readers treat
/// block types they do not know.
public final class CaptureWriter {
    public enum Format: Sendable { case pcap, pcapng }

    public let format: Format
    public let linkType: LinkType
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private let snaplen: UInt32

    public init(path: String, format: Format, linkType: LinkType, snaplen: UInt32 = 262_144) throws(CaptureError) {
        guard let file = fopen(path, "wb") else {
            throw .openFailed(path: path, detail: String(cString: strerror(errno)))
        }
        self.file = file
        self.format = format
        self.linkType = linkType
        self.snaplen = snaplen
        buffer.reserveCapacity(1 << 20)
        switch format {
        case .pcap: writePcapHeader()
        case .pcapng: writeSectionAndInterface()
        }
    }

    deinit {
        flush()
        fclose(file)
    }

    /// Appends one frame. `originalLength` larger than `bytes.count` records a snaplen cut.
    public func write(timestampNanoseconds: Int64, bytes: [UInt8], originalLength: Int? = nil) {
        let captured = UInt32(bytes.count)
        let original = UInt32(originalLength ?? bytes.count)
        switch format {
        case .pcap:
            appendLE32(UInt32(truncatingIfNeeded: timestampNanoseconds / 1_000_000_000))
            appendLE32(UInt32(truncatingIfNeeded: timestampNanoseconds % 1_000_000_000))
            appendLE32(captured)
            appendLE32(original)
            buffer.append(contentsOf: bytes)
        case .pcapng:
            let padded = (bytes.count + 3) / 4 * 4
            let total = UInt32(32 + padded)
            let ticks = UInt64(timestampNanoseconds)
            appendLE32(6)  // Enhanced Packet Block
            appendLE32(total)
            appendLE32(0)  // interface 0
            appendLE32(UInt32(truncatingIfNeeded: ticks >> 32))
            appendLE32(UInt32(truncatingIfNeeded: ticks))
            appendLE32(captured)
            appendLE32(original)
            buffer.append(contentsOf: bytes)
            buffer.append(contentsOf: repeatElement(0, count: padded - bytes.count))
            appendLE32(total)
        }
        if buffer.count >= 1 << 20 { flush() }
    }

    /// pcapng only: a block of any type with the given body (padded to 4 bytes).
    public func writeRawBlock(type: UInt32, body: [UInt8]) {
        precondition(format == .pcapng, "raw blocks exist only in pcapng")
        let padded = (body.count + 3) / 4 * 4
        let total = UInt32(12 + padded)
        appendLE32(type)
        appendLE32(total)
        buffer.append(contentsOf: body)
        buffer.append(contentsOf: repeatElement(0, count: padded - body.count))
        appendLE32(total)
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
        fflush(file)
    }

    private func writePcapHeader() {
        appendLE32(0xA1B2_3C4D)  // nanosecond-resolution magic
        appendLE16(2)
        appendLE16(4)
        appendLE32(0)  // thiszone
        appendLE32(0)  // sigfigs
        appendLE32(snaplen)
        appendLE32(linkType.fileValue)
    }

    private func writeSectionAndInterface() {
        // Section Header Block: byte-order magic, version 1.0, section length unknown (-1).
        appendLE32(0x0A0D_0D0A)
        appendLE32(28)
        appendLE32(0x1A2B_3C4D)
        appendLE16(1)
        appendLE16(0)
        appendLE32(0xFFFF_FFFF)
        appendLE32(0xFFFF_FFFF)
        appendLE32(28)
        // Interface Description Block with if_tsresol = 9 (nanoseconds) and end of options.
        appendLE32(1)
        appendLE32(32)
        appendLE16(UInt16(truncatingIfNeeded: linkType.fileValue))
        appendLE16(0)
        appendLE32(snaplen)
        appendLE16(9)
        appendLE16(1)
        buffer.append(contentsOf: [9, 0, 0, 0])
        appendLE32(0)
        appendLE32(32)
    }

    private func appendLE16(_ value: UInt16) {
        buffer.append(UInt8(truncatingIfNeeded: value))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private func appendLE32(_ value: UInt32) {
        appendLE16(UInt16(truncatingIfNeeded: value))
        appendLE16(UInt16(truncatingIfNeeded: value >> 16))
    }
}
