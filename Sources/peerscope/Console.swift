#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PeerscopeReport

/// Buffered standard output and one-line standard error, without Foundation on the per-line path.
enum Console {
    nonisolated(unsafe) private static var buffer: [UInt8] = {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16)
        return bytes
    }()

    /// One line of text output; whatever the wire put in it (a peer's hostname, a shutdown
    /// communication) cannot drive the terminal (see `WireText.terminal`).
    static func line(_ text: String) {
        buffer.append(contentsOf: WireText.terminal(text).utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// A multi-line document already escaped for its format (JSON from `MachineReadable.json`).
    static func document(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// `peerscope: <message>` on standard error, after flushing what standard output holds so the
    /// two interleave in the order they happened.
    static func error(_ message: String) {
        flush()
        let line = "peerscope: \(WireText.terminal(message))\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    /// One line on standard error as it happens (live progress), without the `peerscope:` prefix.
    static func progress(_ text: String) {
        flush()
        let line = WireText.terminal(text) + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    static func exit(_ code: Int32) -> Never {
        flush()
        #if canImport(Glibc)
        Glibc.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }
}
