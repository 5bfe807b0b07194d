import CPcap
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads frames from a pcap or pcapng file (or `-` for standard input) with nanosecond
/// timestamps and an optional BPF filter.
///
/// One frame at a time: `next()` returns a frame whose bytes stay valid until the following call,
/// so a whole capture streams through constant memory. Classic pcap (either byte order, µs or ns)
/// and standard input go through libpcap; pcapng files are read by `PcapngFileReader`, which
/// keeps each interface's link type, resolution and name and each packet's comments. A filter
/// is applied per record, so frame numbers and the time origin are the file's own.
public final class CaptureReader {
    private enum Source {
        case libpcap(OpaquePointer)
        case pcapng(PcapngFileReader)
    }

    public let path: String
    /// The first interface's link type (each frame carries its own).
    public let linkType: LinkType
    /// The resolution the file was written with (its timestamps are always handed out in ns).
    public let resolution: TimestampResolution
    /// Records read from the file so far, matching the filter or not: the last frame's number.
    public var framesRead: Int { state.pointee.records }
    /// Records the filter let through (all of them without a filter).
    public var framesMatched: Int { state.pointee.matched }
    /// The file's first record's timestamp, whatever the filter: the origin of relative times.
    public var originNanoseconds: Int64? { state.pointee.origin }
    /// Records whose fields did not agree and were read as far as they could be: captured length
    /// beyond the original (or an original of 0), captured length beyond the snaplen.
    public var inconsistentRecords: Int { state.pointee.inconsistent }
    /// Records timed before the record preceding them (a clock step, a merged file).
    public var timeReversals: Int { state.pointee.reversals }
    /// Timestamps beyond what Int64 nanoseconds hold (after the year 2262), saturated.
    public var saturatedTimestamps: Int { state.pointee.saturated }
    /// The pcapng interfaces described so far (empty for classic pcap).
    public var interfaces: [CaptureInterface] {
        if case .pcapng(let reader) = source { return reader.interfaces }
        return []
    }

    /// How far through the file reading is, and the file's size: `nil` for standard input or
    /// anything that is not a regular file.
    public var position: (bytesRead: Int64, totalBytes: Int64)? {
        guard let totalBytes else { return nil }
        switch source {
        case .libpcap(let handle):
            guard let file = pcap_file(handle) else { return nil }
            return (Int64(ftello(file)), totalBytes)
        case .pcapng(let reader):
            return (reader.offset, totalBytes)
        }
    }

    /// Counters behind a pointer: a class property would pay a dynamic exclusivity check on
    /// every frame.
    private struct State {
        var records = 0
        var matched = 0
        var origin: Int64?
        var previous: Int64?
        var inconsistent = 0
        var reversals = 0
        var saturated = 0
    }

    private let source: Source
    private let filter: PacketFilter?
    private let snaplen: Int
    private let totalBytes: Int64?
    private let state: UnsafeMutablePointer<State>
    /// The last pcapng frame's name and comments, which that frame borrows until the next call.
    private var currentPcapng: PcapngExtras?

    /// Opens `path` (`-` is standard input). Throws a `CaptureError` that names the file and the
    /// reason in one line; a file whose first interface has an unsupported link type is refused
    /// here, before any frame is read. Nothing is allocated before the last throw, so a failed
    /// open leaks nothing (issue 12).
    public init(path: String, filter expression: String? = nil) throws(CaptureError) {
        self.path = path
        if path != "-" { try Self.checkReadable(path) }
        let source: Source
        let linkType: LinkType
        let resolution: TimestampResolution
        var snaplen = 0
        var linkTypeName: String
        if path != "-", CaptureFileProbe.isPcapng(path: path) {
            guard let file = fopen(path, "rb") else {
                throw .openFailed(path: path, detail: String(cString: strerror(errno)))
            }
            let reader = PcapngFileReader(file: file)
            let first: CaptureInterface
            do throws(PcapngFileReader.ReadError) {
                first = try reader.firstInterface()
            } catch {
                switch error {
                case .corrupt(let detail): throw .notACaptureFile(path: path, detail: detail)
                }
            }
            source = .pcapng(reader)
            linkType = first.linkType
            resolution = TimestampResolution(pcapngResolution: first.timestampResolution)
            snaplen = Int(first.snaplen)
            linkTypeName = "LINKTYPE \(first.linkType.dlt)"
        } else {
            var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
            guard let handle = pcap_open_offline_with_tstamp_precision(
                path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
            else {
                let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                    as: UTF8.self)
                if detail.contains("unknown file format") || detail.contains("bad dump file format")
                    || detail.contains("truncated dump file") && path != "-" {
                    throw .notACaptureFile(path: path, detail: detail)
                }
                throw .openFailed(path: path, detail: detail)
            }
            source = .libpcap(handle)
            linkType = LinkType(dlt: pcap_datalink(handle))
            resolution = path == "-" ? .unknown : CaptureFileProbe.resolution(of: path)
            snaplen = Int(pcap_snapshot(handle))
            let dlt = pcap_datalink(handle)
            linkTypeName = "\(pcap_datalink_val_to_name(dlt).map { String(cString: $0) } ?? "DLT") (\(dlt))"
        }
        self.source = source
        self.linkType = linkType
        self.resolution = resolution
        self.snaplen = snaplen
        totalBytes = path == "-" ? nil : Self.regularFileSize(path)
        let compiled: PacketFilter?
        do throws(CaptureError) {
            compiled = try expression.map { expression throws(CaptureError) in
                try PacketFilter(expression: expression, linkType: linkType.dlt)
            }
        } catch {
            if case .libpcap(let handle) = source { pcap_close(handle) }
            throw error
        }
        self.filter = compiled
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        // Every stored property is set, so `deinit` runs on this throw and releases everything.
        guard linkType.isSupported else {
            throw .unsupportedLinkType(path: path, linkType: linkTypeName)
        }
    }

