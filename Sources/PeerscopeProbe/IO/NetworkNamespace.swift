import CPeerscopeSocket

/// Runs code with the calling thread inside a named network namespace (`ip netns add NAME`).
///
/// Sockets keep the namespace they were created in, so a tester (or a test) can open its sockets and
/// read its interfaces here, then use them from any thread. `body` must not suspend: the switch is
/// per thread, and it is undone before this returns.
public enum NetworkNamespace {
    public static func run<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws -> T {
        let saved = ps_netns_enter(name.contains("/") ? name : "/run/netns/\(name)")
        guard saved >= 0 else { throw SocketError("enter network namespace \(name)", result: Int(saved)) }
        defer {
            // Failing to return would leave a pooled thread in the wrong namespace: that is our bug.
            let restored = ps_netns_restore(saved)
            precondition(restored == 0, "could not leave network namespace \(name)")
        }
        return try body()
    }
}
