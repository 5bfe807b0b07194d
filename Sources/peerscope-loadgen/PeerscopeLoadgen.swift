import ArgumentParser

/// Load and precision runs of peerscope's own BFD endpoint, on loopback only.
@main
struct PeerscopeLoadgen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerscope-loadgen",
        abstract: "Measure how many BFD sessions peerscope keeps, and how precisely it times a detection.",
        discussion: """
            All traffic stays on loopback: sessions use 127.1.0.0/16 ↔ 127.2.0.0/16 (pair) and \
            127.3.0.1 ↔ 127.3.0.2 (detect), on kernel-chosen ports, never 3784.
            """,
        subcommands: [Pair.self, Detect.self, Side.self, Device.self])
}
