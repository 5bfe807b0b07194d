import ArgumentParser
import PeerscopeEndpoint
import PeerscopeProbe
import PeerscopeWire

/// The options `probe` and `respond` share: who the peer is and how the session runs.
struct PeerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The peer's address (IPv4 or IPv6). Single hop: it must be in a directly connected prefix.", valueName: "addr"))
    var peer: String

    @Option(help: ArgumentHelp("Our address (default: the one whose prefix holds the peer; required with --multihop).", valueName: "addr"))
    var local: String?

    @Option(help: ArgumentHelp("Only this interface (SO_BINDTODEVICE); also where the run is captured.", valueName: "if"))
    var interface: String?

    @Flag(help: "Multihop BFD (RFC 5883, port 4784) instead of single hop (RFC 5881, port 3784).")
    var multihop = false

    @Option(help: ArgumentHelp("Run BGP beside BFD with these AS numbers.", valueName: "local_as:peer_as"))
    var bgp: String?

    @Flag(help: "GTSM on the BGP connection (RFC 5082: IP_MINTTL 255). TTL 255 is always sent.")
    var gtsm = false

    @Option(help: ArgumentHelp("BFD authentication: TYPE:ID:SECRET, TYPE one of simple, keyed-md5, meticulous-keyed-md5, keyed-sha1, meticulous-keyed-sha1. The secret is never printed.", valueName: "type:id:secret"))
    var auth: String?

    func validate() throws {
        guard IPAddress(peer) != nil else { throw ValidationError("--peer '\(peer)' is not an IPv4 or IPv6 address") }
        if let local {
            guard let address = IPAddress(local) else { throw ValidationError("--local '\(local)' is not an IPv4 or IPv6 address") }
            guard address.version == IPAddress(peer)!.version else {
                throw ValidationError("--local and --peer must be of the same address family")
            }
        }
        if multihop, local == nil { throw ValidationError("--multihop needs --local") }
        if let bgp, BGPPeering(bgp) == nil { throw ValidationError("--bgp takes LOCAL_AS:PEER_AS, two AS numbers 1–4294967295") }
        if let auth, case .failure(let error) = AuthenticationArgument.parse(auth) { throw ValidationError(error.description) }
    }

    func target(desiredMinTx: Microseconds = 300_000, requiredMinRx: Microseconds = 300_000, multiplier: UInt8 = 3) -> ProbeTarget {
        var key: BFDAuthenticationKey?
        if let auth, case .success(let parsed) = AuthenticationArgument.parse(auth) { key = parsed }
        return ProbeTarget(peer: IPAddress(peer)!, local: local.flatMap(IPAddress.init), interface: interface,
                           transport: multihop ? .multihop : .singleHop, bgp: bgp.flatMap(BGPPeering.init), gtsm: gtsm,
                           authentication: key, desiredMinTxInterval: desiredMinTx, requiredMinRxInterval: requiredMinRx,
                           detectMultiplier: multiplier)
    }
}
