import ArgumentParser
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeReport

/// Runs the analysis of each file, printing through `body`; unusable files are reported in one line
/// each and make the command exit 2 after the others were processed.
func analyzeEach(_ capture: CaptureOptions, options: CheckOptions = CheckOptions(),
                 _ body: (CaptureAnalysis) throws -> Void) throws -> Bool {
    var unusable = false
    for path in capture.files {
        do {
            var options = options
            options.tcpBufferLimit = capture.tcpBufferKiB * 1_024
            let analysis = try CaptureAnalysis(path: path, filter: capture.filter, options: options)
            if let filter = capture.filter, analysis.tally.frames == 0 {
                Console.error("\(path): filter '\(filter)' matched none of the \(analysis.recordsRead) frame(s)")
            }
            try body(analysis)
            if let readError = analysis.readError {
                Console.error("\(readError)")
                unusable = true
            }
        } catch let error as CaptureError {
            Console.error("\(error)")
            unusable = true
        }
    }
    return unusable
}

struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List BFD sessions (like `show bfd neighbors details`) and BGP sessions (like `show bgp neighbors`).")

    @OptionGroup var capture: CaptureOptions

    @Flag(help: "JSON: BFD sessions, BGP sessions and the failover chain.")
    var json = false

    @Option(help: ArgumentHelp("Count the prefixes each BGP speaker held at this time (seconds from the first frame).",
                               valueName: "seconds"))
    var at: Double?

    func validate() throws {
        if let at, !(at >= 0) { throw ValidationError("--at takes seconds from the first frame, got \(at)") }
    }

    func run() throws {
        let unusable = try analyzeEach(capture) { analysis in
            if capture.files.count > 1, !json { Console.line("# \(analysis.path)") }
            if json {
                Console.line(MachineReadable.json(SessionsRecord(analysis)))
            } else {
                let decimals = analysis.resolution == .nanoseconds ? 9 : 6
                if !analysis.sessions.isEmpty || analysis.bgpSessions.isEmpty {
                    SessionsRenderer().lines(analysis).forEach(Console.line)
                }
                BGPSessionsRenderer(timeDecimals: decimals, at: at.map { Int64($0 * 1e9) }).lines(analysis).forEach(Console.line)
                FailoverRenderer(timeDecimals: decimals).lines(analysis).forEach(Console.line)
            }
        }
        if unusable { throw ExitCode(2) }
    }
}

struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each session's events in order: BFD state/timer changes and Poll/Final, BGP OPEN/UPDATE/NOTIFICATION, and the failover chain.")

    @OptionGroup var capture: CaptureOptions

    @Option(help: "Only the BFD session with this ID (as `peerscope sessions` numbers them).")
    var session: Int?

    @Option(name: .customLong("bgp-session"), help: "Only the BGP session with this ID.")
    var bgpSession: Int?

    func run() throws {
        let unusable = try analyzeEach(capture) { analysis in
            if capture.files.count > 1 { Console.line("# \(analysis.path)") }
            let decimals = analysis.resolution == .nanoseconds ? 9 : 6
            if bgpSession == nil, !(analysis.sessions.isEmpty && !analysis.bgpSessions.isEmpty) {
                TimelineRenderer(timeDecimals: decimals).lines(analysis, session: session).forEach(Console.line)
            }
            if session == nil {
                BGPTimelineRenderer(timeDecimals: decimals).lines(analysis, session: bgpSession).forEach(Console.line)
            }
            if session == nil, bgpSession == nil {
                FailoverRenderer(timeDecimals: decimals).lines(analysis).forEach(Console.line)
            }
        }
        if unusable { throw ExitCode(2) }
    }
}