    deinit {
        if case .libpcap(let handle) = source { pcap_close(handle) }
        state.deallocate()
    }

    /// The next frame that matches the filter, or `nil` at the end of the file. A file cut
    /// mid-record throws after the frames before the cut were handed out.
    public func next() throws(CaptureError) -> Frame? {
        while let frame = try nextRecord() {
            if let filter, !filter.matches(linkType: frame.linkType.dlt, bytes: frame.bytes,
                                           originalLength: frame.originalLength) {
                continue
            }
            state.pointee.matched += 1
            return frame
        }
        return nil
    }

    private func nextRecord() throws(CaptureError) -> Frame? {
        switch source {
        case .libpcap(let handle):
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            switch pcap_next_ex(handle, &header, &data) {
            case 1:
                guard let header, let data else { return nil }
                // With nanosecond precision requested, libpcap puts nanoseconds in tv_usec. The file's
                // fields are unsigned 32-bit (as Wireshark reads them) but libpcap sign-extends them:
                // 2^31 s and beyond (2038–2106) would come out negative.
                let time = CaptureTimestamp.nanoseconds(seconds: Self.unsigned32(Int64(header.pointee.ts.tv_sec)),
                                                        fraction: Self.unsigned32(Int64(header.pointee.ts.tv_usec)))
                let captured = Int(header.pointee.caplen)
                return record(time: time, captured: captured, original: Int(header.pointee.len), linkType: linkType,
                              bytes: UnsafeRawBufferPointer(start: data, count: captured), interface: nil, comments: [])
            case 0, PCAP_ERROR_BREAK:
                // Only live captures time out; an offline read never returns 0.
                return nil
            default:
                throw .readFailed(path: path, afterFrame: framesRead, detail: String(cString: pcap_geterr(handle)))
            }
        case .pcapng(let reader):
            let packet: PcapngFileReader.Packet
            do throws(PcapngFileReader.ReadError) {
                guard let next = try reader.nextPacket() else { return nil }
                packet = next
            } catch {
                switch error {
                case .corrupt(let detail): throw .readFailed(path: path, afterFrame: framesRead, detail: detail)
                }
            }
            let interface = reader.interfaces[packet.interface]
            return record(time: (packet.timestampNanoseconds, packet.timestampSaturated), captured: packet.capturedLength,
                          original: packet.originalLength, linkType: interface.linkType, bytes: reader.bytes(of: packet),
                          interface: (packet.interface, interface), comments: packet.comments,
                          snaplen: Int(interface.snaplen))
        }
    }

    /// Numbers a record and notes what does not add up in it; never traps on the file's values.
    private func record(time: (value: Int64, saturated: Bool), captured: Int, original: Int, linkType: LinkType,
                        bytes: UnsafeRawBufferPointer, interface: (Int, CaptureInterface)?, comments: [String],
                        snaplen: Int? = nil) -> Frame {
        state.pointee.records += 1
        if time.saturated { state.pointee.saturated += 1 }
        let limit = snaplen ?? self.snaplen
        // caplen > len (or len 0) cannot be: the bytes are what was captured, so they are the
        // least the original had. caplen > snaplen is kept (the bytes are there) but noted.
        var original = original
        if captured > original || original == 0 {
            state.pointee.inconsistent += 1
            original = captured
        } else if limit > 0, captured > limit {
            state.pointee.inconsistent += 1
        }
        if let previous = state.pointee.previous, time.value < previous { state.pointee.reversals += 1 }
        state.pointee.previous = time.value
        if state.pointee.origin == nil { state.pointee.origin = time.value }
        var frame = Frame(number: state.pointee.records, timestampNanoseconds: time.value, capturedLength: captured,
                          originalLength: original, linkType: linkType, bytes: bytes)
        if let interface {
            frame.interfaceIndex = interface.0
            // Kept here until the next record: the frame only borrows it (see `Frame`).
            currentPcapng = PcapngExtras(interfaceName: interface.1.name, comments: comments).nonEmpty
            frame.borrowPcapng(currentPcapng)
        }
        return frame
    }

    /// A 32-bit file field libpcap sign-extended, read back as the unsigned value it was.
    private static func unsigned32(_ value: Int64) -> Int64 {
        value < 0 && value >= Int64(Int32.min) ? value + (1 << 32) : value
    }

    private static func regularFileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        return Int64(info.st_size)
    }

    private static func checkReadable(_ path: String) throws(CaptureError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw .fileNotFound(path: path)
            case EACCES: throw .permissionDenied(path: path)
            default: throw .openFailed(path: path, detail: String(cString: strerror(errno)))
            }
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw .isDirectory(path: path) }
        if info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 { throw .emptyFile(path: path) }
        guard access(path, R_OK) == 0 else { throw .permissionDenied(path: path) }
    }
}
