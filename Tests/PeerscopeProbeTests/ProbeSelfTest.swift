import Foundation
import PeerscopeProbe
import Testing

/// peerscope against peerscope: `respond` in one ps-pr- namespace, `probe` in the other, across a
/// veth pair (192.0.2.1/24 ↔ 192.0.2.2/24). A correct endpoint must pass every case: the run
/// without authentication covers 22 cases (the two authentication cases are inconclusive there),
/// a second run with meticulous keyed SHA1 on both sides covers the other two.
@Suite("probe vs respond self-test across ps-pr- namespaces", .enabled(if: canCreateNamespaces), .serialized)
struct ProbeSelfTest {
    /// The built CLI, found as `Tests/PeerscopeCLITests/CLIHarness.swift` finds it.
    static var binary: String {
        ProcessInfo.processInfo.environment["PEERSCOPE"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/peerscope").path
    }

    /// A process started in a namespace, ended by its PID on every path.
    final class Spawned {
        let process = Process()
        let output: URL

        init(namespace: String, _ arguments: [String], output: URL) throws {
            self.output = output
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: ipPath)
            process.arguments = ["netns", "exec", namespace, ProbeSelfTest.binary] + arguments
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        /// SIGTERM (respond says AdminDown and Cease, then exits), then wait at most 5 s.
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    }

    /// Runs `probe` in namespace A against `respond` in B; returns its exit status and report.
    static func run(pair: VethPair, scratch: URL, name: String, respondArguments: [String],
                    probeArguments: [String]) throws -> (status: Int32, report: ProbeReport?, stderr: String, respond: String) {
        let responder = try Spawned(namespace: pair.namespaceB,
                                    ["respond", "--peer", "192.0.2.1", "--interface", pair.interfaceB] + respondArguments,
                                    output: scratch.appendingPathComponent("\(name)-respond.log"))
        defer { responder.stop() }
        usleep(300_000)
        let json = scratch.appendingPathComponent("\(name).json")
        let errors = scratch.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: json.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: ipPath)
        probe.arguments = ["netns", "exec", pair.namespaceA, "timeout", "-s", "TERM", "170", binary, "probe",
                           "--peer", "192.0.2.2", "--interface", pair.interfaceA, "--json"] + probeArguments
        probe.standardOutput = try FileHandle(forWritingTo: json)
        probe.standardError = try FileHandle(forWritingTo: errors)
        try probe.run()
        defer { if probe.isRunning { kill(probe.processIdentifier, SIGKILL) } }
        probe.waitUntilExit()
        let report = try? JSONDecoder().decode(ProbeReport.self, from: Data(contentsOf: json))
        responder.stop()  // its closing lines (AdminDown, the reception counters) belong to the log
        return (probe.terminationStatus, report, (try? String(contentsOf: errors, encoding: .utf8)) ?? "", responder.text)
    }

