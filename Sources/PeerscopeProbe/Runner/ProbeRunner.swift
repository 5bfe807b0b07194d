import PeerscopeCapture
import PeerscopeEndpoint
import PeerscopeReport
import PeerscopeWire

#if canImport(Glibc)
import Glibc
#endif

/// Why a run could not start or had to stop before judging anything: exit status 2.
public enum ProbeRunError: Error, CustomStringConvertible {
    case refused(PeerGuardError)
    case setup(String)
    /// No BFD packet from the peer within the first 10 s.
    case peerUnreachable(IPAddress, seconds: Int)

    public var description: String {
        switch self {
        case .refused(let error): "peer refused: \(error)"
        case .setup(let text): text
        case .peerUnreachable(let peer, let seconds): "peer unreachable: no BFD packet from \(peer) within \(seconds) s"
        }
    }
}

/// Runs a suite against one peer: opens the session, records the run to pcapng, runs each case
/// within its budget, reads the capture back for evidence frames, and builds the report.
public final class ProbeRunner {
    public let target: ProbeTarget
    public let suiteName: String
    public let cases: [any ProbeCase]
    /// `-w`: keep the capture here; otherwise a temporary file, deleted after the run.
    public let capturePath: String?
    /// Called as each case finishes, with its result (for the live progress lines).
    public var onCaseFinished: ((ProbeReport.Case) -> Void)?
    public var unreachableAfterSeconds = 10

    public init(target: ProbeTarget, suiteName: String, cases: [any ProbeCase], capturePath: String?) {
        self.target = target
        self.suiteName = suiteName
        self.cases = cases
        self.capturePath = capturePath
    }

    /// Throws `ProbeRunError` when nothing could be judged; otherwise returns the report (with
    /// `interrupted` set when SIGINT/SIGTERM cut it short).
    public func run() throws -> ProbeReport {
        _ = InterruptSignal.install()
        let driver: SessionDriver
        do {
            driver = try SessionDriver(target: target, role: .probe, interfaces: try LocalInterfaces.current())
        } catch let error as PeerGuardError {
            throw ProbeRunError.refused(error)
        } catch {
            throw ProbeRunError.setup("\(error)")
        }
        let path = capturePath ?? "/tmp/peerscope-probe-\(getpid()).pcapng"
        var recorder: LiveCaptureRecorder?
        var captureError: String?
        do {
            let ports = "udp port \(target.receivePort ?? target.transport.destinationPort) or udp port \(target.peerPort ?? target.transport.destinationPort) or tcp port 179"
            recorder = try LiveCaptureRecorder(interface: driver.captureInterface, path: path,
                                               filter: "host \(target.peer) and (\(ports))")
            try recorder?.start()
        } catch {
            captureError = "capture of the run unavailable: \(error)"
            recorder = nil
        }
        defer {
            recorder?.stop()
            if capturePath == nil { unlink(path) }
        }
        let started = MonotonicClock.nowNanoseconds()
        let context = ProbeContext(driver: driver)
        var results: [(info: ProbeCaseInfo, outcome: CaseOutcome, duration: Int64)] = []
        var interrupted = false
        var runError: String?
        do {
            try driver.startSession()
            if target.bgp != nil { try driver.startBGP() }
            let heard = try driver.run(until: driver.now + Int64(unreachableAfterSeconds) * 1_000_000_000,
                                       done: { !driver.record.devicePackets.isEmpty })
            guard heard else {
                driver.shutDown()
                throw ProbeRunError.peerUnreachable(target.peer, seconds: unreachableAfterSeconds)
            }
            for probeCase in cases {
                let caseStart = driver.now
                context.caseDeadline = caseStart + Int64(probeCase.budgetSeconds * 1e9)
                var outcome: CaseOutcome
                do {
                    outcome = try probeCase.run(context)
                } catch let failed as PreconditionFailed {
                    outcome = .inconclusive(failed.description)
                }
                driver.muted = false
                driver.deaf = false
                if driver.now >= context.caseDeadline, outcome.verdict == .pass {
                    outcome.reason += " (ran past its \(Int(probeCase.budgetSeconds)) s budget)"
                }
                results.append((probeCase.info, outcome, driver.now - caseStart))
                onCaseFinished?(Self.reportCase(probeCase.info, outcome, duration: driver.now - caseStart, frames: []))
            }
        } catch is ProbeInterrupted {
            interrupted = true
        } catch let error as ProbeRunError {
            throw error
        } catch let error as SendError {
            if case .refused(let refusal) = error { throw ProbeRunError.refused(refusal) }
            runError = "\(error)"
        } catch {
            runError = "\(error)"
        }
        context.caseDeadline = .max
        driver.shutDown()
        let duration = driver.now - started
        // Let the capture thread write the last packets before reading the file back.
        recorder?.stop()
        let evidence = recorder == nil ? nil : (try? EvidenceIndex(path: path, peer: target.peer))
        if recorder != nil, evidence == nil { captureError = "the run's capture could not be read back" }
        let reportCases = results.map { result in
            Self.reportCase(result.info, result.outcome, duration: result.duration,
                            frames: evidence?.frames(for: result.outcome.evidence, in: driver.record) ?? [])
        }
        let findings = (evidence?.findings ?? []).map {
            ProbeReport.Finding(rule: $0.rule.id, level: $0.level.rawValue, frames: $0.frames, message: FindingValueText.message(of: $0))
        }
        return ProbeReport(
            suite: suiteName, peer: "\(target.peer)", local: "\(driver.localAddress)", transport: "\(target.transport)",
            authentication: target.authentication.map { "\(AuthenticationArgument.name(of: $0.type)) key-id \($0.keyID)" },
            bgp: target.bgp.map { "\($0.localAS):\($0.peerAS)" }, interrupted: interrupted,
            durationMilliseconds: Double(duration) / 1e6,
            summary: ProbeReport.Summary(pass: reportCases.filter { $0.verdict == .pass }.count,
                                         fail: reportCases.filter { $0.verdict == .fail }.count,
                                         inconclusive: reportCases.filter { $0.verdict == .inconclusive }.count),
            cases: reportCases, capture: capturePath, captureFrames: evidence?.frames ?? 0, findings: findings,
            error: [runError, captureError].compactMap { $0 }.first, reception: driver.reception)
    }

    static func reportCase(_ info: ProbeCaseInfo, _ outcome: CaseOutcome, duration: Int64, frames: [Int]) -> ProbeReport.Case {
        ProbeReport.Case(
            id: info.id, title: info.title, rfc: info.rfc, verdict: outcome.verdict, reason: outcome.reason,
            figures: Dictionary(outcome.figures.map { ($0.name, $0.figure) }, uniquingKeysWith: { first, _ in first }),
            figureOrder: outcome.figures.map(\.name), evidenceFrames: frames,
            durationMilliseconds: (Double(duration) / 1e4).rounded() / 100)
    }
}
