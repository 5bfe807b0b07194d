import PeerscopeCapture
import PeerscopeWire
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `LiveFrameSource` on the loopback interface (root only: capturing needs CAP_NET_RAW). The
/// truth is what the test sends itself and the kernel's clock read around it.
@Suite(.enabled(if: getuid() == 0, "capturing on lo needs root"))
struct LiveFrameSourceTests {
    /// A port no other test uses, so the filter sees only this test's datagram.
    static let port: UInt16 = 47_913

    static func sendDatagram(_ payload: [UInt8], to port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return sent == payload.count
    }

    @Test("a quiet interface yields idle ticks with the wall-clock time; a datagram sent to it comes out as a frame with its payload and a timestamp between send and receive")
    func idleThenFrame() throws {
        let source = try LiveFrameSource(interface: "lo", filter: "udp dst port \(Self.port)", pollMilliseconds: 50)
        #expect(source.linkType == .ethernet)  // Linux's lo is DLT_EN10MB
        let beforeIdle = LiveFrameSource.now()
        guard case .idle(let now) = try source.nextEvent() else {
            Issue.record("expected an idle tick on a filter nothing matches")
            return
        }
        #expect(now >= beforeIdle && now <= LiveFrameSource.now())

        let payload: [UInt8] = Array("peerscope live source".utf8)
        let sentAt = LiveFrameSource.now()
        #expect(Self.sendDatagram(payload, to: Self.port))
        var frame: Frame?
        for _ in 0..<40 {  // 2 s at most
            if case .frame(let got) = try source.nextEvent() {
                frame = got
                break
            }
        }
        let receivedBy = LiveFrameSource.now()
        let got = try #require(frame)
        #expect(got.number == 1 && source.framesRead == 1)
        #expect(Array(got.bytes.suffix(payload.count)) == payload)
        // Ethernet 14 + IPv4 20 + UDP 8 in front of the payload.
        #expect(got.capturedLength == 14 + 20 + 8 + payload.count)
        #expect(got.timestampNanoseconds >= sentAt - 1_000_000 && got.timestampNanoseconds <= receivedBy)
        #expect(source.originNanoseconds == got.timestampNanoseconds)
    }

    @Test("an interface that does not exist is refused with its name, before any frame")
    func noSuchInterface() {
        #expect {
            _ = try LiveFrameSource(interface: "psnosuch0")
        } throws: { error in
            guard let error = error as? CaptureError, case .openFailed(let path, _) = error else { return false }
            return path == "psnosuch0"
        }
    }

    @Test("a filter libpcap cannot compile is refused as such")
    func badFilter() {
        #expect {
            _ = try LiveFrameSource(interface: "lo", filter: "udp port banana")
        } throws: { error in
            guard let error = error as? CaptureError, case .invalidFilter = error else { return false }
            return true
        }
    }
}
