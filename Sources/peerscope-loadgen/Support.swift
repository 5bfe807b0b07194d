import Foundation
import PeerscopeProbe
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#endif

enum Host {
    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// The 1-minute load average, to print beside every figure of a shared machine.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.map(String.init) ?? "?"
    }

    /// Every session holds a socket per side: lift the open-file limit to the hard limit (root may
    /// raise the hard one too).
    static func raiseOpenFileLimit(to wanted: Int) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let target = rlim_t(wanted)
        guard limit.rlim_cur < target else { return }
        limit.rlim_cur = target
        if limit.rlim_max < target { limit.rlim_max = target }
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }

    /// UDP ports free right now for two processes to bind a moment later, picked from 20000–32767:
    /// below the kernel's ephemeral range and below RFC 5881's 49152–65535, from which the sessions'
    /// thousands of transmit sockets take theirs (a transmit socket on 127.1.0.5:P would make the
    /// wildcard bind of a receive socket on P fail).
    static func freePorts(_ count: Int) throws -> [UInt16] {
        var sockets: [UDPSocket] = []
        var generator = SystemRandomNumberGenerator()
        while sockets.count < count {
            let socket = try UDPSocket(family: 4)
            let port = UInt16.random(in: 20_000...32_767, using: &generator)
            do {
                try socket.bind(to: SocketAddress(.v4(IPv4Address(0)), port: port))
                sockets.append(socket)
            } catch {
                // Taken: try another; anything else is a real failure.
                if !error.isAddressInUse { throw error }
            }
        }
        return sockets.map { $0.localAddress!.port }
    }

    /// This tool's pinned thread: the CPU (if any) and the timer slack (the kernel may wake the loop
    /// up to this late, batching the deadlines of several sessions into one wake-up).
    static func prepareThread(cpu: Int?, timerSlackNanoseconds: Int = 1, realtimePriority: Int32 = 0) throws {
        if let cpu { try EventLoop.pinToCPU(cpu) }
        try EventLoop.setTimerSlack(nanoseconds: UInt(max(1, timerSlackNanoseconds)))
        if realtimePriority > 0 { try EventLoop.setRealtimePriority(realtimePriority) }
    }

    /// Runs this executable again with `arguments`; the caller reads its stdout.
    static func spawnSelf(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        return (process, pipe)
    }
}

extension Double {
    func fixed(_ digits: Int) -> String { String(format: "%.\(digits)f", self) }
}
