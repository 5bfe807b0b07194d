import PeerscopeWire

/// A speaker's unicast routes (the peer's Adj-RIB-In from it, RFC 4271 §3.2), as plain integer
/// keys in open-addressed tables: IPv4 prefixes without a Path Identifier — nearly every route —
/// in one word each, everything else (IPv6, RFC 7911 ADD-PATH) in three. Every announced and
/// withdrawn prefix passes through here, so a probe is a multiply and a compare of words, not a
/// SipHash of an enum and an optional, and a held IPv4 route costs 8 bytes of table, not a
/// `Set<BGPPrefix>` bucket of 32.
///
/// Holds keys only, no order: nothing reads the routes back but their count.
public struct BGPRouteSet: Sendable {
    private var narrow = WordTable()
    private var wide = TripleTable()

    public init() {}

    /// Routes held.
    public var count: Int { narrow.count + wide.count }
    public var isEmpty: Bool { count == 0 }

    /// Adds `prefix`; false if it was already held (an implicit withdraw and replace, RFC 4271 §9.1.4).
    @discardableResult
    public mutating func insert(_ prefix: BGPPrefix) -> Bool {
        switch Self.key(prefix) {
        case .narrow(let key): narrow.insert(key)
        case .wide(let key): wide.insert(key)
        }
    }

    /// Removes `prefix`; false if it was not held.
    @discardableResult
    public mutating func remove(_ prefix: BGPPrefix) -> Bool {
        switch Self.key(prefix) {
        case .narrow(let key): narrow.remove(key)
        case .wide(let key): wide.remove(key)
        }
    }

    /// Inserts a whole NLRI list; returns how many routes were new. A list of IPv4 prefixes
    /// without path identifiers (every classic UPDATE's NLRI, RFC 4271 §4.3) goes into the word
    /// table in one run: its storage is made unique once per growth step instead of once per
    /// prefix. Any other list goes prefix by prefix.
    @discardableResult
    public mutating func insert(contentsOf prefixes: [BGPPrefix]) -> Int {
        guard prefixes.allSatisfy(Self.isNarrow) else {
            var added = 0
            for prefix in prefixes where insert(prefix) { added += 1 }
            return added
        }
        return prefixes.withUnsafeBufferPointer { list in narrow.insert(list.count) { Self.narrowKey(list[$0]) } }
    }

    /// Removes a whole NLRI list (withdrawn routes); returns how many were held. As `insert(contentsOf:)`.
    @discardableResult
    public mutating func remove(contentsOf prefixes: [BGPPrefix]) -> Int {
        guard prefixes.allSatisfy(Self.isNarrow) else {
            var removed = 0
            for prefix in prefixes where remove(prefix) { removed += 1 }
            return removed
        }
        return prefixes.withUnsafeBufferPointer { list in narrow.remove(list.count) { Self.narrowKey(list[$0]) } }
    }

    @inline(__always)
    private static func isNarrow(_ prefix: BGPPrefix) -> Bool {
        if case .v4 = prefix.address, prefix.pathID == nil { return true }
        return false
    }

    /// The word key of an IPv4 prefix without path identifier (`key`'s narrow case).
    @inline(__always)
    private static func narrowKey(_ prefix: BGPPrefix) -> UInt64 {
        guard case .v4(let v4) = prefix.address else { return 0 }
        return 1 << 40 | UInt64(prefix.length) << 32 | UInt64(v4.value)
    }

    public func contains(_ prefix: BGPPrefix) -> Bool {
        switch Self.key(prefix) {
        case .narrow(let key): narrow.contains(key)
        case .wide(let key): wide.contains(key)
        }
    }

    /// Bytes of table per held route (slots are kept at most ½ full, so 16–32 bytes for IPv4).
    public var tableBytes: Int { narrow.capacity * 8 + wide.capacity * 24 }

    private enum Key {
        case narrow(UInt64)
        case wide(Triple)
    }

    /// Every key has a bit set that 0 (an empty slot) does not: bit 40 for narrow keys, bit 63 of
    /// the third word for wide ones. The length is part of the key, as in `BGPPrefix` equality:
    /// 10.0.0.0/8 and 10.0.0.0/16 are two routes.
    @inline(__always)
    private static func key(_ prefix: BGPPrefix) -> Key {
        switch prefix.address {
        case .v4(let v4):
            if let path = prefix.pathID {
                return .wide(Triple(a: UInt64(v4.value), b: UInt64(path),
                                    c: 1 << 63 | 1 << 62 | UInt64(prefix.length)))
            }
            return .narrow(narrowKey(prefix))
        case .v6(let v6):
            let path = prefix.pathID.map { 1 << 61 | UInt64($0) << 8 } ?? 0
            return .wide(Triple(a: v6.high, b: v6.low, c: 1 << 63 | path | UInt64(prefix.length)))
        }
    }
}

/// One round of a 64-bit finaliser (SplitMix64's), after a multiply by the table's seed.
@inline(__always)
private func mix(_ word: UInt64, _ seed: UInt64) -> UInt64 {
    var x = word &* seed
    x ^= x >> 29
    x &*= 0xBF58_476D_1CE4_E5B9
    return x ^ (x >> 32)
}

struct Triple: Equatable, Sendable {
    var a: UInt64
    var b: UInt64
    var c: UInt64
    static let empty = Triple(a: 0, b: 0, c: 0)
}

