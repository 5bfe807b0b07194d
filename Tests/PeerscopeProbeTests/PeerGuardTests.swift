import PeerscopeProbe
import PeerscopeWire
import Testing

/// The guard's decisions over a fixed set of interfaces (no kernel needed).
@Suite("PeerGuard")
struct PeerGuardTests {
    static let interfaces = [
        LocalInterface(name: "lo", index: 1, address: addr("127.0.0.1"), prefixLength: 8, isLoopback: true),
        LocalInterface(name: "lo", index: 1, address: addr("::1"), prefixLength: 128, isLoopback: true),
        LocalInterface(name: "eth0", index: 2, address: addr("192.0.2.1"), prefixLength: 24),
        LocalInterface(name: "eth0", index: 2, address: addr("2001:db8::1"), prefixLength: 64),
        LocalInterface(name: "eth0", index: 2, address: addr("fe80::1"), prefixLength: 64),
        LocalInterface(name: "eth1", index: 3, address: addr("198.51.100.1"), prefixLength: 31),
        LocalInterface(name: "eth2", index: 4, address: addr("198.51.100.129"), prefixLength: 25, isUp: false),
    ]

    func refusal(_ peer: String, singleHop: Bool = false, interface: String? = nil) -> PeerGuardError? {
        do {
            _ = try PeerGuard(peer: IPAddress(peer)!, singleHop: singleHop, interfaceName: interface,
                              interfaces: Self.interfaces)
            return nil
        } catch {
            return error
        }
    }

    @Test("unspecified, broadcast, multicast and reserved addresses are refused as peers", arguments: [
        ("0.0.0.0", PeerGuardError.unspecified(addr("0.0.0.0"))),
        ("0.1.2.3", .unspecified(addr("0.1.2.3"))),
        ("255.255.255.255", .limitedBroadcast(addr("255.255.255.255"))),
        ("224.0.0.5", .multicast(addr("224.0.0.5"))),
        ("239.255.255.250", .multicast(addr("239.255.255.250"))),
        ("240.0.0.1", .reserved(addr("240.0.0.1"))),
        ("::", .unspecified(addr("::"))),
        ("ff02::5", .multicast(addr("ff02::5"))),
        ("ff0e::1", .multicast(addr("ff0e::1"))),
        ("::ffff:255.255.255.255", .limitedBroadcast(addr("255.255.255.255"))),
        ("192.0.2.255", .subnetBroadcast(addr("192.0.2.255"), prefix: "eth0 192.0.2.1/24")),
        ("127.255.255.255", .subnetBroadcast(addr("127.255.255.255"), prefix: "lo 127.0.0.1/8")),
    ])
    func forbiddenAddresses(address: String, expected: PeerGuardError) {
        #expect(refusal(address) == expected)
        #expect(refusal(address, singleHop: true) == expected)
    }

    @Test("single hop needs a directly connected peer; multihop does not")
    func directlyConnected() {
        #expect(refusal("192.0.2.2", singleHop: true) == nil)
        #expect(refusal("2001:db8::2", singleHop: true) == nil)
        #expect(refusal("198.51.100.0", singleHop: true) == nil)  // /31: both addresses usable, no broadcast
        #expect(refusal("203.0.113.9", singleHop: true) == .notDirectlyConnected(addr("203.0.113.9"), interface: nil))
        #expect(refusal("2001:db8:1::2", singleHop: true)
                == .notDirectlyConnected(addr("2001:db8:1::2"), interface: nil))
        // An interface that is down connects nothing.
        #expect(refusal("198.51.100.130", singleHop: true)
                == .notDirectlyConnected(addr("198.51.100.130"), interface: nil))
        #expect(refusal("203.0.113.9", singleHop: false) == nil)
    }

    @Test("with --interface the peer must be on that interface")
    func namedInterface() throws {
        #expect(refusal("192.0.2.2", singleHop: true, interface: "eth0") == nil)
        #expect(refusal("192.0.2.2", singleHop: true, interface: "eth1")
                == .notDirectlyConnected(addr("192.0.2.2"), interface: "eth1"))
        #expect(refusal("192.0.2.2", singleHop: true, interface: "eth9") == .noSuchInterface("eth9"))
        let peerGuard = try PeerGuard(peer: addr("192.0.2.2"), singleHop: true, interfaceName: "eth0",
                                      interfaces: Self.interfaces)
        #expect(peerGuard.connectedVia?.address == addr("192.0.2.1"))
    }

    @Test("every packet must go to the configured peer")
    func onlyThePeer() throws {
        var peerGuard = try PeerGuard(peer: addr("192.0.2.2"), singleHop: true, interfaces: Self.interfaces)
        try peerGuard.admit(addr("192.0.2.2"), now: 0)
        #expect(throws: PeerGuardError.notThePeer(destination: addr("192.0.2.3"), peer: addr("192.0.2.2"))) {
            try peerGuard.admit(addr("192.0.2.3"), now: 0)
        }
        #expect(throws: PeerGuardError.self) { try peerGuard.admit(addr("255.255.255.255"), now: 0) }
    }

    @Test("token bucket: a burst, then the configured rate, never more")
    func rateLimit() throws {
        let peer = addr("192.0.2.2")
        var peerGuard = try PeerGuard(peer: peer, singleHop: true, interfaces: Self.interfaces,
                                      packetsPerSecond: 1_000, burst: 10)
        for _ in 0..<10 { try peerGuard.admit(peer, now: 0) }
        #expect(throws: PeerGuardError.rateLimited(peer: peer, packetsPerSecond: 1_000)) {
            try peerGuard.admit(peer, now: 0)
        }
        // One packet's worth of credit per millisecond.
        try peerGuard.admit(peer, now: 1_000_000)
        #expect(throws: PeerGuardError.self) { try peerGuard.admit(peer, now: 1_500_000) }
        // Sending at 1,000/s for a second is fine; faster is cut to the rate.
        var admitted = 0
        for step in 0..<4_000 {
            if (try? peerGuard.admit(peer, now: 2_000_000 + Int64(step) * 250_000)) != nil { admitted += 1 }
        }
        #expect((1_000...1_011).contains(admitted), "admitted \(admitted) in one second")
    }

    @Test("every refusal renders as one line")
    func descriptions() {
        let errors: [PeerGuardError] = [
            .unspecified(addr("0.0.0.0")), .limitedBroadcast(addr("255.255.255.255")),
            .multicast(addr("ff02::5")), .reserved(addr("240.0.0.1")),
            .subnetBroadcast(addr("192.0.2.255"), prefix: "eth0 192.0.2.1/24"),
            .notThePeer(destination: addr("192.0.2.3"), peer: addr("192.0.2.2")),
            .notDirectlyConnected(addr("203.0.113.9"), interface: nil),
            .notDirectlyConnected(addr("203.0.113.9"), interface: "eth0"),
            .noSuchInterface("eth9"), .rateLimited(peer: addr("192.0.2.2"), packetsPerSecond: 1_000),
        ]
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
        #expect(PeerGuardError.subnetBroadcast(addr("192.0.2.255"), prefix: "eth0 192.0.2.1/24").description
                == "192.0.2.255 is the broadcast address of eth0 192.0.2.1/24")
    }

    @Test("the real interfaces include loopback as a connected prefix")
    func realInterfaces() throws {
        let interfaces = try LocalInterfaces.current()
        #expect(interfaces.contains { $0.name == "lo" && $0.address == addr("127.0.0.1") && $0.prefixLength == 8 })
        _ = try PeerGuard(peer: addr("127.0.0.1"), singleHop: true, interfaceName: "lo", interfaces: interfaces)
    }
}
