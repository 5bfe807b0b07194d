import Testing

/// `peerscope probe` / `respond` refuse bad usage with exit 2 and one line, before sending anything.
@Suite("probe and respond usage errors")
struct ProbeUsageTests {
    func expectUsageError(_ arguments: [String], mentions text: String) throws {
        let result = try CLI.run(CLI.binary, arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func badPeer() throws {
        try expectUsageError(["probe", "--peer", "192.0.2.300"], mentions: "--peer '192.0.2.300' is not an IPv4 or IPv6 address")
        try expectUsageError(["respond", "--peer", "router1"], mentions: "is not an IPv4 or IPv6 address")
    }

    /// sched(7): SCHED_FIFO priorities are 1 (low) to 99 (high) on Linux.
    @Test func realtimePriorityOutsideSchedFIFORange() throws {
        try expectUsageError(["respond", "--peer", "192.0.2.2", "--realtime", "0"], mentions: "--realtime must be 1–99")
        try expectUsageError(["respond", "--peer", "192.0.2.2", "--realtime", "100"], mentions: "--realtime must be 1–99")
    }

    @Test func badAuth() throws {
        try expectUsageError(["probe", "--peer", "192.0.2.2", "--auth", "sha1:1:topsecret"], mentions: "--auth type 'sha1'")
        try expectUsageError(["probe", "--peer", "192.0.2.2", "--auth", "keyed-md5:1"], mentions: "TYPE:ID:SECRET")
        let long = "keyed-md5:1:" + String(repeating: "s", count: 17)
        let result = try CLI.run(CLI.binary, ["probe", "--peer", "192.0.2.2", "--auth", long])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("sssss"), "the secret is never printed")
    }

    @Test func unknownCaseOrSuite() throws {
        try expectUsageError(["probe", "--peer", "192.0.2.2", "--case", "no-such-case"], mentions: "unknown case 'no-such-case'")
        try expectUsageError(["probe", "--peer", "192.0.2.2", "--suite", "bfd-everything"], mentions: "unknown suite 'bfd-everything'")
        try expectUsageError(["probe", "--peer", "192.0.2.2", "--bgp", "65001"], mentions: "--bgp takes LOCAL_AS:PEER_AS")
    }

    /// The guard refuses a single-hop peer outside every connected prefix before any packet leaves.
    @Test func peerNotDirectlyConnected() throws {
        let result = try CLI.run(CLI.binary, ["probe", "--peer", "198.51.100.77", "--case", "handshake"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("peer refused: 198.51.100.77 is not in any directly connected prefix"))
        let broadcast = try CLI.run(CLI.binary, ["respond", "--peer", "255.255.255.255"])
        #expect(broadcast.status == 2)
        #expect(broadcast.stderr.contains("limited broadcast"))
    }

    @Test func helpStatesTheExitCodes() throws {
        let result = try CLI.run(CLI.binary, ["probe", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Inconclusive cases"))
        #expect(result.stdout.contains("unreachable)"))
    }
}
