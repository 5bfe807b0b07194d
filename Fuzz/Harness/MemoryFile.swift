#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The input as a file that lives only in memory, so targets can open it by path through
/// `CaptureReader` (which reads files the way the CLI does: stat, then libpcap).
/// Linux: a file on tmpfs (/dev/shm), unlinked at once and named by `/proc/self/fd/N`
/// (memfd_create is not visible to Swift without _GNU_SOURCE); elsewhere a temporary file.
public struct MemoryFile: ~Copyable {
    public let path: String
    private let descriptor: Int32
    private let unlinkOnClose: String?

    public init?(_ bytes: UnsafeRawBufferPointer) {
        #if os(Linux)
        var template = Array("/dev/shm/peerscope-fuzz.XXXXXX".utf8CString)
        #else
        var template = Array("/tmp/peerscope-fuzz.XXXXXX".utf8CString)
        #endif
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        let created = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        #if os(Linux)
        unlink(created)
        path = "/proc/self/fd/\(fd)"
        unlinkOnClose = nil
        #else
        path = created
        unlinkOnClose = created
        #endif
        descriptor = fd
        var written = 0
        while written < bytes.count, let base = bytes.baseAddress {
            let n = write(fd, base + written, bytes.count - written)
            if n <= 0 { break }
            written += n
        }
    }

    deinit {
        close(descriptor)
        if let unlinkOnClose { unlink(unlinkOnClose) }
    }
}
