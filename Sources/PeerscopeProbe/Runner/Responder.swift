import PeerscopeEndpoint
import PeerscopeWire

/// `peerscope respond`: a correct BFD endpoint (active, RFC 5880) and, with BGP, a passive
/// speaker listening on local:179, coupled per RFC 5882 §3.2: our session going Down because the
/// Detection Time expired or the peer said Down tears BGP down with Cease/10 (RFC 9384); the
/// peer's AdminDown keeps BGP. Runs until SIGINT/SIGTERM, then says AdminDown and Cease.
public final class Responder {
    public let driver: SessionDriver

    public init(target: ProbeTarget) throws {
        _ = InterruptSignal.install()
        do {
            driver = try SessionDriver(target: target, role: .respond, interfaces: try LocalInterfaces.current())
        } catch let error as PeerGuardError {
            throw ProbeRunError.refused(error)
        } catch let error as ProbeSetupError {
            throw ProbeRunError.setup(error.description)
        } catch {
            throw ProbeRunError.setup("\(error)")
        }
    }

    /// Runs until interrupted (or `seconds` pass, for tests).
    public func run(seconds: Double? = nil) throws {
        defer { driver.shutDown() }
        do {
            try driver.startSession()
            try driver.startBGP()
            try driver.run(until: seconds.map { driver.now + Int64($0 * 1e9) } ?? .max)
        } catch is ProbeInterrupted {
            return
        }
    }
}
