/// PeerscopeProbe is the active tester's I/O edge: sockets, the monotonic clock, recording the
/// run, and the probe suites that turn a device's behaviour into verdicts.
///
/// `IO/` holds the edge the sans-IO machines of `PeerscopeEndpoint` plug into:
/// - `BFDSocket.Receiver` / `BFDSocket.Transmitter` (RFC 5881/5883 ports, TTL 255, received TTL,
///   per-packet TTL override) over `UDPSocket`, and `TCPConnection` / `TCPListener` for BGP with GTSM;
/// - `PeerGuard`, which every send passes: one unicast peer, directly connected for single hop,
///   rate-limited;
/// - `MonotonicClock` and `EventLoop` (epoll + absolute timerfd deadlines), and `DatagramDriver`,
///   which runs a `DatagramSession` (bytes and nanoseconds in, `DatagramAction`s out) on them;
/// - `NetworkNamespace.run` to open sockets inside a namespace.
/// The run's own capture is `PeerscopeCapture.LiveCaptureRecorder`.
