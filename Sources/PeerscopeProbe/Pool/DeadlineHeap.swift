/// The next deadline of every session in a pool, earliest first: an indexed binary min-heap over
/// session numbers 0..<capacity. Every session is in it at most once; `set` moves a session up or
/// down when a receive or a timer changes its deadline, so the pool never scans its sessions and
/// never leaves stale entries behind. Storage is sized once; no operation allocates.
///
/// Ties go to the lower session number, so runs in virtual time are reproducible.
public struct DeadlineHeap: Sendable {
    /// Session numbers in heap order.
    private var order: [Int32] = []
    /// Deadline of each session (valid while it is in the heap).
    private var deadlines: [Int64]
    /// Where each session sits in `order`; -1 when it has no deadline.
    private var positions: [Int32]

    public init(capacity: Int) {
        precondition(capacity >= 0 && capacity < Int(Int32.max), "capacity fits Int32")
        order.reserveCapacity(capacity)
        deadlines = [Int64](repeating: 0, count: capacity)
        positions = [Int32](repeating: -1, count: capacity)
    }

    public var capacity: Int { positions.count }
    public var count: Int { order.count }
    public var isEmpty: Bool { order.isEmpty }

    /// The earliest deadline and its session.
    public var first: (session: Int, deadline: Int64)? {
        guard let top = order.first else { return nil }
        return (Int(top), deadlines[Int(top)])
    }

    public func deadline(of session: Int) -> Int64? {
        positions[session] < 0 ? nil : deadlines[session]
    }

    /// Sets, moves or (with nil) removes the deadline of `session`.
    public mutating func set(_ session: Int, to deadline: Int64?) {
        precondition(session >= 0 && session < positions.count, "session \(session) outside the heap")
        let position = Int(positions[session])
        guard let deadline else {
            if position >= 0 { remove(at: position) }
            return
        }
        if position < 0 {
            deadlines[session] = deadline
            order.append(Int32(session))
            positions[session] = Int32(order.count - 1)
            siftUp(order.count - 1)
        } else {
            let old = deadlines[session]
            deadlines[session] = deadline
            if deadline < old { siftUp(position) } else if deadline > old { siftDown(position) }
        }
    }

    private mutating func remove(at position: Int) {
        let removed = Int(order[position])
        let last = order.count - 1
        if position != last {
            swapAt(position, last)
        }
        order.removeLast()
        positions[removed] = -1
        if position < order.count {
            siftDown(position)
            siftUp(position)
        }
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let sa = Int(order[a]), sb = Int(order[b])
        let da = deadlines[sa], db = deadlines[sb]
        return da < db || (da == db && sa < sb)
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        order.swapAt(a, b)
        positions[Int(order[a])] = Int32(a)
        positions[Int(order[b])] = Int32(b)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = order.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var smallest = left
            if left + 1 < count, less(left + 1, left) { smallest = left + 1 }
            guard less(smallest, parent) else { return }
            swapAt(smallest, parent)
            parent = smallest
        }
    }
}
