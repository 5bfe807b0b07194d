import PeerscopeEndpoint
import PeerscopeWire

/// The shape of every "inject Down packets the device must discard" case: a clean Up session,
/// one bad packet every half interval between the valid ones for about 1.5 detection times, then
/// one more interval to see the device's answer. Accepting any of them would take it Down.
struct Injection {
    /// `make` returns the bytes to send and their TTL; nil means the precondition failed (the reason).
    static func run(_ context: ProbeContext, what: String, _ make: () throws -> (bytes: [UInt8], ttl: UInt8)) throws -> CaseOutcome {
        try context.ensureUp()
        let detection = (context.deviceDetectionTimeMilliseconds ?? 900) / 1000
        let interval = Double(context.driver.endpoint.negotiatedTransmitInterval) / 1e6
        let from = context.now
        try context.injectRepeatedly(for: max(1.2, detection * 1.5), every: max(0.02, interval / 2)) {
            let (bytes, ttl) = try make()
            try context.driver.injectRaw(bytes, ttl: ttl)
        }
        try context.wait(max(0.3, interval * 1.5))
        return Evaluate.staysUp(context.record, from: from, to: context.now, what: what)
    }

    static func sealed(_ context: ProbeContext, _ packet: BFDControlPacket) -> [UInt8] {
        context.driver.sealWithoutSending(packet)
    }
}

/// ttl-254 — RFC 5881 §5.
public struct TTL254Case: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "ttl-254", title: "Single-hop packet with TTL 254 is discarded", rfc: "RFC 5881 §5",
        purpose: "A single-hop packet that arrives with TTL below 255 must be discarded.",
        steps: ["Session Up",
                "Tester sends Down packets with TTL 254 for a detection time while keeping valid TTL-255 Up packets flowing"],
        passCriteria: "The device stays Up (the TTL-254 Down packets are discarded).", figures: ["device_state_after"])
    public let budgetSeconds = 15.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        guard context.target.transport == .singleHop else {
            return .inconclusive("multihop session: RFC 5881 §5's TTL 255 rule does not apply")
        }
        return try Injection.run(context, what: "TTL-254 Down packet") {
            (Injection.sealed(context, context.downTemplate()), 254)
        }
    }
}

/// The malformed-packet cases of RFC 5880 §6.8.6, one small type each.
public struct MalformedCase: ProbeCase {
    public enum Mutation: Sendable {
        case version, shortLength, lengthBeyond, multiplierZero, multipoint, myDiscriminatorZero,
             yourDiscriminatorWrong, yourDiscriminatorZeroInUp, authenticationBit
    }

    public let mutation: Mutation
    public let info: ProbeCaseInfo
    public let budgetSeconds = 15.0