    @Test("every bfd-core case passes against peerscope respond", .timeLimit(.minutes(5)))
    func selfTest() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build peerscope first: \(Self.binary)")
        let pair = try await onOwnThread { try VethPair(test: "s", prefix: "pr") }
        defer { pair.delete() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-selftest-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let junit = scratch.appendingPathComponent("probe.xml").path
        let (plain, authenticated) = try await onOwnThread { () -> (ProbeSelfTestRun, ProbeSelfTestRun) in
            let plain = try Self.run(pair: pair, scratch: scratch, name: "plain", respondArguments: ["--bgp", "65002:65001"],
                                     probeArguments: ["--suite", "bfd-core", "--bgp", "65001:65002", "--junit", junit])
            let key = "meticulous-keyed-sha1:1:secret"
            let authenticated = try Self.run(pair: pair, scratch: scratch, name: "auth", respondArguments: ["--auth", key],
                                             probeArguments: ["--auth", key, "--case", "auth-wrong-key", "--case", "auth-replay"])
            return (ProbeSelfTestRun(plain), ProbeSelfTestRun(authenticated))
        }
        #expect(plain.status == 0, "\(plain.stderr)\n\(plain.respond)")
        #expect(authenticated.status == 0, "\(authenticated.stderr)\n\(authenticated.respond)")
        let first = try #require(plain.report, "no JSON report: \(plain.stderr)")
        let second = try #require(authenticated.report, "no JSON report: \(authenticated.stderr)")
        var verdicts: [String: ProbeVerdict] = [:]
        for result in first.cases + second.cases where verdicts[result.id] != .pass { verdicts[result.id] = result.verdict }
        for probeCase in ProbeSuites.bfdCore {
            #expect(verdicts[probeCase.info.id] == .pass,
                    "\(probeCase.info.id): \((first.cases + second.cases).filter { $0.id == probeCase.info.id }.map(\.reason))")
        }
        #expect(first.cases.count == 24)
        #expect(first.cases.filter { $0.verdict == .inconclusive }.map(\.id) == ["auth-wrong-key", "auth-replay"])
        #expect(first.cases.filter { $0.verdict == .pass }.allSatisfy { !$0.evidenceFrames.isEmpty },
                "every verdict cites frames of the run's capture")
        #expect(first.durationMilliseconds < 150_000)
        // Live progress: one line per case on standard error while --json holds standard output.
        #expect(plain.stderr.split(separator: "\n").filter { $0.hasPrefix("PASS ") }.count == 22)
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 24)
        #expect(xml.components(separatedBy: "<skipped ").count - 1 == 2)
        #expect(!xml.contains("<failure"))
        #expect(!authenticated.stderr.contains("secret") && !authenticated.respond.contains("secret"))
        // respond counted each injected kind under the RFC 5880 §6.8.6 (RFC 5881 §5, §6.7) check
        // that the case's packets are built to fail, in its closing reception line.
        let plainReasons = Self.receptionReasons(plain.respond)
        for reason in ["ttl-below-minimum", "unsupported-version", "length-below-minimum", "length-beyond-payload",
                       "detect-mult-zero", "multipoint-set", "my-discriminator-zero", "your-discriminator-unknown",
                       "your-discriminator-zero-not-down", "auth-unexpected"] {
            #expect((plainReasons[reason] ?? 0) > 0, "respond did not count \(reason): \(plain.respond)")
        }
        let authReasons = Self.receptionReasons(authenticated.respond)
        #expect((authReasons["digest-mismatch"] ?? 0) > 0 && (authReasons["sequence-out-of-window"] ?? 0) > 0,
                "\(authenticated.respond)")
        // The probe's own socket saw only the device's packets, and accepted them.
        #expect((first.reception?.accepted ?? 0) > 0 && first.reception?.notFromPeer == 0)
        Self.lastReport = ProbeReportRenderer.table(first) + ProbeReportRenderer.table(second)
        print(Self.lastReport.joined(separator: "\n"))
    }

    nonisolated(unsafe) static var lastReport: [String] = []

    /// The per-reason counts of respond's closing line
    /// `bfd reception: received N, accepted N, discarded N (reason N, reason N)`.
    static func receptionReasons(_ log: String) -> [String: Int] {
        guard let line = log.split(separator: "\n").last(where: { $0.hasPrefix("bfd reception: ") }),
              let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") else { return [:] }
        var counts: [String: Int] = [:]
        for item in line[line.index(after: open)..<close].split(separator: ",") {
            let parts = item.split(separator: " ")
            if parts.count == 2, let count = Int(parts[1]) { counts[String(parts[0])] = count }
        }
        return counts
    }
}

/// One run's outcome, Sendable across the thread hop.
struct ProbeSelfTestRun: @unchecked Sendable {
    var status: Int32
    var report: ProbeReport?
    var stderr: String
    var respond: String
    init(_ run: (status: Int32, report: ProbeReport?, stderr: String, respond: String)) {
        status = run.status
        report = run.report
        stderr = run.stderr
        respond = run.respond
    }
}
