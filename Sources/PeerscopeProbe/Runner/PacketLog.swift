/// The last `limit` packets of one direction of a probe run, indexed by arrival number from the
/// start of the run: index *i* is the *i*-th packet appended, also after older ones were dropped
/// (`startIndex` then moves past them). So evidence indices and `StateChange.packetIndex` stay
/// valid, and a run of any length holds at most `limit` packets (issue 12: the probe kept every
/// peer packet, its memory growing with the run's length and whatever a peer flooded it with).
///
/// Storage is one array and an offset: appending is amortised O(1) and memory is at most twice
/// `limit` elements (the dropped front is cut off once it is as long as what is kept).
public struct PacketLog<Element>: RandomAccessCollection, ExpressibleByArrayLiteral {
    /// Packets kept at most; older ones are dropped.
    public let limit: Int
    /// Arrival number of `storage[0]`.
    private var base = 0
    /// Elements at the front of `storage` already dropped.
    private var head = 0
    private var storage: [Element] = []

    /// 262,144: a device at the 3.3 ms of RFC 7419 sends that many in 14 minutes, longer than any
    /// case looks back; about 60 MB of decoded packets at most.
    public static var defaultLimit: Int { 262_144 }

    public init(limit: Int = PacketLog.defaultLimit) {
        self.limit = Swift.max(1, limit)
    }

    public init(arrayLiteral elements: Element...) {
        self.init()
        append(contentsOf: elements)
    }

    public var startIndex: Int { base + head }
    public var endIndex: Int { base + storage.count }
    /// Packets appended over the whole run, dropped ones included (`endIndex`).
    public var appendedCount: Int { endIndex }
    /// Packets dropped from the front so far.
    public var droppedCount: Int { startIndex }

    public subscript(position: Int) -> Element {
        precondition(position >= startIndex && position < endIndex, "packet \(position) is not retained")
        return storage[position - base]
    }

    public mutating func append(_ element: Element) {
        storage.append(element)
        if storage.count - head > limit {
            head += 1
            // Cut the dropped front once it is as long as what is kept: amortised O(1) per append.
            if head >= limit {
                storage.removeFirst(head)
                base += head
                head = 0
            }
        }
    }

    public mutating func append(contentsOf elements: some Sequence<Element>) {
        for element in elements { append(element) }
    }

    public static func += (log: inout PacketLog, elements: some Sequence<Element>) {
        log.append(contentsOf: elements)
    }
}

extension PacketLog: Sendable where Element: Sendable {}
