import PeerscopeEndpoint
import PeerscopeWire


let millisecond: BFDNanoseconds = 1_000_000
let second: BFDNanoseconds = 1_000_000_000

/// The endpoint's own discriminator in single-endpoint tests, and the scripted peer's.
let localDiscriminator: UInt32 = 0x0000_A001
let peerDiscriminator: UInt32 = 0x0000_B002

func configuration(discriminator: UInt32 = localDiscriminator, desired: Microseconds = 1_000_000,
                   required: Microseconds = 1_000_000, echoRx: Microseconds = 0, mult: UInt8 = 3,
                   role: BFDRole = .active, demand: Bool = false, echo: Microseconds? = nil,
                   key: BFDAuthenticationKey? = nil, hopMode: BFDHopMode = .singleHop) -> BFDEndpointConfiguration {
    try! BFDEndpointConfiguration(
        localDiscriminator: discriminator, desiredMinTxInterval: desired, requiredMinRxInterval: required,
        requiredMinEchoRxInterval: echoRx, detectMultiplier: mult, role: role, demandMode: demand,
        echo: echo.map { try! BFDEchoConfiguration(desiredMinEchoTxInterval: $0) }, authentication: key,
        hopMode: hopMode)
}

func endpoint(_ configuration: BFDEndpointConfiguration, seed: UInt64 = 1) -> BFDEndpoint {
    BFDEndpoint(configuration: configuration, randomNumberGenerator: SplitMix64(seed: seed))
}

/// Bytes a scripted peer sends, unauthenticated unless `authentication` is given (then unsigned:
/// tests sign with `signed(_:secret:)`).
func peerPacket(_ state: BFDState, your: UInt32 = localDiscriminator, my: UInt32 = peerDiscriminator,
                flags: BFDFlags = [], mult: UInt8 = 3, desired: Microseconds = 1_000_000,
                required: Microseconds = 1_000_000, echoRx: Microseconds = 0,
                diagnostic: BFDDiagnostic = .none, authentication: BFDAuthentication? = nil) -> BFDControlPacket {
    BFDControlPacket(state: state, diagnostic: diagnostic, flags: flags, detectMultiplier: mult,
                     myDiscriminator: my, yourDiscriminator: your, desiredMinTxInterval: desired,
                     requiredMinRxInterval: required, requiredMinEchoRxInterval: echoRx,
                     authentication: authentication)
}

/// Fills a keyed digest the way §6.7.3/§6.7.4 define it, independently of the endpoint's code.
func signed(_ packet: BFDControlPacket, secret: [UInt8]) -> BFDControlPacket {
    guard let type = packet.authentication?.type, let input = packet.digestInput(secret: secret) else { return packet }
    var packet = packet
    packet.authentication?.data = AuthBytes(referenceDigest(type, input))
    return packet
}

extension Array where Element == BFDEndpointAction {
    var transmissions: [BFDTransmission] {
        compactMap { if case .send(let transmission) = $0 { transmission } else { nil } }
    }
    var packets: [BFDControlPacket] { transmissions.map(\.packet) }
    var stateChanges: [(from: BFDState, to: BFDState, diagnostic: BFDDiagnostic)] {
        compactMap { if case .stateChanged(let from, let to, let diagnostic) = $0 { (from, to, diagnostic) } else { nil } }
    }
    var discards: [BFDDiscardReason] {
        compactMap { if case .discarded(let reason) = $0 { reason } else { nil } }
    }
    var echoes: [[UInt8]] {
        compactMap { if case .sendEcho(let payload) = $0 { payload } else { nil } }
    }
}

extension BFDEndpoint {
    mutating func receive(_ packet: BFDControlPacket, ttl: UInt8 = 255, now: BFDNanoseconds) -> [BFDEndpointAction] {
        receive(payload: packet.encoded, ttl: ttl, now: now)
    }
}

/// An endpoint brought Up by a scripted peer through Down → Init → Up at times 0, 1 ms, 2 ms.
func upEndpoint(_ configuration: BFDEndpointConfiguration = configuration(), seed: UInt64 = 1,
                peerDesired: Microseconds = 1_000_000, peerRequired: Microseconds = 1_000_000,
                peerMult: UInt8 = 3, peerEchoRx: Microseconds = 0,
                peerFlags: BFDFlags = []) -> BFDEndpoint {
    var session = endpoint(configuration, seed: seed)
    _ = session.start(now: 0)
    _ = session.receive(peerPacket(.down, your: 0, mult: peerMult, desired: peerDesired, required: peerRequired,
                                   echoRx: peerEchoRx), now: 1 * millisecond)
    _ = session.receive(peerPacket(.up, flags: peerFlags, mult: peerMult, desired: peerDesired,
                                   required: peerRequired, echoRx: peerEchoRx), now: 2 * millisecond)
    precondition(session.sessionState == .up, "scripted peer failed to bring the session Up")
    return session
}
