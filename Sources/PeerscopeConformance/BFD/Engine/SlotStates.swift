/// A rule's per-session state, by the slot the engine gave the session: an array, not a
/// dictionary, so a rule's state costs an index per packet, not a hash lookup.
public struct SlotStates<State> {
    private var values: ContiguousArray<State> = []
    private let initial: State

    public init(_ initial: State) { self.initial = initial }

    /// The state of `slot`, created on first use.
    public subscript(slot: Int) -> State {
        get { slot < values.count ? values[slot] : initial }
        _modify {
            if slot >= values.count { values.append(contentsOf: repeatElement(initial, count: slot + 1 - values.count)) }
            yield &values[slot]
        }
    }

    /// The state of `slot`, or a fresh one for a session the engine holds no slot for.
    public func value(_ slot: Int?) -> State { slot.map { self[$0] } ?? initial }

    /// A new session takes `slot`: it starts from the initial state.
    public mutating func reset(_ slot: Int) { self[slot] = initial }
}

/// A value per side of a session (0 = A, 1 = B), inline: no array to allocate per session.
public struct SidePair<Value> {
    public var first: Value
    public var second: Value

    public init(_ value: Value) {
        first = value
        second = value
    }

    // Read with a plain getter (the values are a few bytes): a `_read` coroutine was left as two
    // calls per read by the optimizer, more per packet than most rules' checks.
    public subscript(index: Int) -> Value {
        get { index == 0 ? first : second }
        _modify { if index == 0 { yield &first } else { yield &second } }
    }
}
