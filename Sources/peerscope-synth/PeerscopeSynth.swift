import ArgumentParser

/// Synthetic captures made with peerscope's own encoders: the samples in `captures/` and the
/// large mixed file the benchmark reads.
@main
struct PeerscopeSynth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerscope-synth",
        abstract: "Write synthetic BFD captures with peerscope's encoders.",
        subcommands: [Samples.self, Bench.self, BenchBGP.self, FullTable.self])
}
