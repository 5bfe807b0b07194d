import Foundation
import PeerscopeCapture
import PeerscopeProbe
import PeerscopeWire
import Testing

@Suite("Live capture of the tester's own run")
struct LiveCaptureTests {
    @Test("records UDP to 127.0.0.1:3784 on lo to pcapng; CaptureReader reads it back with TTLs and ns timestamps")
    func recordLoopback() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ps-io-capture-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pcapng").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let local = addr("127.0.0.1")
        // Narrow the default filter to this test's traffic: other tests send from 127.0.0.1 to other loopback
        // addresses (the kernel picks 127.0.0.1 as their source) and use 3784 on those.
        let filter = "(\(LiveCaptureRecorder.defaultFilter)) and udp and dst host 127.0.0.1"
        let recorder = try LiveCaptureRecorder(interface: "lo", path: path, filter: filter)
        try recorder.start()
        let payloads: [[UInt8]] = (0..<5).map { [0x20, 0xC0, 3, 24, UInt8($0)] + [UInt8](repeating: 0xAB, count: 19) }
        let before = MonotonicClock.wallNanoseconds()
        let received = try await onOwnThread { () -> Int in
            let receiver = try BFDSocket.Receiver(local: local, transport: .singleHop)
            let peerGuard = try PeerGuard(peer: local, singleHop: true, interfaces: try LocalInterfaces.current())
            let transmitter = try BFDSocket.Transmitter(local: local, peerGuard: peerGuard, transport: .singleHop)
            let loop = try EventLoop()
            try loop.register(receiver.fileDescriptor)
            for (index, payload) in payloads.enumerated() {
                try transmitter.send(payload, ttl: index == 4 ? 254 : nil, now: MonotonicClock.nowNanoseconds())
            }
            var count = 0
            _ = try pump(loop) { _, _ in
                while try receiver.receive() != nil { count += 1 }
                return count == payloads.count
            }
            return count
        }
        #expect(received == payloads.count)
        let statistics = recorder.stop()
        #expect(statistics.error == nil)
        #expect(recorder.resolution == .nanoseconds)
        #expect(recorder.linkType == .ethernet)

        let reader = try CaptureReader(path: path)
        #expect(reader.linkType == .ethernet)
        #expect(reader.resolution == .nanoseconds)
        var seen: [(ttl: UInt8, payload: [UInt8], timestamp: Int64)] = []
        while let frame = try reader.next() {
            // Ethernet (14) + IPv4 without options (20) + UDP (8), as lo delivers it.
            let bytes = Array(frame.bytes)
            guard bytes.count >= 42, bytes[12] == 0x08, bytes[13] == 0x00, bytes[23] == 17 else { continue }
            let destinationPort = UInt16(bytes[36]) << 8 | UInt16(bytes[37])
            guard destinationPort == 3784 else { continue }
            seen.append((bytes[22], Array(bytes[42...]), frame.timestampNanoseconds))
        }
        #expect(statistics.framesWritten == seen.count)
        #expect(seen.map(\.payload) == payloads)
        #expect(seen.map(\.ttl) == [255, 255, 255, 255, 254])
        let after = MonotonicClock.wallNanoseconds()
        #expect(seen.allSatisfy { $0.timestamp >= before - 1_000_000 && $0.timestamp <= after })
    }

    @Test("a bad interface or filter is a one-line CaptureError")
    func openErrors() {
        #expect(throws: CaptureError.self) {
            _ = try LiveCaptureRecorder(interface: "ps-io-nonexistent0", path: "/dev/null")
        }
        #expect(throws: CaptureError.self) {
            _ = try LiveCaptureRecorder(interface: "lo", path: "/dev/null", filter: "udp port nonsense")
        }
    }
}
