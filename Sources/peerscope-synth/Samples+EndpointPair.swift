import PeerscopeEndpoint
import PeerscopeWire

/// A capture written by two `BFDEndpoint`s rather than the scripted simulator: what the one RFC
/// 5880 model sends, so the analyzer's rules can be held against it (no MUST, no SHOULD expected).
extension Samples {
    /// Asymmetric timers as in the other samples (A 300/300 ×3, B 200 tx/500 rx ×5), meticulous
    /// keyed SHA1 on both sides (key ID 1, secret "peerscope", sequence numbers from 1000 and
    /// 2000); A changes to 150/150 ms at t=8 s (a Poll Sequence); at t=11 s the A→B direction fails:
    /// B declares Down on its Detection Time (diag 1), A hears that and goes Down (diag 3) unseen.
    func endpointPair() -> [(time: Int64, bytes: [UInt8])] {
        func side(_ address: IPAddress, port: UInt16, discriminator: UInt32, desired: Microseconds,
                  required: Microseconds, multiplier: UInt8, sequence: UInt32, seed: UInt64) -> EndpointLink.Side {
            let key = try! BFDAuthenticationKey(type: .meticulousKeyedSHA1, keyID: 1, secret: Array("peerscope".utf8),
                                                startingSequenceNumber: sequence)
            let configuration = try! BFDEndpointConfiguration(
                localDiscriminator: discriminator, desiredMinTxInterval: desired, requiredMinRxInterval: required,
                detectMultiplier: multiplier, authentication: key)
            return EndpointLink.Side(address: address, port: port,
                                     endpoint: BFDEndpoint(configuration: configuration, randomNumberGenerator: SplitMix(seed: seed)))
        }
        var link = EndpointLink(side(Self.a4, port: 49152, discriminator: 0x1001, desired: 300_000, required: 300_000,
                                     multiplier: 3, sequence: 1000, seed: 13),
                                side(Self.b4, port: 49731, discriminator: 0x2002, desired: 200_000, required: 500_000,
                                     multiplier: 5, sequence: 2000, seed: 14))
        link.start()
        link.run(until: 8_000_000_000)
        link.act(0) { try! $0.setTimers(desiredMinTxInterval: 150_000, requiredMinRxInterval: 150_000, now: $1) }
        link.run(until: 11_000_000_000)
        link.sides[0].silentFrom = link.now
        link.run(until: 14_000_000_000)
        return link.frames
    }
}
