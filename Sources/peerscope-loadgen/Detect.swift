import ArgumentParser
import Foundation
import PeerscopeProbe

/// `detect`: how precisely the tester measures a device's Detection Time.
struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a peerscope 'device' with a known Detection Time; report the measurement error.",
        discussion: """
            The device (a one-session pool, its own process, CPU 1) runs at --interval with \
            Detect Mult --multiplier, so its Detection Time is multiplier × interval. The tester \
            (this process, CPU 0) brings a session Up, lets it settle, falls silent, and times from \
            the wall clock right after its last packet left to the kernel receive timestamp \
            (SO_TIMESTAMPNS) of the device's first Down packet. Error = measured − expected. The \
            device reports its own share of each error (how long after the kernel took in our last \
            packet it read it, and how late its detection timer fired); what remains is the \
            tester's own measurement error.
            """)

    @Option(help: "Trials (each with a fresh session).")
    var trials: Int = 30

    @Option(help: "Interval in ms on both sides.")
    var interval: Double = 50

    @Option(help: "The device's Detect Mult is ours: the tester sends with this multiplier.")
    var multiplier: UInt8 = 3

    @Option(help: "SCHED_FIFO priority of both loops, 1–99 (0: normal scheduler).")
    var realtime: Int32 = 0

    @Flag(help: "One JSON object instead of the summary line.")
    var json = false

    @Flag(help: "Print every trial.")
    var verbose = false

    func validate() throws {
        guard trials >= 1, interval >= 1, multiplier >= 1 else {
            throw ValidationError("--trials ≥ 1, --interval ≥ 1 ms, --multiplier ≥ 1")
        }
    }

    func run() throws {
        let ports = try Host.freePorts(2)
        let microseconds = UInt32((interval * 1_000).rounded())
        let settle = max(Int64(200_000_000), 5 * Int64(microseconds) * 1_000)
        let budget = Double(trials) * (Double(settle) / 1e9 + Double(multiplier) * interval / 1e3 + 0.5) + 10
        let (device, devicePipe) = try Host.spawnSelf([
            "device", "--port", "\(ports[0])", "--peer-port", "\(ports[1])", "--interval", "\(interval)",
            "--multiplier", "\(multiplier)", "--seconds", "\(budget)", "--cpu", "1", "--realtime", "\(realtime)",
        ])
        var deviceStopped = false
        defer {
            if !deviceStopped {
                if device.isRunning { device.terminate() }
                device.waitUntilExit()
            }
        }
        try Host.prepareThread(cpu: 0, realtimePriority: realtime)
        let meter = try DetectionTimeMeter(
            local: Device.testerAddress, device: Device.deviceAddress, listenPort: ports[1], devicePort: ports[0],
            intervalMicroseconds: microseconds, detectMultiplier: multiplier,
            interfaces: try LocalInterfaces.current())
        // Let the device bind its socket before our first packet.
        usleep(300_000)
        var results: [DetectionTimeTrial] = []
        for trial in 0..<trials {
            let result = try meter.measure(trial: trial, settleNanoseconds: settle)
            results.append(result)
            if verbose {
                FileHandle.standardError.write(Data(
                    "trial \(trial): measured \((Double(result.measuredNanoseconds) / 1e6).fixed(3)) ms, error \((Double(result.errorNanoseconds) / 1e3).fixed(1)) µs, diag \(result.diagnostic)\n".utf8))
            }
        }
        // The device's own share of each delay (its read delay and timer lateness), one line per Down.
        device.terminate()
        let deviceOutput = devicePipe.fileHandleForReading.readDataToEndOfFile()
        device.waitUntilExit()
        deviceStopped = true
        let reports = deviceOutput.split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONDecoder().decode(Device.Report.self, from: Data($0))
        }
        // Each trial's Down matched with the device's report of sending it (within 5 ms before the
        // arrival); a device that also went Down at another moment (a stall) leaves extra reports.
        let matched = results.map { trial in
            reports.first {
                let lead = trial.downArrivalWallNanoseconds - $0.downSentWallNanoseconds
                return lead >= 0 && lead < 5_000_000
            }
        }
        let shares = matched.compactMap { $0 }
        let errors = results.map { Double($0.errorNanoseconds) / 1e3 }
        let deviceShares = shares.count == results.count
            ? shares.map { Double($0.readDelayNanoseconds + $0.timerLatenessNanoseconds) / 1e3 } : []
        let testerErrors = deviceShares.isEmpty ? [] : zip(errors, deviceShares).map { $0 - $1 }
        let mean = errors.reduce(0, +) / Double(errors.count)
        let deviation = (errors.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(errors.count)).squareRoot()
        let maxAbsolute = errors.map(abs).max()!
        let expected = Double(results[0].expectedNanoseconds) / 1e6
        let wrongDiagnostic = results.filter { $0.diagnostic != 1 }.count
        let load = Host.loadAverage()
        if json {
            let object: [String: Any] = [
                "interval_ms": interval, "multiplier": Int(multiplier), "realtime": Int(realtime), "expected_ms": expected, "trials": trials,
                "mean_error_us": mean, "max_abs_error_us": maxAbsolute, "min_error_us": errors.min()!,
                "max_error_us": errors.max()!, "stddev_us": deviation, "wrong_diagnostic": wrongDiagnostic,
                "load1": load, "errors_us": errors, "device_share_us": deviceShares,
                "tester_error_us": testerErrors,
                "device_read_delay_us": shares.map { Double($0.readDelayNanoseconds) / 1e3 },
                "device_timer_lateness_us": shares.map { Double($0.timerLatenessNanoseconds) / 1e3 },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("detect interval=\(interval)ms multiplier=\(multiplier) realtime=\(realtime) expected=\(expected.fixed(3))ms"
                  + " trials=\(trials) mean_error=\(mean.fixed(1))us max_abs_error=\(maxAbsolute.fixed(1))us"
                  + " min_error=\(errors.min()!.fixed(1))us max_error=\(errors.max()!.fixed(1))us"
                  + " stddev=\(deviation.fixed(1))us wrong_diag=\(wrongDiagnostic)"
                  + Self.shareText("device_share", deviceShares)
                  + Self.shareText("device_read_delay", shares.map { Double($0.readDelayNanoseconds) / 1e3 })
                  + Self.shareText("device_timer_late", shares.map { Double($0.timerLatenessNanoseconds) / 1e3 })
                  + Self.shareText("tester_error", testerErrors)
                  + " load1=\(load)")
        }
    }

    /// ` NAME_mean=…us NAME_max=…us`, or nothing when the device's reports did not match the trials.
    static func shareText(_ name: String, _ values: [Double]) -> String {
        guard !values.isEmpty else { return " \(name)=unavailable" }
        let mean = values.reduce(0, +) / Double(values.count)
        return " \(name)_mean=\(mean.fixed(1))us \(name)_min=\(values.min()!.fixed(1))us"
            + " \(name)_max=\(values.max()!.fixed(1))us"
    }
}