/// The probing shared by both tables: linear probing, grown at ½ full (at ¾ an insert probed
/// 8.5 slots on average before growing: Knuth's ½(1 + 1/(1 − α)²); at ½, 2.5), deletion by
/// backward shift (no tombstones, so a table that churns keeps short probe chains).
protocol RouteSlotKey: Equatable {
    static var empty: Self { get }
    func hash(seed: UInt64) -> UInt64
}

extension UInt64: RouteSlotKey {
    static var empty: UInt64 { 0 }
    @inline(__always) func hash(seed: UInt64) -> UInt64 { mix(self, seed) }
}

extension Triple: RouteSlotKey {
    @inline(__always) func hash(seed: UInt64) -> UInt64 { mix(a ^ mix(b ^ mix(c, seed), seed), seed) }
}

struct OpenTable<Key: RouteSlotKey>: Sendable where Key: Sendable {
    private var slots: [Key] = []
    private(set) var count = 0
    /// An odd multiplier drawn when the table first gets slots (a table that never holds a route
    /// costs no random draw): hostile captures cannot aim prefixes at one probe chain without
    /// knowing it, and the table is linear-probed, so clustering is what an attacker would want.
    /// Nothing reads the slots in order, so the draw changes no output.
    private var seed: UInt64 = 1

    var capacity: Int { slots.count }

    @inline(__always)
    private func home(_ key: Key) -> Int { Int(truncatingIfNeeded: key.hash(seed: seed)) & (slots.count - 1) }

    func contains(_ key: Key) -> Bool {
        guard !slots.isEmpty else { return false }
        var index = home(key)
        while slots[index] != Key.empty {
            if slots[index] == key { return true }
            index = (index + 1) & (slots.count - 1)
        }
        return false
    }

    mutating func insert(_ key: Key) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = home(key)
        let added = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            while slots[index] != Key.empty {
                if slots[index] == key { return false }
                index = (index + 1) & mask
            }
            slots[index] = key
            return true
        }
        if added { count += 1 }
        return added
    }

    /// Inserts `n` keys (`key(0)` … `key(n - 1)`), growing as `insert` would: each run between
    /// growth steps holds at most the room left under the ½ load factor, so the load check and
    /// the uniqueness of `slots` are settled once per run. Returns how many keys were new.
    mutating func insert(_ n: Int, _ key: (Int) -> Key) -> Int {
        var added = 0
        var next = 0
        while next < n {
            if (count + 1) * 2 > slots.count { grow() }
            let end = Swift.min(n, next + slots.count / 2 - count)
            let mask = slots.count - 1, seed = self.seed
            let new = slots.withUnsafeMutableBufferPointer { slots -> Int in
                var new = 0
                for position in next..<end {
                    let key = key(position)
                    var index = Int(truncatingIfNeeded: key.hash(seed: seed)) & mask
                    var present = false
                    while slots[index] != Key.empty {
                        if slots[index] == key { present = true; break }
                        index = (index + 1) & mask
                    }
                    if !present {
                        slots[index] = key
                        new += 1
                    }
                }
                return new
            }
            count += new
            added += new
            next = end
        }
        return added
    }

    /// Removes `n` keys (`key(0)` … `key(n - 1)`) one by one; returns how many were present.
    mutating func remove(_ n: Int, _ key: (Int) -> Key) -> Int {
        var removed = 0
        for position in 0..<n where remove(key(position)) { removed += 1 }
        return removed
    }

    mutating func remove(_ key: Key) -> Bool {
        guard !slots.isEmpty else { return false }
        let mask = slots.count - 1
        var index = home(key)
        let seed = self.seed
        let found = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            while slots[index] != Key.empty {
                if slots[index] == key { break }
                index = (index + 1) & mask
            }
            guard slots[index] != Key.empty else { return false }
            // Backward shift: move later members of the chain into the hole when their home
            // position does not lie cyclically in (hole, their slot].
            var hole = index
            var next = (hole + 1) & mask
            while slots[next] != Key.empty {
                let want = Int(truncatingIfNeeded: slots[next].hash(seed: seed)) & mask
                let distanceToNext = (next &- want) & mask
                let distanceToHole = (hole &- want) & mask
                if distanceToHole <= distanceToNext {
                    slots[hole] = slots[next]
                    hole = next
                }
                next = (next + 1) & mask
            }
            slots[hole] = Key.empty
            return true
        }
        if found { count -= 1 }
        return found
    }

    /// Doubles the slots and places every key again in one tight loop (no load check, no
    /// duplicate check: the keys are distinct): a full table's transfer grows the IPv4 table
    /// seventeen times, and reinsertion through `insert` was a fifth of `check`'s instructions.
    private mutating func grow() {
        if slots.isEmpty { seed = UInt64.random(in: 0 ... .max) | 1 }
        let capacity = Swift.max(16, slots.count * 2)
        let mask = capacity - 1, seed = self.seed
        let old = slots
        slots = []
        slots = [Key](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            buffer.initialize(repeating: Key.empty)
            old.withUnsafeBufferPointer { old in
                for key in old where key != Key.empty {
                    var index = Int(truncatingIfNeeded: key.hash(seed: seed)) & mask
                    while buffer[index] != Key.empty { index = (index + 1) & mask }
                    buffer[index] = key
                }
            }
            initialized = capacity
        }
    }
}

typealias WordTable = OpenTable<UInt64>
typealias TripleTable = OpenTable<Triple>
