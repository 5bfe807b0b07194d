import ArgumentParser
import Foundation
import PeerscopeProbe

/// `pair`: N BFD sessions peerscope ↔ peerscope on loopback, measured over a window.
struct Pair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run N BFD sessions between two peerscope pools on loopback and judge their transmit gaps.",
        discussion: """
            Without --cpu: two processes, side A pinned to CPU 0 and side B to CPU 1 (each endpoint \
            has one core). With --cpu K: both pools on one thread of one process pinned to CPU K \
            (one core does the work of both ends). A gap is in window when it lies in 75–100 % of \
            the interval plus the tolerance; the run passes with ≥ --min-in-window % of gaps in \
            window, no session Down, every session Up when the window opens and no packet unsent.
            """)

    @Option(help: "Sessions (each has one end in A and one in B).")
    var sessions: Int

    @Option(help: "Desired Min TX = Required Min RX, in ms (e.g. 50, 10, 3.3).")
    var interval: Double

    @Option(help: "Measurement window in seconds, after the warm-up.")
    var seconds: Double = 5

    @Option(help: "Both sides in one process pinned to this CPU (default: one process per side on CPUs 0 and 1).")
    var cpu: Int?

    @Option(help: "Seconds from start to the window, for every session to come Up and leave slow start.")
    var warmup: Double = 2

    @Option(name: .customLong("tolerance-us"),
            help: "Allowed above 100 % of the interval, µs (default: 10 % of the interval, at most 1,000).")
    var toleranceMicroseconds: Int?

    @Option(name: .customLong("timer-slack-us"),
            help: "Timer slack of the loop threads, µs: the kernel may wake them this late to batch deadlines.")
    var timerSlackMicroseconds: Double = 0.001

    @Option(help: "SCHED_FIFO priority of the loop threads, 1–99 (0: normal scheduler).")
    var realtime: Int32 = 0

    @Option(name: .customLong("min-in-window"), help: "Percentage of gaps in window to pass.")
    var minimumInWindow: Double = 99.9

    @Flag(help: "Send each loop pass's IPv4 packets in one sendmmsg over a raw socket (needs CAP_NET_RAW; each session keeps its source address and port).")
    var batch = false

    @Option(name: .customLong("coalesce-us"),
            help: "How late the loop may wake for a deadline, µs, so one wake-up serves every deadline within it (default 0).")
    var coalesceMicroseconds: Double = 0

    @Flag(help: "One JSON object instead of the summary line.")
    var json = false

    func validate() throws {
        guard (1...LoopbackBenchPlan.maximumSessions).contains(sessions) else {
            throw ValidationError("--sessions must be 1–\(LoopbackBenchPlan.maximumSessions)")
        }
        guard interval >= 1, interval <= 10_000 else { throw ValidationError("--interval must be 1–10000 ms") }
        guard seconds > 0, warmup >= 0.5 else { throw ValidationError("--seconds > 0 and --warmup ≥ 0.5") }
        guard (0...99).contains(realtime) else { throw ValidationError("--realtime must be 0–99") }
        guard coalesceMicroseconds >= 0, coalesceMicroseconds <= 1_000 else { throw ValidationError("--coalesce-us must be 0–1000") }
    }

    func run() throws {
        let intervalMicroseconds = UInt32((interval * 1_000).rounded())
        let tolerance = Int64(toleranceMicroseconds ?? min(1_000, Int(intervalMicroseconds) / 10)) * 1_000
        let ports = try Host.freePorts(2)
        // Time to open 2 × sessions sockets in each process before the common start.
        let setup = 400_000_000 + Int64(sessions) * 100_000
        var plan = LoopbackBenchPlan(
            sessions: sessions, intervalMicroseconds: intervalMicroseconds,
            startAt: MonotonicClock.nowNanoseconds() + setup, warmupNanoseconds: Int64(warmup * 1e9),
            windowNanoseconds: Int64(seconds * 1e9), toleranceNanoseconds: tolerance, portA: ports[0],
            portB: ports[1])
        plan.timerSlackNanoseconds = Int(timerSlackMicroseconds * 1_000)
        plan.realtimePriority = realtime
        plan.batchedTransmit = batch
        plan.coalesceNanoseconds = Int64(coalesceMicroseconds * 1_000)
        let options = (batch ? " batch" : "") + (coalesceMicroseconds > 0 ? " coalesce\(coalesceMicroseconds.fixed(0))us" : "")
        let report: LoopbackBenchReport
        let mode: String
        if let cpu {
            mode = "one-process cpu\(cpu)" + (realtime > 0 ? " fifo\(realtime)" : "") + options
            report = try Side.runSides(LoopbackBenchPlan.Side.allCases, plan: plan, cpu: cpu)
        } else {
            mode = "two-process cpu0+cpu1" + (realtime > 0 ? " fifo\(realtime)" : "") + options
            let planText = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
            let children = try [("a", 0), ("b", 1)].map { side, cpu in
                try Host.spawnSelf(["side", "--side", side, "--cpu", "\(cpu)", "--plan", planText])
            }
            var merged: LoopbackBenchReport?
            for (process, pipe) in children {
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    throw ValidationError("side process exited with \(process.terminationStatus)")
                }
                let one = try JSONDecoder().decode(LoopbackBenchReport.self, from: output)
                if merged == nil { merged = one } else { merged!.merge(one) }
            }
            report = merged!
        }
        let passed = report.passes(minimumInWindow: minimumInWindow / 100)
        let load = Host.loadAverage()
        if json {
            print(PairResult(mode: mode, intervalMilliseconds: interval, report: report, passed: passed,
                             loadAverage: load).json)
        } else {
            print(PairResult(mode: mode, intervalMilliseconds: interval, report: report, passed: passed,
                             loadAverage: load).line)
        }
        if !passed { throw ExitCode(1) }
    }
}

