#if canImport(Glibc)
import Glibc
#endif

/// SIGINT / SIGTERM turned into a readable pipe, so the event loop notices them at once (epoll
/// retries on EINTR and would otherwise sleep on). The handler only writes one byte: async-signal-safe.
public enum InterruptSignal {
    nonisolated(unsafe) private static var pipeFDs: (read: Int32, write: Int32) = (-1, -1)
    nonisolated(unsafe) public private(set) static var received: Int32 = 0

    /// The read end to register with a loop; creates the pipe and installs the handlers once.
    public static func install() -> Int32 {
        if pipeFDs.read >= 0 { return pipeFDs.read }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return -1 }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        pipeFDs = (fds[0], fds[1])
        let handler: @convention(c) (Int32) -> Void = { signal in
            InterruptSignal.received = signal
            var byte: UInt8 = 1
            _ = write(InterruptSignal.pipeFDs.write, &byte, 1)
        }
        _ = signal(SIGINT, handler)
        _ = signal(SIGTERM, handler)
        // A parent may hand its blocked signal mask down (Foundation's Process from a test thread
        // does): blocked, SIGTERM would wait for a SIGKILL and the goodbye would never be said.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return pipeFDs.read
    }

    public static var fileDescriptor: Int32? { pipeFDs.read >= 0 ? pipeFDs.read : nil }

    public static var isPending: Bool { received != 0 }

    /// Forgets a received signal once it has been handled (the goodbye packets must still leave).
    public static func clear() { received = 0 }

    /// Empties the pipe after a wake-up.
    public static func drain() {
        var buffer = [UInt8](repeating: 0, count: 16)
        while read(pipeFDs.read, &buffer, buffer.count) > 0 {}
    }
}

/// Thrown out of a wait when SIGINT or SIGTERM arrived.
public struct ProbeInterrupted: Error, CustomStringConvertible {
    public var description: String { "interrupted" }
}
