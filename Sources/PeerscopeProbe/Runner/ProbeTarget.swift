import PeerscopeEndpoint
import PeerscopeWire

/// The BGP peering that rides on the BFD session: `--bgp LOCAL_AS:PEER_AS`.
public struct BGPPeering: Hashable, Sendable {
    public var localAS: UInt32
    public var peerAS: UInt32

    public init(localAS: UInt32, peerAS: UInt32) {
        self.localAS = localAS
        self.peerAS = peerAS
    }

    /// `65001:65002`; nil when not two AS numbers 1–4294967295.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = UInt32(parts[0]), let peer = UInt32(parts[1]), local != 0, peer != 0
        else { return nil }
        self.init(localAS: local, peerAS: peer)
    }
}

/// Who we talk to and how: the part of a probe or responder configuration that opens sockets.
public struct ProbeTarget: Sendable {
    public var peer: IPAddress
    /// Our address; for single hop it defaults to the address whose prefix holds the peer.
    public var local: IPAddress?
    public var interface: String?
    public var transport: BFDTransport
    public var bgp: BGPPeering?
    /// GTSM on the BGP connection (RFC 5082): IP_MINTTL 255 on our socket. TTL 255 is always sent.
    public var gtsm: Bool
    public var authentication: BFDAuthenticationKey?
    /// Our timers once Up (while not Up at least 1 s is advertised, RFC 5880 §6.8.3).
    public var desiredMinTxInterval: Microseconds
    public var requiredMinRxInterval: Microseconds
    public var detectMultiplier: UInt8
    /// Multihop only: lowest TTL accepted from the peer (RFC 5883 §2).
    public var multihopMinimumTTL: UInt8
    /// Our own receive port and the peer's port, when not the transport's (tests on one host).
    public var receivePort: UInt16?
    public var peerPort: UInt16?

    public init(peer: IPAddress, local: IPAddress? = nil, interface: String? = nil, transport: BFDTransport = .singleHop,
                bgp: BGPPeering? = nil, gtsm: Bool = false, authentication: BFDAuthenticationKey? = nil,
                desiredMinTxInterval: Microseconds = 300_000, requiredMinRxInterval: Microseconds = 300_000,
                detectMultiplier: UInt8 = 3, multihopMinimumTTL: UInt8 = 1,
                receivePort: UInt16? = nil, peerPort: UInt16? = nil) {
        self.peer = peer
        self.local = local
        self.interface = interface
        self.transport = transport
        self.bgp = bgp
        self.gtsm = gtsm
        self.authentication = authentication
        self.desiredMinTxInterval = desiredMinTxInterval
        self.requiredMinRxInterval = requiredMinRxInterval
        self.detectMultiplier = detectMultiplier
        self.multihopMinimumTTL = multihopMinimumTTL
        self.receivePort = receivePort
        self.peerPort = peerPort
    }

    public var hopMode: BFDHopMode {
        switch transport {
        case .singleHop: .singleHop
        case .multihop: .multihop(minimumTTL: multihopMinimumTTL)
        }
    }

    /// The endpoint configuration for one session of ours.
    public func endpointConfiguration(localDiscriminator: UInt32, detectMultiplier: UInt8? = nil,
                                      authentication: BFDAuthenticationKey?? = nil) throws(BFDConfigurationError)
        -> BFDEndpointConfiguration
    {
        try BFDEndpointConfiguration(
            localDiscriminator: localDiscriminator, desiredMinTxInterval: desiredMinTxInterval,
            requiredMinRxInterval: requiredMinRxInterval, detectMultiplier: detectMultiplier ?? self.detectMultiplier,
            role: .active, authentication: authentication ?? self.authentication, hopMode: hopMode)
    }
}

/// `--auth TYPE:ID:SECRET`: simple, keyed-md5, meticulous-keyed-md5, keyed-sha1, meticulous-keyed-sha1.
public enum AuthenticationArgument {
    public static let typeNames: [(String, BFDAuthType)] = [
        ("simple", .simplePassword), ("keyed-md5", .keyedMD5), ("meticulous-keyed-md5", .meticulousKeyedMD5),
        ("keyed-sha1", .keyedSHA1), ("meticulous-keyed-sha1", .meticulousKeyedSHA1),
    ]

    /// The key, or a one-line reason that never repeats the secret.
    public static func parse(_ text: String, startingSequenceNumber: UInt32 = 1) -> Result<BFDAuthenticationKey, AuthenticationArgumentError> {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.init("--auth takes TYPE:ID:SECRET")) }
        guard let type = typeNames.first(where: { $0.0 == parts[0] })?.1 else {
            return .failure(.init("--auth type '\(parts[0])' is not one of \(typeNames.map(\.0).joined(separator: ", "))"))
        }
        guard let keyID = UInt8(parts[1]) else { return .failure(.init("--auth key ID must be 0–255")) }
        do {
            return .success(try BFDAuthenticationKey(type: type, keyID: keyID, secret: Array(parts[2].utf8),
                                                     startingSequenceNumber: startingSequenceNumber))
        } catch {
            let limit = type == .keyedSHA1 || type == .meticulousKeyedSHA1 ? 20 : 16
            return .failure(.init("--auth secret must be 1–\(limit) bytes for \(parts[0])"))
        }
    }

    public static func name(of type: BFDAuthType) -> String {
        typeNames.first { $0.1 == type }?.0 ?? "\(type)"
    }
}

public struct AuthenticationArgumentError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