/// The one line (or JSON object) a pair run prints.
struct PairResult {
    var mode: String
    var intervalMilliseconds: Double
    var report: LoopbackBenchReport
    var passed: Bool
    var loadAverage: String

    var windowSeconds: Double { Double(report.summary.windowNanoseconds) / 1e9 }
    var packetsPerSecond: Double { Double(report.summary.sent) / windowSeconds }
    var inWindowPercent: Double { report.summary.inWindowFraction * 100 }
    /// Packets per second per core busy: sent by both sides (each sent once and received once)
    /// over the CPU both spent, as tools/bench/README.md states it.
    var packetsPerCore: Double {
        let cpuCores = report.cpuPercent.reduce(0, +) / 100
        return cpuCores > 0 ? packetsPerSecond / cpuCores : 0
    }
    var p99LatenessMilliseconds: Double { Double(report.summary.latenessPercentileNanoseconds(0.99)) / 1e6 }
    var maxGapPercent: Double {
        Double(report.summary.maxGapNanoseconds) / Double(report.summary.intervalNanoseconds) * 100
    }

    var line: String {
        let s = report.summary
        let cpu = report.cpuPercent.map { $0.fixed(0) }.joined(separator: "+")
        return "interval=\(intervalMilliseconds)ms sessions=\(s.sessions / 2) mode=\(mode.replacingOccurrences(of: " ", with: ":"))"
            + " window=\(windowSeconds.fixed(1))s pps=\(packetsPerSecond.fixed(0)) gaps=\(s.gaps)"
            + " in_window=\(inWindowPercent.fixed(3))% early=\(s.gapsEarly) late=\(s.gapsLate)"
            + " p99_late=\(p99LatenessMilliseconds.fixed(2))ms max_late=\((Double(s.maxLatenessNanoseconds) / 1e6).fixed(2))ms"
            + " max_gap=\(maxGapPercent.fixed(1))% max_rx_gap=\((Double(s.maxReceiveGapNanoseconds) / 1e6).fixed(1))ms"
            + " tolerance=\((Double(s.toleranceNanoseconds) / 1e6).fixed(2))ms"
            + " cpu=\(cpu)% down=\(s.sessionsWentDown) not_up=\(s.sessionsNotUpAtWindowStart)"
            + " unsent=\(report.unsent) unmatched=\(report.unmatched) syscalls_per_packet=\(report.syscallsPerPacket.fixed(3))"
            + " pps_per_core=\(packetsPerCore.fixed(0)) load1=\(loadAverage)"
            + " verdict=\(passed ? "PASS" : "FAIL")"
    }

    var json: String {
        let s = report.summary
        let object: [String: Any] = [
            "interval_ms": intervalMilliseconds, "sessions": s.sessions / 2, "mode": mode,
            "window_s": windowSeconds, "pps": packetsPerSecond.rounded(), "sent": s.sent, "received": s.received,
            "gaps": s.gaps, "gaps_in_window": s.gapsInWindow, "gaps_early": s.gapsEarly, "gaps_late": s.gapsLate,
            "in_window_pct": inWindowPercent, "p99_lateness_ms": p99LatenessMilliseconds,
            "p50_lateness_ms": Double(s.latenessPercentileNanoseconds(0.5)) / 1e6,
            "max_lateness_ms": Double(s.maxLatenessNanoseconds) / 1e6, "max_gap_pct": maxGapPercent,
            "max_rx_gap_ms": Double(s.maxReceiveGapNanoseconds) / 1e6,
            "tolerance_ms": Double(s.toleranceNanoseconds) / 1e6, "cpu_pct": report.cpuPercent,
            "sessions_down": s.sessionsWentDown, "sessions_not_up": s.sessionsNotUpAtWindowStart,
            "unsent": report.unsent, "unmatched": report.unmatched, "load1": loadAverage,
            "syscalls_per_packet": report.syscallsPerPacket, "pps_per_core": packetsPerCore.rounded(),
            "send_calls": report.sendCalls, "receive_calls": report.receiveCalls, "wakeups": report.wakeups,
            "verdict": passed ? "pass" : "fail",
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
