/// Keys followed up to a cap, the one seen longest ago giving way to a new one: the TCP stream
/// trackers (BGP, BMP) follow at most so many directions this way. O(1) per key through
/// `RecencyList`, so time stays linear under a flood of connections (issue 12 item 5).
struct RecentKeys<Key: Hashable & Sendable>: Sendable {
    private var recency = RecencyList()
    private var slotKeys: [Key] = []
    private var slotOfKey: [Key: Int] = [:]

    /// Marks `key` as seen now. At `cap` keys, a key not yet followed takes the slot of the one
    /// seen longest ago, which is returned so the caller forgets its state.
    mutating func touch(_ key: Key, cap: Int) -> Key? {
        if let slot = slotOfKey[key] {
            recency.touch(slot)
            return nil
        }
        guard slotKeys.count >= cap, let slot = recency.leastRecent else {
            slotOfKey[key] = slotKeys.count
            slotKeys.append(key)
            recency.append()
            return nil
        }
        let old = slotKeys[slot]
        slotOfKey[old] = nil
        slotKeys[slot] = key
        slotOfKey[key] = slot
        recency.touch(slot)
        return old
    }
}
