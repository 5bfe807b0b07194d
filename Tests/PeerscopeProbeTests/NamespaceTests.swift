import Foundation
import Synchronization
import PeerscopeProbe
import PeerscopeWire
import Testing

/// Two network namespaces joined by a veth pair, 192.0.2.0/24 and 2001:db8::/64 inside: a real
/// single-hop link, where the kernel's routing (not loopback) carries the packets.
/// Names start with `ps-io-` and carry the process id, so they never meet the lab's `ps-` scenarios
/// or another test run; the veth ends are created inside the namespaces, never in the root one.
/// While they exist the pair holds the lab's lock, so `tools/lab/run` (whose checks look for any
/// `ps-` namespace) never runs beside them. Both namespaces (and with them the veth pair) are
/// deleted on every path, and the lock released.
final class VethPair: Sendable {
    let namespaceA: String
    let namespaceB: String
    let interfaceA: String
    let interfaceB: String
    private let lock: LabLock

    /// `test` is one letter per test, so tests of this suite can run in parallel; `prefix` names
    /// the family (`io` gives `ps-io-`, the probe self-test's `pr` gives `ps-pr-`).
    init(test: Character, prefix: String = "io") throws {
        let tag = "\(getpid())\(test)"
        namespaceA = "ps-\(prefix)-\(tag)-a"
        namespaceB = "ps-\(prefix)-\(tag)-b"
        interfaceA = "ps\(prefix)\(tag)a"
        interfaceB = "ps\(prefix)\(tag)b"
        lock = try LabLock()
        delete()
        do {
            try ip("netns", "add", namespaceA)
            try ip("netns", "add", namespaceB)
            try ip("link", "add", interfaceA, "netns", namespaceA, "type", "veth", "peer", "name", interfaceB,
                   "netns", namespaceB)
            try ip("-n", namespaceA, "addr", "add", "192.0.2.1/24", "dev", interfaceA)
            try ip("-n", namespaceB, "addr", "add", "192.0.2.2/24", "dev", interfaceB)
            // nodad: the addresses are usable at once instead of after duplicate address detection.
            try ip("-n", namespaceA, "addr", "add", "2001:db8::1/64", "dev", interfaceA, "nodad")
            try ip("-n", namespaceB, "addr", "add", "2001:db8::2/64", "dev", interfaceB, "nodad")
            for (namespace, interface) in [(namespaceA, interfaceA), (namespaceB, interfaceB)] {
                try ip("-n", namespace, "link", "set", "lo", "up")
                try ip("-n", namespace, "link", "set", interface, "up")
            }
        } catch {
            delete()
            throw error
        }
    }

    /// Deletes both namespaces and releases the lab lock; safe to call twice.
    func delete() {
        _ = try? ip("netns", "del", namespaceA)
        _ = try? ip("netns", "del", namespaceB)
        lock.release()
    }

    deinit { delete() }
}

/// The lock `tools/lab/lib.sh` takes (flock on /run/lock/peerscope-lab.lock) for a whole scenario.
final class LabLock: Sendable {
    private let fd: Int32
    private let held = Mutex(true)

    init(timeoutSeconds: Int = 300) throws {
        let path = FileManager.default.fileExists(atPath: "/run/lock") ? "/run/lock/peerscope-lab.lock"
                                                                         : "/tmp/peerscope-lab.lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CommandError(command: "open \(path)", output: String(cString: strerror(errno))) }
        let deadline = MonotonicClock.nowNanoseconds() + Int64(timeoutSeconds) * 1_000_000_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard MonotonicClock.nowNanoseconds() < deadline else {
                close(fd)
                throw CommandError(command: "flock \(path)", output: "a lab run held it for \(timeoutSeconds) s")
            }
            usleep(50_000)
        }
    }

    func release() {
        held.withLock { held in
            guard held else { return }
            held = false
            close(fd)  // closing the only descriptor releases the flock
        }
    }

    deinit { release() }
}

