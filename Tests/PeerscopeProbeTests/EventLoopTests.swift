import Foundation
import PeerscopeProbe
import PeerscopeWire
import Testing

@Suite("Monotonic clock and event loop")
struct EventLoopTests {
    @Test("the monotonic clock is nanoseconds and never goes back")
    func clock() {
        var last = MonotonicClock.nowNanoseconds()
        for _ in 0..<10_000 {
            let now = MonotonicClock.nowNanoseconds()
            #expect(now >= last)
            last = now
        }
        let wall = MonotonicClock.wallNanoseconds()
        #expect(wall > 1_600_000_000 * 1_000_000_000)  // after 2020
    }

    /// Wakes up `count` times on a fixed schedule (deadline k = start + k × interval, as a BFD
    /// transmitter does) and returns each wake-up's lateness in ns.
    static func lateness(intervalNanoseconds: Int64, count: Int) throws -> [Int64] {
        let loop = try EventLoop()
        var samples: [Int64] = []
        samples.reserveCapacity(count)
        let start = MonotonicClock.nowNanoseconds() + intervalNanoseconds
        var deadline = start
        try loop.run(nextDeadline: { deadline }) { event, now in
            guard event == .deadlineReached else { return .continue }
            samples.append(now - deadline)
            deadline += intervalNanoseconds
            return samples.count == count ? .stop : .continue
        }
        return samples
    }

    /// The first line of /proc/stat: CPU time of all CPUs by kind, in clock ticks (nil off Linux).
    static func cpuTimes() -> [UInt64]? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        return line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
    }

    /// The share of CPU time the hypervisor took (steal, the 8th field, proc(5)) between two readings.
    static func stealShare(from before: [UInt64]?, to after: [UInt64]?) -> Double? {
        guard let before, let after, before.count >= 8, after.count == before.count else { return nil }
        let total = zip(after, before).prefix(8).reduce(UInt64(0)) { $0 + ($1.0 &- $1.1) }
        guard total > 0 else { return nil }
        return Double(after[7] &- before[7]) / Double(total)
    }

    static func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
        sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    /// Prints the figures: `swift test --filter wakeUpLateness`. Measured twice: under the normal
    /// scheduler, where another process's compile on this 2-core machine can hold the CPU for
    /// milliseconds (so only the median is asserted), and under SCHED_FIFO, as a tester that must
    /// keep 3.3 ms would run, where the p99 must stay below the Detection Time at that interval
    /// (Detect Mult 3): a late wake-up alone never takes a session down. This suite runs beside
    /// the tshark differentials, so the tighter figures (p99 against 10 % of the interval) are
    /// `tools/bench/endpoint`'s, measured on a quiet machine.
    @Test("wake-up lateness over 2,000 deadlines is well under a BFD interval",
          arguments: [(3_300_000, false), (10_000_000, false), (3_300_000, true), (10_000_000, true)])
    func wakeUpLateness(intervalNanoseconds: Int64, realtime: Bool) async throws {
        let count = 2_000
        let stealBefore = Self.cpuTimes()
        let (samples, policy) = try await onOwnThread { () -> ([Int64], String) in
            var policy = "SCHED_OTHER"
            if realtime {
                do {
                    try EventLoop.setRealtimePriority(10)
                    policy = "SCHED_FIFO 10"
                } catch {
                    policy = "SCHED_OTHER (SCHED_FIFO refused: \(error))"
                }
            }
            defer { if realtime { try? EventLoop.setRealtimePriority(0) } }
            return (try Self.lateness(intervalNanoseconds: intervalNanoseconds, count: count), policy)
        }
        let steal = Self.stealShare(from: stealBefore, to: Self.cpuTimes())
        let sorted = samples.sorted()
        let p50 = Self.percentile(sorted, 0.50), p99 = Self.percentile(sorted, 0.99), worst = sorted.last!
        func µs(_ ns: Int64) -> String { String(format: "%.1f µs", Double(ns) / 1_000) }
        print("event loop lateness at \(Double(intervalNanoseconds) / 1e6) ms × \(count), \(policy): "
              + "p50 \(µs(p50)), p99 \(µs(p99)), max \(µs(worst)), min \(µs(sorted.first!)), "
              + "hypervisor steal \(steal.map { String(format: "%.1f %%", $0 * 100) } ?? "unknown")")
        #expect(sorted.first! >= 0, "a deadline is never reported early")
        #expect(p50 < 500_000)
        // SCHED_FIFO keeps other processes off this thread, not the hypervisor: with steal above
        // 5 % of the CPU time (2 % is usual here, 9–19 % seen under load) the tail is the host's.
        if policy.hasPrefix("SCHED_FIFO"), let steal, steal < 0.05 { #expect(p99 < 3 * intervalNanoseconds) }
    }

    @Test("a readable socket wakes the loop before the deadline, and the deadline still comes")
    func socketAndDeadline() async throws {
        let local = addr("127.77.0.20")
        let events = try await onOwnThread { () -> [String] in
            let receiver = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let loop = try EventLoop()
            try loop.register(receiver.fileDescriptor)
            let start = MonotonicClock.nowNanoseconds()
            let deadline = start + 50_000_000
            try transmitter.send([1], now: start)
            var log: [String] = []
            try loop.run(nextDeadline: { deadline }) { event, now in
                switch event {
                case .ready(receiver.fileDescriptor, true, _, _):
                    _ = try receiver.receive()
                    log.append(now < deadline ? "readable before deadline" : "readable late")
                    return .continue
                case .deadlineReached:
                    log.append(now >= deadline ? "deadline" : "deadline early")
                    return .stop
                default:
                    log.append("\(event)")
                    return .continue
                }
            }
            return log
        }
        #expect(events == ["readable before deadline", "deadline"])
    }

    @Test("a deadline already past is reported at once; nil waits only for fds; the waker wakes")
    func pastDeadlineAndWaker() async throws {
        let outcome = try await onOwnThread { () -> [String] in
            let loop = try EventLoop()
            var log: [String] = []
            let before = MonotonicClock.nowNanoseconds()
            try loop.wait(until: before - 1_000_000) { event, _ in log.append("\(event)") }
            let waker = loop.waker
            let thread = Thread { usleep(20_000); waker.wake() }
            thread.start()
            try loop.wait(until: nil) { event, _ in log.append("\(event)") }
            return log
        }
        #expect(outcome == ["deadlineReached", "woken"])
    }
}
