import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// The tracker matches a packet only against the latest `candidateWindow` sessions of its address
/// pair, so a flood of fresh discriminators costs linear time (tools/fuzz/attack-captures
/// bfd-one-pair). RFC 5880 §6.8.6 demultiplexing by Your Discriminator still holds inside it.
struct BFDSessionWindowTests {
    static let a = IPAddress.v4(IPv4Address(10, 0, 0, 1))
    static let b = IPAddress.v4(IPv4Address(10, 0, 0, 2))

    static func observation(_ frame: Int, from source: IPAddress, to destination: IPAddress, state: BFDState,
                            my: UInt32, your: UInt32) -> BFDObservation {
        BFDObservation(frameNumber: frame, timeNanoseconds: Int64(frame) * 1_000_000, transport: .singleHop,
                       source: source, destination: destination, sourcePort: 49152, destinationPort: 3784, ttl: 255,
                       packet: BFDControlPacket(state: state, myDiscriminator: my, yourDiscriminator: your))
    }

    @Test("a packet naming a session inside the window joins it (§6.8.6: Your Discriminator selects the session)")
    func insideWindow() {
        var tracker = BFDSessionTracker(candidateWindow: 4)
        // Six sessions on one pair: A restarts with discriminators 1…6, each answered by B with 100+n.
        for n in 1...6 {
            tracker.observe(Self.observation(2 * n - 1, from: Self.a, to: Self.b, state: .down, my: UInt32(n), your: 0))
            tracker.observe(Self.observation(2 * n, from: Self.b, to: Self.a, state: .`init`, my: UInt32(100 + n),
                                             your: UInt32(n)))
        }
        #expect(tracker.sessions.count == 6)
        // B answers A's third session: the third is within the latest four.
        tracker.observe(Self.observation(13, from: Self.b, to: Self.a, state: .up, my: 103, your: 3))
        #expect(tracker.sessions.count == 6)
        #expect(tracker.sessions[2].b?.last.frameNumber == 13)
        // Counted: B's answers to sessions 5 and 6, A's start of session 6, and this packet.
        #expect(tracker.packetsBeyondWindow == 4)
    }

    @Test("a packet for a session older than the window starts a new one, and is counted")
    func beyondWindow() {
        var tracker = BFDSessionTracker(candidateWindow: 4)
        for n in 1...6 {
            tracker.observe(Self.observation(2 * n - 1, from: Self.a, to: Self.b, state: .down, my: UInt32(n), your: 0))
            tracker.observe(Self.observation(2 * n, from: Self.b, to: Self.a, state: .`init`, my: UInt32(100 + n),
                                             your: UInt32(n)))
        }
        tracker.observe(Self.observation(13, from: Self.b, to: Self.a, state: .up, my: 101, your: 1))
        #expect(tracker.sessions.count == 7)
        #expect(tracker.sessions[6].b?.last.frameNumber == 13)
        #expect(tracker.packetsBeyondWindow == 4)
    }
}
