import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Issue 12 item 5: every attack capture of tools/fuzz/attack-captures, at a small cap, folds what
/// is beyond it into counts with a CAPTURE.STATE.CAP finding. The truth is the generator's own
/// parameters (one session per packet, one connection per SYN, 1,400-byte segments …), and below
/// the cap nothing changes on the committed captures.
@Suite("state cap (CAPTURE.STATE.CAP)", .serialized)
struct StateCapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs the generator; nil when python3 is missing.
    static func attack(_ kind: String, count: Int) throws -> String? {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("statecap-\(kind)-\(count)-\(getpid()).pcap").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("tools/fuzz/attack-captures").path, kind, out, "\(count)"]
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? out : nil
    }

    static func analyse(_ path: String, maxSessions: Int = 100_000_000, maxReassembly: Int = 1 << 40,
                        tcpBuffer: Int = 1 << 20) throws -> CaptureAnalysis {
        var options = CheckOptions()
        options.tcpBufferLimit = tcpBuffer
        options.stateLimits = StateLimits(maxSessions: maxSessions, maxReassemblyBytes: maxReassembly)
        return try CaptureAnalysis(path: path, options: options)
    }

    /// CAPTURE.STATE.CAP's measured value: `n` sessions of a kind folded.
    static func folded(_ count: Int, _ noun: String) -> FindingValue {
        .composite([.count(count, noun: noun), .text(" folded")])
    }

    static func capFindings(_ analysis: CaptureAnalysis) -> [Finding] {
        analysis.findings.filter { $0.rule.id == "CAPTURE.STATE.CAP" }
    }

    @Test("bfd-sessions: one session per packet; beyond the cap the least recently seen fold, the latest stay")
    func bfdSessions() throws {
        let count = 2_000, cap = 500
        guard let path = try Self.attack("bfd-sessions", count: count) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analysis = try Self.analyse(path, maxSessions: cap)
        #expect(analysis.sessions.count == cap)
        #expect(analysis.tracker.folded.sessions == count - cap)
        #expect(analysis.tracker.folded.packets == count - cap)
        #expect(analysis.tracker.folded.peakTracked == cap)
        // Each packet came later than the one before: the survivors are the last `cap` sessions.
        #expect(analysis.sessions.map(\.id) == Array((count - cap + 1)...count))
        let findings = Self.capFindings(analysis)
        #expect(findings.count == 1)
        #expect(findings.first?.level == .info)
        #expect(findings.first?.measured == Self.folded(count - cap, "BFD session"))
        #expect(findings.first?.messageText.contains("--max-sessions") == true)
        // Every generated packet is Down with a 300 ms Desired Min TX (RFC 5880 §6.8.3 wants ≥ 1 s
        // while not Up): one finding per tracked session, and one for all the folded ones.
        let slowStart = analysis.findings.filter { $0.rule.id == "BFD.TMR.SLOW.START" }
        #expect(slowStart.count == cap + 1)
        let aggregate = slowStart.filter { $0.sessionID == nil }
        #expect(aggregate.count == 1)
        #expect(aggregate.first?.occurrences == count - cap)
        // The fold is a flag on the finding, its note written by the report after the rule's message;
        // the findings of sessions still tracked carry neither.
        #expect(aggregate.first?.foldedAtStateCap == true)
        #expect(aggregate.first?.messageText.hasSuffix(" (first of the sessions folded at the state cap, all counted here)") == true)
        #expect(slowStart.filter { $0.sessionID != nil }.allSatisfy { !$0.foldedAtStateCap && !$0.messageText.contains("folded") })
        // Without the cap every session is there and no such finding is raised.
        let full = try Self.analyse(path)
        #expect(full.sessions.count == count)
        #expect(Self.capFindings(full).isEmpty)
        #expect(full.findings.filter { $0.rule.id == "BFD.TMR.SLOW.START" }.count == count)
    }

    @Test("bfd-one-pair: a fresh discriminator pair per packet on one address pair stays within the cap")
    func bfdOnePair() throws {
        let count = 2_000, cap = 300
        guard let path = try Self.attack("bfd-one-pair", count: count) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analysis = try Self.analyse(path, maxSessions: cap)
        #expect(analysis.sessions.count == cap)
        #expect(analysis.tracker.folded.sessions == count - cap)
        #expect(analysis.tracker.folded.packets == count - cap)
        // Each new session links to the one before it on the pair, folded or not.
        #expect(analysis.sessions.last?.previousSessionID == count - 1)
        #expect(Self.capFindings(analysis).first?.measured == Self.folded(count - cap, "BFD session"))
    }

    @Test("a session seen again after it was folded starts fresh; the least recently seen goes first")
    func leastRecentlySeenFolds() {
        let a = AttackObservations.address(1), b = AttackObservations.address(2)
        let c = AttackObservations.address(3), d = AttackObservations.address(4)
        var tracker = BFDSessionTracker(maxSessions: 2)
        var foldedIDs: [Int] = []
        func send(_ frame: Int, _ source: IPAddress, _ destination: IPAddress, my: UInt32) {
            tracker.observe(AttackObservations.observation(frame, source, destination, my: my)) { _, _ in
            } fold: { foldedIDs.append($0.id) }
        }
        send(1, a, b, my: 1)  // session 1
        send(2, c, b, my: 2)  // session 2
        send(3, a, b, my: 1)  // session 1 seen again: session 2 is now the least recently seen
        send(4, d, b, my: 4)  // session 3 folds session 2
        #expect(foldedIDs == [2])
        send(5, c, b, my: 2)  // session 2's packets again: a new session 4, folding session 1
        #expect(foldedIDs == [2, 1])
        #expect(tracker.trackedSessions.map(\.id) == [3, 4])
        #expect(tracker.trackedSessions.last?.packets == 1)
        #expect(tracker.folded.sessions == 2)
        #expect(tracker.folded.packets == 3)
    }

    @Test("tcp-connections: connections never closed fold beyond the cap, with their reassembly state")
    func tcpConnections() throws {
        let count = 1_000, cap = 100
        guard let path = try Self.attack("tcp-connections", count: count) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analysis = try Self.analyse(path, maxSessions: cap)
        #expect(analysis.bgpSessions.count == cap)
        #expect(analysis.bgpTracker.folded.sessions == count - cap)
        // Each connection carried a partial header only: no message was ever completed.
        #expect(analysis.bgpTracker.folded.packets == 0)
        #expect(analysis.bgpTracker.reassemblyDirections <= 2 * cap)
        #expect(Self.capFindings(analysis).first?.measured == Self.folded(count - cap, "BGP connection"))
        // Each tracked connection still ends mid-message (19 of 29 bytes), as without a cap.
        let partial = analysis.findings.filter { $0.rule.id == "CAPTURE.TCP.HOLE" && $0.measured == .count(19, noun: "byte") }
        #expect(partial.count == cap)
    }

    @Test("tcp-fragments: directions that never become a session stay within twice the cap")
    func tcpFragments() throws {
        let count = 1_000, cap = 100
        guard let path = try Self.attack("tcp-fragments", count: count) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analysis = try Self.analyse(path, maxSessions: cap)
        // Ten bytes of marker never frame a message: no session, and a direction per segment.
        #expect(analysis.bgpSessions.isEmpty)
        #expect(analysis.bgpTracker.reassemblyDirections <= 2 * cap)
        // Every segment after the first 2 × cap + 1 directions finds the table full.
        #expect(analysis.bgpTracker.unheldDirectionsDropped == count - 2 * cap)
        #expect(Self.capFindings(analysis).first?.measured == .composite([.count(count - 2 * cap, noun: "TCP direction"), .text(" dropped")]))
        let full = try Self.analyse(path)
        #expect(full.bgpTracker.reassemblyDirections == count)
        #expect(Self.capFindings(full).isEmpty)
    }

    @Test("ooo-many: the total reassembly cap makes the growing connection give up its gap")
    func reassemblyTotal() throws {
        // Per connection: a one-byte hole, then (1 MiB / 1,400 + 1) segments of 1,400 bytes.
        let count = 12, segmentBytes = 1_400, segments = (1 << 20) / 1_400 + 1
        let perConnection = segments * segmentBytes
        guard let path = try Self.attack("ooo-many", count: count) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Per-direction buffers large enough to hold a whole connection; 4 MiB for all of them.
        let total = 4 << 20
        let analysis = try Self.analyse(path, maxReassembly: total, tcpBuffer: 2 << 20)
        let tally = analysis.bgpTracker.reassemblyCap
        // Three connections fit (3 × perConnection ≤ 4 MiB); each later one overflows the total at
        // its last segment and gives up its own gap.
        let fitting = total / perConnection
        #expect(fitting == 3)
        #expect(tally.gaps == count - fitting)
        #expect(tally.bytes == (count - fitting) * perConnection)
        #expect(tally.peakBytes <= total + segmentBytes)
        let finding = Self.capFindings(analysis).first
        #expect(finding?.measured == .composite([.count((count - fitting) * perConnection, noun: "out-of-order byte"), .text(" released early")]))
        #expect(finding?.messageText.contains("--max-reassembly") == true)
        // The gaps given up are holes of one byte each, attributed to the cap.
        let holes = analysis.bgpSessions.flatMap(\.events).filter { if case .hole(missing: 1) = $0.kind { true } else { false } }
        #expect(holes.count == count)
    }

    @Test("stalled-stream: data behind a never-filled hole is held up to the per-direction cap, then given up")
    func stalledStream() throws {
        let count = 2_000
        guard let path = try Self.attack("stalled-stream", count: count) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analysis = try Self.analyse(path, maxSessions: 10)
        #expect(analysis.bgpSessions.count == 1)
        // One gap (the byte after the header), given up once 1 MiB waited behind it.
        #expect(analysis.bgpSessions.first?.holes == 1)
        let overflow = analysis.findings.filter {
            $0.rule.id == "CAPTURE.TCP.HOLE" && $0.messageText.contains("reassembly buffer cap")
        }
        #expect(overflow.count == 1)
        // The data carries no BGP marker: nothing is framed from it, and no header's worth is left.
        #expect(analysis.bgpSessions.first?.sides[0].messages.reduce(0, +) == 0)
        #expect(Self.capFindings(analysis).isEmpty)
    }

    @Test("below the cap the findings of every committed capture are those without a cap",
          arguments: GoldenFindingsTests.captures())
    func belowCapUnchanged(capture: String) throws {
        let path = Self.root.appendingPathComponent("captures/\(capture)").path
        let full = try Self.analyse(path)
        let exact = max(full.sessions.count, full.bgpSessions.count, 1)
        let capped = try Self.analyse(path, maxSessions: exact)
        func lines(_ analysis: CaptureAnalysis) -> [String] {
            analysis.findings.map { "\($0.level) \($0.rule.id) \($0.sessionID ?? 0) \($0.bgpSessionID ?? 0) \($0.frames) \($0.occurrences) \($0.message)" }
        }
        #expect(lines(capped) == lines(full))
        #expect(capped.sessions.map(\.id) == full.sessions.map(\.id))
        #expect(capped.bgpSessions.map(\.id) == full.bgpSessions.map(\.id))
        // One fewer than needed folds and says so.
        if exact > 1 {
            let under = try Self.analyse(path, maxSessions: exact - 1)
            #expect(!Self.capFindings(under).isEmpty)
        }
    }
}

enum AttackObservations {
    static func address(_ last: UInt8) -> IPAddress { .v4(IPv4Address(10, 0, 0, last)) }

    static func observation(_ frame: Int, _ source: IPAddress, _ destination: IPAddress, my: UInt32) -> BFDObservation {
        BFDObservation(frameNumber: frame, timeNanoseconds: Int64(frame) * 1_000_000, transport: .singleHop,
                       source: source, destination: destination, sourcePort: 49152, destinationPort: 3784, ttl: 255,
                       packet: BFDControlPacket(state: .down, myDiscriminator: my, yourDiscriminator: 0))
    }
}
