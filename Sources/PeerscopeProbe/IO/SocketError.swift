#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed: which operation, on what, and the errno. Renders as one line.
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What we were doing, e.g. `bind 127.0.0.1:3784`.
    public var operation: String
    /// The positive errno value (`EADDRINUSE`, `EACCES`, …).
    public var code: Int32

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// From a C helper's `-errno` result.
    init(_ operation: String, result: Int) {
        self.init(operation, code: Int32(truncatingIfNeeded: -result))
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(code))) (errno \(code))"
    }

    public var isAddressInUse: Bool { code == EADDRINUSE }
    public var wouldBlock: Bool { code == EAGAIN || code == EWOULDBLOCK }
}

/// Runs a C helper that returns `-errno` on failure and its result otherwise.
@inline(__always)
func check<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ result: T) throws(SocketError) -> T {
    if result < 0 { throw SocketError(operation(), result: Int(result)) }
    return result
}