    public init(_ mutation: Mutation) {
        self.mutation = mutation
        func info(_ id: String, _ title: String, _ purpose: String, _ steps: [String]) -> ProbeCaseInfo {
            ProbeCaseInfo(id: id, title: title, rfc: "RFC 5880 §6.8.6", purpose: purpose, steps: steps,
                          passCriteria: "The device stays Up.", figures: ["device_state_after"])
        }
        switch mutation {
        case .version:
            self.info = info("malformed-version", "Version other than 1",
                             "Packets with version 2 must be discarded without disturbing the session.",
                             ["Session Up", "Inject Down packets with version 2 between valid packets"])
        case .shortLength:
            self.info = info("malformed-short-length", "Length below 24", "A Length field below the minimum must cause a discard.",
                             ["Inject Down packets with Length 20"])
        case .lengthBeyond:
            self.info = info("malformed-length-beyond", "Length beyond the payload",
                             "A Length field larger than the UDP payload must cause a discard.",
                             ["Inject Down packets with Length 48 in a 24-byte payload"])
        case .multiplierZero:
            self.info = info("malformed-mult0", "Detect Mult 0", "A packet with Detect Mult 0 must be discarded.",
                             ["Inject Down packets with Detect Mult 0"])
        case .multipoint:
            self.info = info("malformed-m-bit", "Multipoint bit set", "A packet with the M bit must be discarded.",
                             ["Inject Down packets with M set"])
        case .myDiscriminatorZero:
            self.info = info("malformed-my-discr-0", "My Discriminator 0", "A packet with My Discriminator 0 must be discarded.",
                             ["Inject Down packets with My Discriminator 0"])
        case .yourDiscriminatorWrong:
            self.info = info("malformed-your-discr-wrong", "Your Discriminator that selects no session",
                             "A packet whose Your Discriminator matches no session must be discarded.",
                             ["Inject Down packets with a wrong Your Discriminator"])
        case .yourDiscriminatorZeroInUp:
            self.info = info("malformed-your-discr-0-up", "Your Discriminator 0 in state Up",
                             "A packet with Your Discriminator 0 and state other than Down/AdminDown must be discarded.",
                             ["Inject Init packets with Your Discriminator 0"])
        case .authenticationBit:
            self.info = info("malformed-a-bit", "A bit without configured authentication",
                             "A packet with the A bit when no authentication is in use must be discarded.",
                             ["Inject Down packets with A set and a simple-password section"])
        }
    }

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        if mutation == .authenticationBit, context.target.authentication != nil {
            return .inconclusive("authentication is configured (--auth): the A bit is expected")
        }
        return try Injection.run(context, what: "malformed packet") { (try bytes(context), 255) }
    }

    func bytes(_ context: ProbeContext) throws -> [UInt8] {
        var packet = context.downTemplate()
        switch mutation {
        case .version:
            packet.version = 2
        case .shortLength:
            var bytes = Injection.sealed(context, packet)
            bytes[3] = 20
            return bytes
        case .lengthBeyond:
            // A 24-byte payload claiming 48: without authentication the packet is exactly 24 bytes.
            var bytes = Injection.sealed(context, packet)
            bytes = Array(bytes.prefix(24))
            bytes[3] = 48
            return bytes
        case .multiplierZero:
            packet.detectMultiplier = 0
        case .multipoint:
            packet.flags.insert(.multipoint)
        case .myDiscriminatorZero:
            packet.myDiscriminator = 0
        case .yourDiscriminatorWrong:
            packet.yourDiscriminator = packet.yourDiscriminator ^ 0x5A5A_0001
        case .yourDiscriminatorZeroInUp:
            packet.state = .`init`
            packet.yourDiscriminator = 0
        case .authenticationBit:
            let section = BFDAuthentication.simplePassword(keyID: 1, password: Array("peerscope".utf8))
            packet.authentication = section
            packet.flags.insert(.authenticationPresent)
            packet.length = UInt8(BFDControlPacket.mandatoryLength + Int(section.length))
        }
        return Injection.sealed(context, packet)
    }
}

/// auth-wrong-key — RFC 5880 §6.7.
public struct AuthWrongKeyCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "auth-wrong-key", title: "Wrong authentication key", rfc: "RFC 5880 §6.7",
        purpose: "Packets authenticated with a wrong key must be discarded.",
        steps: ["Session Up with authentication", "Inject Down packets with a wrong secret"],
        passCriteria: "The device stays Up.", figures: ["device_state_after"])
    public let budgetSeconds = 15.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        guard let key = context.target.authentication else {
            return .inconclusive("authentication not configured (--auth TYPE:ID:SECRET)")
        }
        // The same key with every secret byte flipped: same length, certainly different.
        let wrong = try BFDAuthenticationKey(type: key.type, keyID: key.keyID, secret: key.secret.map { $0 ^ 0x5A })
        var signer = BFDEndpoint(configuration: try context.target.endpointConfiguration(
            localDiscriminator: context.ourDiscriminator, authentication: .some(wrong)))
        return try Injection.run(context, what: "wrong-key Down packet") {
            var packet = context.downTemplate()
            if key.type == .simplePassword {
                packet.authentication = .simplePassword(keyID: key.keyID, password: wrong.secret)
                return (packet.encoded, 255)
            }
            return (signer.seal(packet).bytes, 255)
        }
    }
}

/// auth-replay — RFC 5880 §6.7.3, §6.7.4.
public struct AuthReplayCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "auth-replay", title: "Replayed sequence number", rfc: "RFC 5880 §6.7.3, §6.7.4",
        purpose: "A meticulous-keyed packet with a replayed sequence number must be discarded.",
        steps: ["Session Up with meticulous keyed authentication", "Replay an earlier Down packet with an old sequence number"],
        passCriteria: "The device stays Up.", figures: ["device_state_after"])
    public let budgetSeconds = 15.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        guard let key = context.target.authentication, key.type.isMeticulous else {
            return .inconclusive("needs meticulous keyed authentication (--auth meticulous-keyed-sha1:ID:SECRET or -md5)")
        }
        try context.ensureUp()
        // Sign a Down packet now (it takes a sequence number), hold it back while valid packets
        // move the device's bfd.RcvAuthSeq past it, then send it: a replay with a valid digest.
        let held = Injection.sealed(context, context.downTemplate())
        let sentBefore = context.record.sentPackets.endIndex
        try context.wait(3, until: { context.record.sentPackets.endIndex >= sentBefore + 2 })
        return try Injection.run(context, what: "replayed Down packet") { (held, 255) }
    }
}
