/// Storage slots ordered by when they were last seen, as an intrusive doubly linked list over slot
/// numbers: `touch`, `append` and `leastRecent` are O(1), so a tracker at its cap finds the state to
/// fold without scanning (issue 12 item 5: time stays linear under a flood of new sessions).
struct RecencyList: Sendable {
    private var previous: [Int] = []
    private var next: [Int] = []
    private var head = -1
    private var tail = -1

    /// The slot seen longest ago, or nil while the list is empty.
    var leastRecent: Int? { head >= 0 ? head : nil }

    /// Adds a new slot (numbered in order 0, 1, 2 …) as the most recent.
    mutating func append() {
        let slot = previous.count
        previous.append(tail)
        next.append(-1)
        if tail >= 0 { next[tail] = slot } else { head = slot }
        tail = slot
    }

    /// Marks `slot` as seen just now.
    mutating func touch(_ slot: Int) {
        guard slot != tail else { return }
        // Unlink.
        let before = previous[slot], after = next[slot]
        if before >= 0 { next[before] = after } else { head = after }
        previous[after] = before
        // Append at the tail.
        previous[slot] = tail
        next[slot] = -1
        next[tail] = slot
        tail = slot
    }
}
