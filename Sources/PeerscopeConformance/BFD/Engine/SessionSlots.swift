/// Gives each tracked BFD session a small slot number for the rules' `SlotStates`, and takes it
/// back when the tracker folds the session at its cap, so the slots stay as few as the sessions
/// tracked at once, however many a capture names.
struct SessionSlots {
    private(set) var byID: [Int: Int] = [:]
    private var free: [Int] = []
    private var next = 0

    /// The slot of session `id`; `isNew` when it was just given (its rules' state must be reset).
    mutating func slot(for id: Int) -> (slot: Int, isNew: Bool) {
        if let slot = byID[id] { return (slot, false) }
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = next
            next += 1
        }
        byID[id] = slot
        return (slot, true)
    }

    mutating func release(_ id: Int) {
        if let slot = byID.removeValue(forKey: id) { free.append(slot) }
    }
}
