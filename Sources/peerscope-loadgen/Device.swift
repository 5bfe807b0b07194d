import ArgumentParser
import Foundation
import PeerscopeEndpoint
import PeerscopeProbe
import PeerscopeWire

/// `device` (internal to `detect`): one peerscope BFD endpoint playing the device under test, with
/// a known Detection Time. For every Detection Time that expires it writes one JSON line with its own
/// part in the delay the tester sees: how long after the kernel took in our last packet its loop
/// read it (the Detection Time counts from the read), and how late its detection timer fired.
struct Device: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The device side of a detect run (started by `detect`).", shouldDisplay: false)

    @Option var port: UInt16
    @Option(name: .customLong("peer-port")) var peerPort: UInt16
    @Option var interval: Double
    @Option var multiplier: UInt8 = 3
    @Option var seconds: Double
    @Option var cpu: Int?
    @Option var realtime: Int32 = 0

    static let deviceAddress = IPAddress("127.3.0.2")!
    static let testerAddress = IPAddress("127.3.0.1")!

    /// The device's own share of one detection, as it reports it.
    struct Report: Codable {
        /// Wall clock right after recvmsg minus the kernel receive timestamp of the last packet.
        var readDelayNanoseconds: Int64
        /// When the Down packet had left minus the detection deadline.
        var timerLatenessNanoseconds: Int64
        /// Wall clock just before the Down packet was sent, to match the report to a trial.
        var downSentWallNanoseconds: Int64
    }

    func run() throws {
        try Host.prepareThread(cpu: cpu, realtimePriority: realtime)
        let microseconds = UInt32((interval * 1_000).rounded())
        let receiver = try UDPSocket(family: 4)
        try receiver.bind(toInterface: "lo")
        try receiver.bind(to: SocketAddress(.v4(IPv4Address(0)), port: port))
        let peerGuard = try PeerGuard(peer: Self.testerAddress, singleHop: true,
                                      interfaces: try LocalInterfaces.current())
        let transmitter = try BFDSocket.Transmitter(local: Self.deviceAddress, peerGuard: peerGuard,
                                                    transport: .singleHop, destinationPort: peerPort)
        var endpoint = BFDEndpoint(configuration: try BFDEndpointConfiguration(
            localDiscriminator: 0x0E00_0001, desiredMinTxInterval: microseconds, requiredMinRxInterval: microseconds,
            detectMultiplier: multiplier))
        let loop = try EventLoop()
        try loop.register(receiver.fileDescriptor)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 8)
        defer { buffer.deallocate() }
        var lastReadDelay: Int64 = 0
        let end = MonotonicClock.nowNanoseconds() + Int64(seconds * 1e9)

        func perform(_ actions: [BFDEndpointAction], deadline: Int64?) throws {
            var report: Report?
            for action in actions {
                switch action {
                case .send(let transmission):
                    try transmitter.send(transmission.bytes, now: MonotonicClock.nowNanoseconds())
                case .stateChanged(.up, .down, .controlDetectionTimeExpired):
                    // The Down packet is the next action: this is when the timer got to run. The
                    // report is written after the packet left, so writing it delays nothing.
                    report = Report(readDelayNanoseconds: lastReadDelay,
                                    timerLatenessNanoseconds: MonotonicClock.nowNanoseconds() - (deadline ?? 0),
                                    downSentWallNanoseconds: MonotonicClock.wallNanoseconds())
                default:
                    break
                }
            }
            if let report {
                FileHandle.standardOutput.write(try JSONEncoder().encode(report) + Data("\n".utf8))
            }
        }

        try perform(endpoint.start(now: MonotonicClock.nowNanoseconds()), deadline: nil)
        while MonotonicClock.nowNanoseconds() < end {
            try loop.wait(until: min(endpoint.nextDeadline ?? end, end)) { event, _ in
                guard case .ready = event else { return }
                while let metadata = try receiver.receive(into: buffer) {
                    let wall = MonotonicClock.wallNanoseconds()
                    if let kernel = metadata.kernelTimestampNanoseconds { lastReadDelay = wall - kernel }
                    let payload = UnsafeRawBufferPointer(rebasing: buffer[0..<min(metadata.length, buffer.count)])
                    try perform(endpoint.receive(payload: payload, ttl: metadata.ttl ?? 0,
                                                 now: metadata.receivedAtNanoseconds), deadline: nil)
                }
            }
            let deadline = endpoint.nextDeadline
            try perform(endpoint.advance(to: MonotonicClock.nowNanoseconds()), deadline: deadline)
        }
    }
}
