/// PeerscopeEndpoint holds the state machines the active tester drives: a BFD session
/// (RFC 5880 §6.8) and a BGP speaker's FSM (RFC 4271 §8). Each is a value type that takes an
/// input and the current time and returns the actions to perform; the socket driver in
/// PeerscopeProbe performs them. Nothing here reads a clock or touches a socket.
public enum EndpointTime {
    /// Monotonic time in nanoseconds, as supplied by the caller (virtual in tests).
    public typealias Nanoseconds = Int64
}
