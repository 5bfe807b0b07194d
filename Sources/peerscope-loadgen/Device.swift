import ArgumentParser
import PeerscopeProbe
import PeerscopeWire

/// `device` (internal to `detect`): a one-session peerscope pool playing the device under test, with
/// a known Detection Time.
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

    func run() throws {
        try Host.prepareThread(cpu: cpu, realtimePriority: realtime)
        let microseconds = UInt32((interval * 1_000).rounded())
        let pool = try BFDSessionPool(
            receiveOn: SocketAddress(.v4(IPv4Address(0)), port: port), interface: "lo", capacity: 1,
            peerReceivePort: peerPort, interfaces: try LocalInterfaces.current())
        try pool.add(local: Self.deviceAddress, peer: Self.testerAddress,
                     configuration: try BFDEndpointConfiguration(
                        localDiscriminator: 0x0E00_0001, desiredMinTxInterval: microseconds,
                        requiredMinRxInterval: microseconds, detectMultiplier: multiplier))
        let runner = try BFDPoolRunner(pools: [pool])
        pool.startAll()
        try runner.run(until: MonotonicClock.nowNanoseconds() + Int64(seconds * 1e9))
    }
}

import PeerscopeEndpoint
