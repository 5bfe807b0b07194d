import CPcap
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads frames from a pcap or pcapng file (or `-` for standard input) through libpcap, with
/// nanosecond timestamps and an optional BPF filter.
///
/// One frame at a time: `next()` returns a frame whose bytes stay valid until the following call,
/// so a whole capture streams through constant memory. A live source is the same type opened
/// differently (see `CaptureSource`), so analysis code never knows which it reads.
public final class CaptureReader {
    public let path: String
    public let linkType: LinkType
    /// The resolution the file was written with (its timestamps are always handed out in ns).
    public let resolution: TimestampResolution
    /// Frames handed out so far. Kept behind a pointer: a class property would pay a dynamic
    /// exclusivity check on every frame.
    public var framesRead: Int { counter.pointee }
    private let counter: UnsafeMutablePointer<Int> = {
        let pointer = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return pointer
    }()

    private let handle: OpaquePointer

    /// Opens `path` (`-` is standard input). Throws a `CaptureError` that names the file and the
    /// reason in one line; unsupported link types are refused here, before any frame is read.
    public init(path: String, filter: String? = nil) throws(CaptureError) {
        self.path = path
        if path != "-" { try Self.checkReadable(path) }
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
        self.handle = handle
        let dlt = pcap_datalink(handle)
        linkType = LinkType(dlt: dlt)
        resolution = path == "-" ? .unknown : CaptureFileProbe.resolution(of: path)
        guard linkType.isSupported else {
            let name = pcap_datalink_val_to_name(dlt).map { String(cString: $0) } ?? "\(dlt)"
            // Every stored property is set, so `deinit` runs on this throw and closes the handle.
            throw .unsupportedLinkType(path: path, linkType: "\(name) (\(dlt))")
        }
        if let filter { try apply(filter: filter) }
    }

    deinit {
        pcap_close(handle)
        counter.deallocate()
    }

    private func apply(filter: String) throws(CaptureError) {
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw .invalidFilter(filter: filter, detail: String(cString: pcap_geterr(handle)))
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw .invalidFilter(filter: filter, detail: String(cString: pcap_geterr(handle)))
        }
    }

    /// The next frame, or `nil` at the end of the file. A file cut mid-record throws after the
    /// frames before the cut were handed out.
    public func next() throws(CaptureError) -> Frame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let status = pcap_next_ex(handle, &header, &data)
        switch status {
        case 1:
            guard let header, let data else { return nil }
            counter.pointee += 1
            let captured = Int(header.pointee.caplen)
            // With nanosecond precision requested, libpcap puts nanoseconds in tv_usec.
            let nanoseconds = Int64(header.pointee.ts.tv_sec) * 1_000_000_000 + Int64(header.pointee.ts.tv_usec)
            return Frame(number: counter.pointee, timestampNanoseconds: nanoseconds, capturedLength: captured,
                         originalLength: Int(header.pointee.len), linkType: linkType,
                         bytes: UnsafeRawBufferPointer(start: data, count: captured))
        case PCAP_ERROR_BREAK:
            return nil
        case 0:
            // Only live captures time out; an offline read never returns 0.
            return nil
        default:
            throw .readFailed(path: path, afterFrame: framesRead, detail: String(cString: pcap_geterr(handle)))
        }
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
