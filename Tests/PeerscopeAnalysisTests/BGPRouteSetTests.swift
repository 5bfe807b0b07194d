import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// The open-addressed route table against the standard library's `Set<BGPPrefix>` (the table it
/// replaced, whose equality is `BGPPrefix ==`: address, length and Path Identifier) as the oracle.
struct BGPRouteSetTests {
    /// A deterministic generator (SplitMix64), so a failure replays.
    struct Mix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func prefix(_ mix: inout Mix) -> BGPPrefix {
        let word = mix.next()
        // A small address space so that inserts repeat and removes hit: chains and backward
        // shifts get exercised.
        let v4 = UInt32(truncatingIfNeeded: word & 0x3FF) << 8
        let length = UInt8(truncatingIfNeeded: (word >> 10) % 3) + 22
        let pathID: UInt32? = (word >> 20) % 5 == 0 ? UInt32(truncatingIfNeeded: (word >> 24) % 3) : nil
        if (word >> 30) % 4 == 0 {
            let v6 = IPv6Address(high: 0x2001_0DB8_0000_0000 | (word >> 40 & 0xFF) << 16, low: 0)
            return BGPPrefix(address: .v6(v6), length: length + 24, pathID: pathID)
        }
        return BGPPrefix(address: .v4(IPv4Address(v4)), length: length, pathID: pathID)
    }

    @Test("inserts, removes and membership match Set<BGPPrefix> over 200,000 random operations")
    func matchesStandardSet() {
        var mix = Mix(state: 14)
        var table = BGPRouteSet()
        var oracle = Set<BGPPrefix>()
        for step in 0..<200_000 {
            let prefix = Self.prefix(&mix)
            // Grow to a few thousand routes, then shrink, then grow again: both directions of churn.
            let insertBias: UInt64 = (step / 50_000) % 2 == 0 ? 3 : 1
            if mix.next() % 4 < insertBias {
                let added = table.insert(prefix)
                #expect(added == oracle.insert(prefix).inserted)
            } else {
                let removed = table.remove(prefix)
                #expect(removed == (oracle.remove(prefix) != nil))
            }
            if step % 997 == 0 {
                #expect(table.count == oracle.count)
                let probe = Self.prefix(&mix)
                #expect(table.contains(probe) == oracle.contains(probe))
            }
        }
        #expect(table.count == oracle.count)
        for prefix in oracle { #expect(table.contains(prefix)) }
        for prefix in oracle { table.remove(prefix) }
        #expect(table.isEmpty)
    }

    @Test("10.0.0.0/8 and 10.0.0.0/16, with and without a Path Identifier, are four routes (RFC 7911 §3)")
    func lengthAndPathAreKey() {
        var table = BGPRouteSet()
        let ten = IPAddress.v4(IPv4Address(0x0A00_0000))
        let inserted = [BGPPrefix(address: ten, length: 8), BGPPrefix(address: ten, length: 16),
                        BGPPrefix(address: ten, length: 8, pathID: 0), BGPPrefix(address: ten, length: 8, pathID: 1),
                        BGPPrefix(address: ten, length: 8, pathID: 1)].map { table.insert($0) }
        #expect(inserted == [true, true, true, true, false])
        #expect(table.count == 4)
        let removed = [table.remove(BGPPrefix(address: ten, length: 8, pathID: 0)),
                       table.remove(BGPPrefix(address: ten, length: 8, pathID: 0))]
        #expect(removed == [true, false])
        #expect(table.contains(BGPPrefix(address: ten, length: 8)))
        #expect(table.count == 3)
    }

    @Test("whole NLRI lists (IPv4 runs, mixed lists, repeats within a list) match Set<BGPPrefix> through growth")
    func listsMatchStandardSet() {
        var mix = Mix(state: 7911)
        var table = BGPRouteSet()
        var oracle = Set<BGPPrefix>()
        for step in 0..<3_000 {
            // Lists of 1–40 prefixes, as UPDATEs carry; every fourth mixes in IPv6 and path IDs
            // (`prefix`'s spread), the rest are plain IPv4 (the batched path).
            var list: [BGPPrefix] = []
            for _ in 0..<(1 + Int(mix.next() % 40)) {
                var prefix = Self.prefix(&mix)
                if step % 4 != 0 { prefix = BGPPrefix(address: .v4(IPv4Address(UInt32(truncatingIfNeeded: mix.next() % 20_000) << 8)), length: 24) }
                list.append(prefix)
            }
            if mix.next() % 3 < 2 {
                let expected = list.reduce(0) { $0 + (oracle.insert($1).inserted ? 1 : 0) }
                #expect(table.insert(contentsOf: list) == expected)
            } else {
                let expected = list.reduce(0) { $0 + (oracle.remove($1) != nil ? 1 : 0) }
                #expect(table.remove(contentsOf: list) == expected)
            }
            #expect(table.count == oracle.count)
        }
        for prefix in oracle { #expect(table.contains(prefix)) }
    }
}
