/// PeerscopeProbe is the active tester's I/O edge: sockets, the monotonic clock, recording the
/// run, and the probe suites that turn a device's behaviour into verdicts.
import PeerscopeEndpoint
