import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// Issue 12: frames centuries apart, in both directions, reach the duration formatting of `check`,
/// `sessions` and `timeline` (Units.fixed trapped for 213 days or more). The capture is built here
/// with FrameBuilder; its record timestamps jump between 0 and 2³¹−1 s (libpcap hands classic-pcap
/// seconds ≥ 2³¹ back sign-extended, so 2³¹−1 s is the largest that reads back as written; tshark
/// reads 2³²−1 s correctly).
@Suite("commands over frames at the ends of the timestamp range")
struct TimestampExtremesCommandTests {
    static func capture(monotonic: Bool = false) throws -> String {
        let path = NSTemporaryDirectory() + "peerscope-extremes-\(UUID().uuidString).pcap"
        let writer = try CaptureWriter(path: path, format: .pcap, linkType: .ethernet)
        let a = IPAddress("192.0.2.1")!, b = IPAddress("192.0.2.2")!
        let last = Int64(Int32.max) * 1_000_000_000
        // Down, Init, Up, Up … with time jumping 0 → 68 years → 0 → …
        let states: [(IPAddress, IPAddress, UInt16, BFDState, UInt32, UInt32)] = [
            (a, b, 49152, .down, 11, 0), (b, a, 49153, .`init`, 22, 11), (a, b, 49152, .up, 11, 22),
            (b, a, 49153, .up, 22, 11), (a, b, 49152, .up, 11, 22), (b, a, 49153, .up, 22, 11),
            (a, b, 49152, .up, 11, 22), (b, a, 49153, .down, 22, 0),
        ]
        for (index, (source, destination, port, state, mine, yours)) in states.enumerated() {
            let packet = BFDControlPacket(state: state, detectMultiplier: 3, myDiscriminator: mine, yourDiscriminator: yours,
                                          desiredMinTxInterval: 1_000_000, requiredMinRxInterval: 1_000_000)
            let builder = FrameBuilder.udp(from: source, port, to: destination, 3784)
            let time = monotonic ? Int64(index) * 900_000_000 : index.isMultiple(of: 2) ? 0 : last
            writer.write(timestampNanoseconds: time, bytes: builder.build(payload: packet.encoded))
        }
        return path
    }

    @Test("check, sessions and timeline finish (exit 0 or 1, never a trap) and print their durations")
    func noTrap() throws {
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check = try CLI.peerscope("check", path)
        // Time going back and forth proves no timing MUST: no trap, exit 0, and the steps are named.
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("CAPTURE.TIME.BACKWARDS"))
        #expect(check.stdout.contains("frames 3,5,7"))
        #expect(check.stdout.contains("8 frames"))
        let sessions = try CLI.peerscope("sessions", path)
        #expect(sessions.status == 0, "\(sessions.stderr)")
        let timeline = try CLI.peerscope("timeline", path)
        #expect(timeline.status == 0, "\(timeline.stderr)")
        // 2³¹−1 s apart, written out in full in the findings and the timeline.
        #expect(check.stdout.contains("2147483647 s"))
        #expect(timeline.stdout.contains("2147483647.000000000"))
    }

    @Test("clean twin: the same packets 900 ms apart, in order: no backwards step, no TX.FAST")
    func monotonicTwin() throws {
        let path = try Self.capture(monotonic: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check = try CLI.peerscope("check", path)
        #expect(!check.stdout.contains("CAPTURE.TIME.BACKWARDS"))
        // 1.8 s between one side's packets at a 1 s interval is not fast; the Down and Up transitions are fine.
        #expect(!check.stdout.contains("BFD.TMR.TX.FAST"))
    }
}
