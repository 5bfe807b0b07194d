import ArgumentParser
import PeerscopeAnalysis

/// Options every capture-reading subcommand shares, named as tcpdump and tshark name them.
struct CaptureOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("pcap or pcapng files ('-' reads standard input).", valueName: "file"))
    var files: [String] = []

    @Option(name: [.customShort("f"), .customLong("filter")],
            help: ArgumentHelp("BPF capture filter applied while reading, as in tcpdump.", valueName: "bpf"))
    var filter: String?

    @Option(name: .customLong("tcp-buffer"),
            help: ArgumentHelp("Most KiB of out-of-order TCP data held per direction before a gap is given up as a hole.",
                               valueName: "KiB"))
    var tcpBufferKiB = 1_024

    @Option(name: .customLong("max-sessions"),
            help: ArgumentHelp("sessions, timeline, check: most BFD sessions, and separately BGP connections, tracked at once; beyond it the least recently seen is folded into counts (CAPTURE.STATE.CAP).",
                               valueName: "n"))
    var maxSessions = StateLimits.defaultMaxSessions

    @Option(name: .customLong("max-reassembly"),
            help: ArgumentHelp("Most MiB of out-of-order TCP data held over all connections together before the growing one gives up its gaps (CAPTURE.STATE.CAP).",
                               valueName: "MiB"))
    var maxReassemblyMiB = StateLimits.defaultMaxReassemblyBytes >> 20

    var stateLimits: StateLimits { StateLimits(maxSessions: maxSessions, maxReassemblyBytes: maxReassemblyMiB << 20) }

    @Flag(help: ArgumentHelp("Read the files as capture points of one event: frames merged by time, a packet seen at several points counted once, and where each point sat relative to a loss."))
    var merge = false

    @Option(name: .customLong("merge-window"),
            help: ArgumentHelp("With --merge: the most milliseconds between two points' copies of one packet (keep it below the fastest BFD interval).",
                               valueName: "ms"))
    var mergeWindowMilliseconds: Double = 5

    var mergeWindowNanoseconds: Int64 { Int64(mergeWindowMilliseconds * 1_000_000) }

    /// Called by each command's `validate()` (not here: `check --list-rules` reads no file).
    func requireFiles() throws {
        guard !files.isEmpty else { throw ValidationError("Missing expected argument '<file> ...': no capture file given") }
    }

    func validate() throws {
        guard (1...1_048_576).contains(tcpBufferKiB) else { throw ValidationError("--tcp-buffer must be 1–1048576 KiB") }
        guard (1...100_000_000).contains(maxSessions) else { throw ValidationError("--max-sessions must be 1–100000000") }
        guard (1...1_048_576).contains(maxReassemblyMiB) else { throw ValidationError("--max-reassembly must be 1–1048576 MiB") }
        guard files.filter({ $0 == "-" }).count <= 1 else {
            throw ValidationError("standard input ('-') can be read only once")
        }
        if merge {
            guard files.count >= 2 else { throw ValidationError("--merge needs at least two capture files") }
            guard files.count <= 64 else { throw ValidationError("--merge takes at most 64 capture files") }
        }
        guard mergeWindowMilliseconds >= 0, mergeWindowMilliseconds <= 10_000 else {
            throw ValidationError("--merge-window must be 0–10000 ms")
        }
    }
}