@Suite("Single hop across a veth pair between two ps-io- namespaces", .enabled(if: canCreateNamespaces))
struct NamespaceTests {
    @Test("TTL 255 and a probe's 254 arrive unchanged over a real link; guard sees the connected /24 and /64")
    func singleHopOverVeth() async throws {
        let pair = try await onOwnThread { try VethPair(test: "u") }
        defer { pair.delete() }
        let outcome = try await onOwnThread { () -> [String] in
            var log: [String] = []
            // Side A: the tester. Its guard and sockets are made inside namespace A.
            let (transmitters, refusals) = try NetworkNamespace.run(pair.namespaceA) {
                () throws -> ([BFDSocket.Transmitter], [String]) in
                let interfaces = try LocalInterfaces.current()
                var refusals: [String] = []
                for (peer, singleHop) in [("192.0.2.255", true), ("198.51.100.1", true), ("2001:db8:1::2", true),
                                          ("ff02::1", false), ("192.0.2.2", true)] {
                    do {
                        _ = try PeerGuard(peer: addr(peer), singleHop: singleHop, interfaceName: pair.interfaceA,
                                          interfaces: interfaces)
                        refusals.append("\(peer): admitted")
                    } catch {
                        refusals.append("\(peer): \(error)")
                    }
                }
                let transmitters = try [("192.0.2.1", "192.0.2.2"), ("2001:db8::1", "2001:db8::2")].map { local, peer in
                    let peerGuard = try PeerGuard(peer: addr(peer), singleHop: true, interfaceName: pair.interfaceA,
                                                  interfaces: interfaces)
                    return try BFDSocket.Transmitter(local: addr(local), peerGuard: peerGuard, transport: .singleHop,
                                                     interface: pair.interfaceA)
                }
                return (transmitters, refusals)
            }
            log += refusals
            // Side B: a plain receiver bound to its interface, as the device under test would be.
            let (receivers, indexB) = try NetworkNamespace.run(pair.namespaceB) {
                () throws -> ([BFDSocket.Receiver], UInt32) in
                let receivers = try ["192.0.2.2", "2001:db8::2"].map {
                    try BFDSocket.Receiver(local: addr($0), transport: .singleHop, interface: pair.interfaceB)
                }
                return (receivers, if_nametoindex(pair.interfaceB))
            }
            // Back in the test's own namespace: the sockets keep theirs.
            let loop = try EventLoop()
            for receiver in receivers { try loop.register(receiver.fileDescriptor) }
            for transmitter in transmitters {
                try transmitter.send([1], now: MonotonicClock.nowNanoseconds())
                try transmitter.send([2], ttl: 254, now: MonotonicClock.nowNanoseconds())
            }
            var received: [ReceivedDatagram] = []
            _ = try pump(loop, timeoutNanoseconds: 5_000_000_000) { _, _ in
                for receiver in receivers { while let datagram = try receiver.receive() { received.append(datagram) } }
                return received.count == 4
            }
            for datagram in received.sorted(by: { ($0.source.address, $0.bytes[0]) < ($1.source.address, $1.bytes[0]) }) {
                log.append("\(datagram.source.address) → \(datagram.destination?.description ?? "?") "
                           + "ttl \(datagram.ttl.map(String.init) ?? "?") "
                           + "on \(datagram.interfaceIndex == indexB ? "B's veth" : "ifindex \(datagram.interfaceIndex)") "
                           + "port ok \(BFDSocket.sourcePortRange.contains(datagram.source.port))")
            }
            return log
        }
        #expect(outcome == [
            "192.0.2.255: 192.0.2.255 is the broadcast address of \(pair.interfaceA) 192.0.2.1/24",
            "198.51.100.1: 198.51.100.1 is not in a prefix configured on \(pair.interfaceA), as a single-hop peer must be",
            "2001:db8:1::2: 2001:db8:1::2 is not in a prefix configured on \(pair.interfaceA), as a single-hop peer must be",
            "ff02::1: ff02::1 is a multicast address",
            "192.0.2.2: admitted",
            "192.0.2.1 → 192.0.2.2:3784 ttl 255 on B's veth port ok true",
            "192.0.2.1 → 192.0.2.2:3784 ttl 254 on B's veth port ok true",
            "2001:db8::1 → [2001:db8::2]:3784 ttl 255 on B's veth port ok true",
            "2001:db8::1 → [2001:db8::2]:3784 ttl 254 on B's veth port ok true",
        ])
    }

    @Test("BGP transport across the link: TTL 255 passes a listener's minimum TTL 255, TTL 254 does not")
    func gtsmOverVeth() async throws {
        let pair = try await onOwnThread { try VethPair(test: "t") }
        defer { pair.delete() }
        let outcome = try await onOwnThread { () -> [String] in
            let listener = try NetworkNamespace.run(pair.namespaceB) { () throws -> TCPListener in
                try TCPListener(local: SocketAddress(addr("192.0.2.2"), port: 179),
                                options: TCPOptions(minimumTTL: 255, interface: pair.interfaceB))
            }
            var results: [String] = []
            for ttl: UInt8 in [254, 255] {
                let client = try NetworkNamespace.run(pair.namespaceA) { () throws -> TCPConnection in
                    var peerGuard = try PeerGuard(peer: addr("192.0.2.2"), singleHop: true,
                                                  interfaceName: pair.interfaceA, interfaces: try LocalInterfaces.current())
                    return try TCPConnection.connect(to: SocketAddress(addr("192.0.2.2"), port: 179),
                                                     options: TCPOptions(ttl: ttl, interface: pair.interfaceA),
                                                     peerGuard: &peerGuard, now: MonotonicClock.nowNanoseconds())
                }
                let loop = try EventLoop()
                try loop.register(client.fileDescriptor, interest: .writable)
                try loop.register(listener.fileDescriptor)
                var accepted: TCPConnection?
                var connected = false
                let done = try pump(loop, timeoutNanoseconds: 600_000_000) { event, _ in
                    guard case .ready(let fd, _, _, _) = event else { return false }
                    if fd == listener.fileDescriptor, accepted == nil { accepted = try listener.accept() }
                    if fd == client.fileDescriptor, !connected {
                        connected = try client.finishConnecting()
                        if connected { try loop.unregister(client.fileDescriptor) }
                    }
                    return connected && accepted != nil
                }
                results.append("ttl \(ttl): \(done ? "established, peer \(accepted?.peerAddress?.address.description ?? "?")" : "not established")")
                client.close()
            }
            return results
        }
        #expect(outcome == ["ttl 254: not established", "ttl 255: established, peer 192.0.2.1"])
    }
}
