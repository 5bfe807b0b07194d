/// How much per-session state the analysis keeps in full (issue 12 item 5). A capture can name any
/// number of sessions (a flood of forged discriminators, connections opened and never closed):
/// beyond these limits the least recently seen state is folded into counts instead of growing
/// until the process is killed. Stated in the CAPTURE.STATE.CAP finding with the option to raise it.
public struct StateLimits: Sendable, Equatable {
    /// BFD sessions tracked at once, and separately BGP (TCP port 179) connections tracked at once.
    public var maxSessions: Int
    /// Out-of-order bytes held by TCP reassembly across all connections together; each direction
    /// also has its own limit (`CheckOptions.tcpBufferLimit`).
    public var maxReassemblyBytes: Int

    /// 100,000 sessions: far beyond any router's BFD or BGP session count, and what keeps the peak
    /// memory of each attack capture of tools/fuzz/attack-captures under 1 GB (tools/bench/README.md).
    public static let defaultMaxSessions = 100_000
    /// 256 MiB: 256 connections each with a full 1 MiB out-of-order window.
    public static let defaultMaxReassemblyBytes = 256 << 20

    public init(maxSessions: Int = StateLimits.defaultMaxSessions,
                maxReassemblyBytes: Int = StateLimits.defaultMaxReassemblyBytes) {
        self.maxSessions = max(1, maxSessions)
        self.maxReassemblyBytes = max(0, maxReassemblyBytes)
    }
}

/// What a tracker no longer holds individually: sessions folded away at the cap, and what they had
/// carried until then.
public struct FoldedSessions: Sendable, Equatable {
    /// Sessions (or connections) folded away.
    public var sessions = 0
    /// Packets (BFD) or messages (BGP) those sessions had carried.
    public var packets = 0
    /// Timeline events they had recorded.
    public var events = 0
    /// The highest number of sessions held at once.
    public var peakTracked = 0

    public init() {}
}
