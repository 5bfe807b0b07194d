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
            let analysis = try CaptureAnalysis(path: path, filter: capture.filter, options: options)
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
        abstract: "List BFD sessions, like `show bfd neighbors details`: LD/RD, state, timers, counts.")

    @OptionGroup var capture: CaptureOptions

    @Flag(help: "JSON: every session with both sides' values.")
    var json = false

    func run() throws {
        let unusable = try analyzeEach(capture) { analysis in
            if capture.files.count > 1, !json { Console.line("# \(analysis.path)") }
            if json {
                Console.line(MachineReadable.json(analysis.sessions.map(SessionRecord.init)))
            } else {
                SessionsRenderer().lines(analysis).forEach(Console.line)
            }
        }
        if unusable { throw ExitCode(2) }
    }
}

struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each BFD session's events in order: state changes, timer changes, Poll/Final, discriminators.")

    @OptionGroup var capture: CaptureOptions

    @Option(help: "Only the session with this ID (as `peerscope sessions` numbers them).")
    var session: Int?

    func run() throws {
        let unusable = try analyzeEach(capture) { analysis in
            if capture.files.count > 1 { Console.line("# \(analysis.path)") }
            let renderer = TimelineRenderer(timeDecimals: analysis.resolution == .nanoseconds ? 9 : 6)
            renderer.lines(analysis, session: session).forEach(Console.line)
        }
        if unusable { throw ExitCode(2) }
    }
}
