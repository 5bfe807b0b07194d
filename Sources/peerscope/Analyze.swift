import ArgumentParser
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeReport

/// Runs the analysis of each file, printing through `body`; unusable files are reported in one line
/// each and make the command exit 2 after the others were processed.
/// `stages`: what the command shows needs (`timeline` runs no rules). Progress goes to standard
/// error on a terminal for runs longer than 2 s (`ProgressSource`).
/// `threads: 2` reads and dissects each file on a second thread (same findings); `--merge` reads its
/// files on one thread whatever `threads` says: the merge itself is the reading.
func analyzeEach(_ capture: CaptureOptions, options: CheckOptions = CheckOptions(), stages: AnalysisStages = .rules,
                 threads: Int = 1, _ body: (CaptureAnalysis) throws -> Void) throws -> Bool {
    var unusable = false
    var options = options
    options.tcpBufferLimit = capture.tcpBufferKiB * 1_024
    options.stateLimits = capture.stateLimits
    let inputs = capture.merge ? [capture.files] : capture.files.map { [$0] }
    for paths in inputs {
        do {
            let analysis = paths.count > 1
                ? try CaptureAnalysis(merging: paths, filter: capture.filter, options: options,
                                      windowNanoseconds: capture.mergeWindowNanoseconds, stages: stages,
                                      wrap: { ProgressSource($0, label: "merging") })
                : try CaptureAnalysis(source: ProgressSource(CaptureReader(path: paths[0], filter: capture.filter),
                                                             label: paths[0]),
                                      path: paths[0], options: options, stages: stages, threads: threads)
            if let filter = capture.filter, analysis.tally.frames == 0 {
                Console.error("\(paths.joined(separator: ", ")): filter '\(filter)' matched none of the \(analysis.recordsRead) frame(s)")
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

    @Flag(help: "JSON: BFD sessions, BGP sessions and the failover chain; with several files one document, {\"files\": […]}.")
    var json = false

    @Option(help: ArgumentHelp("Count the prefixes each BGP speaker held at this time (seconds from the first frame).",
                               valueName: "seconds"))
    var at: Double?

    @OptionGroup var key: KeyOption

    func validate() throws {
        try capture.requireFiles()
        if let at, !(at >= 0) { throw ValidationError("--at takes seconds from the first frame, got \(at)") }
    }

    func run() throws {
        var records: [SessionsRecord] = []
        var options = CheckOptions()
        options.keys = try key.parsed()
        let unusable = try analyzeEach(capture, options: options) { analysis in
            if !json { printHeader(analysis, files: capture.files.count) }
            if json {
                records.append(SessionsRecord(analysis))
            } else {
                let decimals = analysis.resolution == .nanoseconds ? 9 : 6
                if !analysis.sessions.isEmpty || analysis.bgpSessions.isEmpty {
                    SessionsRenderer().lines(analysis).forEach(Console.line)
                }
                BGPSessionsRenderer(timeDecimals: decimals, at: at.map { Int64($0 * 1e9) }).lines(analysis).forEach(Console.line)
                FailoverRenderer(timeDecimals: decimals).lines(analysis).forEach(Console.line)
            }
        }
        // One JSON document whatever the number of files: one file (or one merged analysis) as
        // before, several as {"files": […]}.
        if json, capture.files.count > 1, !capture.merge {
            Console.document(MachineReadable.json(MultiFileSessionsRecord(files: records)))
        } else if json, let record = records.first {
            Console.document(MachineReadable.json(record))
        }
        if unusable { throw ExitCode(2) }
    }
}

/// Names the file (or the merged capture points) above its output when there are several.
func printHeader(_ analysis: CaptureAnalysis, files: Int) {
    if let merge = analysis.merge {
        MergeRenderer().lines(merge).forEach(Console.line)
    } else if files > 1 {
        Console.line("# \(analysis.path)")
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

    func validate() throws {
        try capture.requireFiles()
        if session != nil, bgpSession != nil { throw ValidationError("--session and --bgp-session cannot be combined") }
    }

    func run() throws {
        var found = false
        var known: [String] = []
        // The timeline shows no finding: the rules stage is left out.
        let unusable = try analyzeEach(capture, stages: .sessions) { analysis in
            // An ID no file has is a usage error (exit 2, one line), not an empty timeline.
            if let session {
                guard analysis.sessions.contains(where: { $0.id == session }) else {
                    known.append("\(analysis.path): \(analysis.sessions.isEmpty ? "none" : "1–\(analysis.sessions.count)")")
                    return
                }
            }
            if let bgpSession {
                guard analysis.bgpSessions.contains(where: { $0.id == bgpSession }) else {
                    known.append("\(analysis.path): \(analysis.bgpSessions.isEmpty ? "none" : "1–\(analysis.bgpSessions.count)")")
                    return
                }
            }
            found = true
            printHeader(analysis, files: capture.files.count)
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
        if !found, !known.isEmpty {
            let kind = session != nil ? "BFD session \(session!)" : "BGP session \(bgpSession!)"
            Console.error("no \(kind) (sessions: \(known.joined(separator: "; ")))")
            throw ExitCode(2)
        }
        if unusable { throw ExitCode(2) }
    }
}
