import ArgumentParser
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeReport
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by SIGINT/SIGTERM: the loop ends at its next frame or idle tick (one poll timeout at most).
private let stopRequested = Atomic<Bool>(false)

/// `peerscope live`: BFD and BGP on an interface as it happens, like `top`.
struct Live: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch BFD and BGP on an interface: a session table refreshed in place (or one line per event when not on a terminal), then check's findings.",
        discussion: """
            Each BFD state change (a Down with its diag and detection latency), a peer silent for \
            longer than its detection time, each BGP state change or teardown and each finding is \
            shown as it happens. Ctrl-C (or --duration) ends the run with the same findings and \
            summary `peerscope check` gives for the frames seen (-w keeps them as pcapng), and \
            check's exit status: 0 clean, 1 a MUST-level finding, 2 an unusable interface or \
            arguments. Capturing needs root or CAP_NET_RAW.
            """)

    @Option(name: [.customShort("i"), .customLong("interface")], help: ArgumentHelp("Interface to capture on (any for all).", valueName: "iface"))
    var interface: String

    @Option(name: [.customShort("f"), .customLong("filter")], help: ArgumentHelp("BPF capture filter, as in tcpdump.", valueName: "bpf"))
    var filter: String = LiveFrameSource.defaultFilter

    @Option(name: [.customShort("w"), .customLong("write")], help: ArgumentHelp("Also write the frames seen to this pcapng file.", valueName: "out.pcapng"))
    var write: String?

    @Flag(help: "JSON Lines: one object per event, then {\"event\":\"summary\",\"check\":…} with check --json's record.")
    var json = false

    @OptionGroup var key: KeyOption

    @Option(help: ArgumentHelp("Stop after this many seconds (default: at Ctrl-C).", valueName: "seconds"))
    var duration: Double?

    func validate() throws {
        if let duration, !(duration > 0 && duration < 1e9) { throw ValidationError("--duration takes seconds above 0, got \(duration)") }
    }

    func run() throws {
        var options = CheckOptions()
        options.keys = try key.parsed()
        let source: LiveFrameSource
        let writer: CaptureWriter?
        do {
            source = try LiveFrameSource(interface: interface, filter: filter)
            writer = try write.map { path throws(CaptureError) in
                try CaptureWriter(path: path, format: .pcapng, linkType: source.linkType, snaplen: UInt32(source.snaplen))
            }
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }

        var view = LiveView(renderer: LiveRenderer(timeDecimals: source.resolution == .nanoseconds ? 9 : 6),
                            terminal: !json && isatty(1) != 0, json: json, heading: "peerscope live on \(interface)")
        var pipeline = CaptureAnalysis.pipeline(options: options, resolution: source.resolution)
        let deadline = duration.map { LiveView.monotonic() + Int64($0 * 1e9) }
        var lastTick: Int64 = 0
        var readError: CaptureError?
        loop: while !stopRequested.load(ordering: .relaxed) {
            if let deadline, LiveView.monotonic() >= deadline { break }
            let now: Int64
            do throws(CaptureError) {
                switch try source.nextEvent() {
                case .frame(let frame):
                    writer?.write(timestampNanoseconds: frame.timestampNanoseconds, bytes: Array(frame.bytes),
                                  originalLength: frame.originalLength)
                    pipeline.ingest(frame, sourceOrigin: source.originNanoseconds)
                    view.show(pipeline: pipeline)
                    // A busy interface may never idle: run the timers every 100 ms of frames too.
                    guard frame.timestampNanoseconds &- lastTick >= 100_000_000 else { continue loop }
                    now = frame.timestampNanoseconds
                case .idle(let time):
                    now = time
                case .end:
                    break loop
                }
            } catch {
                readError = error
                break loop
            }
            lastTick = now
            view.show(silences: pipeline.tick(nowNanoseconds: now), pipeline: pipeline)
            view.redraw(pipeline: pipeline, now: now)
        }
        writer?.flush()
        pipeline.finish()
        let analysis = CaptureAnalysis(finished: pipeline, path: write ?? "live:\(interface)",
                                       resolution: source.resolution, recordsRead: source.framesRead, readError: readError)
        view.finish(analysis: analysis, pipeline: pipeline)
        if let drops = source.drops, drops.kernel + drops.interface > 0 {
            Console.error("\(interface): \(drops.kernel) packet(s) dropped by the kernel, \(drops.interface) by the interface: the findings miss them")
        }
        if let readError {
            Console.error("\(readError)")
            throw ExitCode(2)
        }
        if analysis.findings.contains(where: { $0.level == .must }) { throw ExitCode(1) }
    }
}

/// What `live` prints: event lines as they come, or on a terminal the session table redrawn in place
/// with the latest events under it; at the end `check`'s report.
struct LiveView {
    let renderer: LiveRenderer
    let terminal: Bool
    let json: Bool
    let heading: String
    private var changes = LiveChanges()
    private var recent: [String] = []
    private var dirty = true
    private var lastDrawn: Int64 = 0
    private var cleared = false

    init(renderer: LiveRenderer, terminal: Bool, json: Bool, heading: String) {
        self.renderer = renderer
        self.terminal = terminal
        self.json = json
        self.heading = heading
    }

    mutating func show(silences: [BFDSilence] = [], pipeline: AnalysisPipeline<ConformanceRules>) {
        var events = changes.collect(pipeline)
        // By ID, not by index: once the tracker folded sessions at its cap, slots are reused.
        for silence in silences {
            guard let session = pipeline.tracker.sessions.first(where: { $0.id == silence.sessionID }) else { continue }
            events.append(.bfdSilence(session: session, silence: silence))
        }
        guard !events.isEmpty else { return }
        for event in events {
            if json {
                Console.document(renderer.json(event))
            } else if terminal {
                recent.append(WireText.terminal(renderer.line(event)))
                dirty = true
            } else {
                Console.line(renderer.line(event))
            }
        }
        if recent.count > 15 { recent.removeFirst(recent.count - 15) }
        if !terminal { Console.flush() }
    }

    /// On a terminal, at most four times a second (and at once after an event).
    mutating func redraw(pipeline: AnalysisPipeline<ConformanceRules>, now: Int64, force: Bool = false) {
        guard terminal else { return }
        let clock = Self.monotonic()
        guard force || dirty || clock - lastDrawn >= 1_000_000_000 else { return }
        guard force || clock - lastDrawn >= 250_000_000 else { return }
        lastDrawn = clock
        dirty = false
        let title = "\(heading) — \(renderer.clock(now)) UTC, \(pipeline.decoder.tally.frames) frame(s); Ctrl-C ends"
        let lines = renderer.screen(heading: title, pipeline: pipeline, recent: recent, nowNanoseconds: now)
        // Home, draw, clear to the end of the screen: no flicker from a full clear.
        let home = cleared ? "\u{1B}[H" : "\u{1B}[H\u{1B}[2J"
        cleared = true
        Console.document(home + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J")
        Console.flush()
    }

    mutating func finish(analysis: CaptureAnalysis, pipeline: AnalysisPipeline<ConformanceRules>) {
        show(pipeline: pipeline)
        let findings = analysis.findings
        if json {
            Console.document("{\"event\":\"summary\",\"check\":" + MachineReadable.jsonLine(MachineReadable.check(analysis, findings: findings)) + "}")
            return
        }
        if terminal {
            redraw(pipeline: pipeline, now: LiveFrameSource.now(), force: true)
            Console.line("")
        }
        FindingsRenderer(timeDecimals: analysis.resolution == .nanoseconds ? 9 : 6)
            .lines(analysis, findings: findings).forEach(Console.line)
    }

    static func monotonic() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
