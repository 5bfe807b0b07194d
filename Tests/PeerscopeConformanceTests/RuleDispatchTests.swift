import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeWire
import Testing

/// The engines call each rule only for the events it subscribes to. What a state change, a timer
/// change and a Poll/Final are is read from tshark's dissection of a committed lab capture (FRR and
/// BIRD changing timers while Up), not from our decoder.
@Suite struct RuleDispatchTests {
    /// Records the frames of the events it is given, and counts calls of hooks it did not ask for.
    final class Spy: BFDRule {
        let bfdEvents: BFDRuleEvents
        var stateChanges: [Int] = []
        var timerChanges: [Int] = []
        var pollFinals: [Int] = []
        var packets = 0
        var unasked = 0

        init(_ events: BFDRuleEvents) { bfdEvents = events }

        override var events: BFDRuleEvents { bfdEvents }
        override func packet(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
            if bfdEvents.contains(.packet) { packets += 1 } else { unasked += 1 }
        }
        override func stateChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, from: BFDState, to: BFDState,
                         _ out: inout BFDRuleOutput) {
            if bfdEvents.contains(.stateChange) { stateChanges.append(context.observation.frameNumber) } else { unasked += 1 }
        }
        override func timerChange(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
            if bfdEvents.contains(.timerChange) { timerChanges.append(context.observation.frameNumber) } else { unasked += 1 }
        }
        override func pollFinal(_ context: BFDPacketContext, session: BFDSession, slot: Int, _ out: inout BFDRuleOutput) {
            if bfdEvents.contains(.pollFinal) { pollFinals.append(context.observation.frameNumber) } else { unasked += 1 }
        }
    }

    /// A BGP rule that asks for nothing: it must never be called.
    final class SilentBGPSpy: BGPRule {
        var calls = 0
        override var events: BGPRuleEvents { [] }
        override func message(_ context: BGPMessageContext, session: BGPSession, _ out: inout BGPRuleOutput) { calls += 1 }
        override func transport(_ event: BGPTransportEvent, session: BGPSession, side: Int, _ out: inout BGPRuleOutput) { calls += 1 }
    }

    /// tshark's view: per sender and discriminator, the frames whose State, timers, or P/F differ
    /// from that sender's previous packet (RFC 5880 §4.1 field names as tshark's `bfd.*`).
    static func tsharkEvents(_ path: String) throws -> (all: Int, state: [Int], timers: [Int], pollFinal: [Int])? {
        guard let rows = try TsharkFields.rows(path, filter: "bfd", fields: [
            "ip.src", "bfd.my_discriminator", "bfd.sta", "bfd.desired_min_tx_interval",
            "bfd.required_min_rx_interval", "bfd.detect_time_multiplier", "bfd.flags.p", "bfd.flags.f"])
        else { return nil }
        var previous: [String: (state: String, timers: [String])] = [:]
        var all = 0
        var state: [Int] = [], timers: [Int] = [], pollFinal: [Int] = []
        for frame in rows.keys.sorted() {
            // Without the frame number: sender, discriminator, state, three timers, P, F.
            let cells = [""] + rows[frame]!
            all += 1
            let key = cells[1] + " " + cells[2]
            let now = (state: cells[3], timers: Array(cells[4...6]))
            if let before = previous[key] {
                if before.state != now.state { state.append(frame) }
                if before.timers != now.timers { timers.append(frame) }
            }
            if cells[7] == "1" || cells[8] == "1" { pollFinal.append(frame) }
            previous[key] = now
        }
        return (all, state, timers, pollFinal)
    }

    @Test("each BFD hook is called on exactly the frames tshark shows for its event, and no other hook is called")
    func bfdHooksFollowTshark() throws {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/lab/frr-timer-change.pcap").path
        guard let truth = try Self.tsharkEvents(path) else { Issue.record("tshark not installed"); return }
        let everyPacket = Spy(.packet), states = Spy(.stateChange), timers = Spy(.timerChange), polls = Spy(.pollFinal)
        let silent = SilentBGPSpy()
        let reader = try CaptureReader(path: path)
        var pipeline = AnalysisPipeline(stages: .rules,
                                        rules: ConformanceRules(options: CheckOptions(),
                                                                bfdRules: [everyPacket, states, timers, polls],
                                                                bgpRules: [silent]),
                                        tracker: BFDSessionTracker(), bgpTracker: BGPSessionTracker(),
                                        backwardFramesKept: FindingSink.framesKept)
        try pipeline.run(reader)
        #expect(everyPacket.packets == truth.all && truth.all > 0)
        #expect(states.stateChanges == truth.state && !truth.state.isEmpty)
        #expect(timers.timerChanges == truth.timers && !truth.timers.isEmpty)
        #expect(polls.pollFinals == truth.pollFinal && !truth.pollFinal.isEmpty)
        #expect([everyPacket, states, timers, polls].allSatisfy { $0.unasked == 0 })
        #expect(silent.calls == 0)
    }
}
