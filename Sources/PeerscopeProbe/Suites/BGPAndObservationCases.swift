import PeerscopeEndpoint
import PeerscopeWire

/// admindown — RFC 5880 §6.8.6, RFC 5882 §3.2.
public struct AdminDownCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "admindown", title: "AdminDown from the tester", rfc: "RFC 5880 §6.8.6, RFC 5882 §3.2",
        purpose: "On our AdminDown the device goes Down with diag 3 and keeps its BGP session.",
        steps: ["Session Up (and BGP Established when --bgp)", "Tester sends AdminDown (diag 7)",
                "Watch the device's BFD state and its BGP session for 5 s"],
        passCriteria: "Device Down with diag 3; BGP not torn down (no NOTIFICATION, FIN or RST).",
        figures: ["diag", "bgp_kept"])
    public let budgetSeconds = 35.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        let bgp = context.target.bgp != nil
        // Up first: a new session may restart the device's BGP (RFC 5882), so BGP comes second.
        try context.ensureUp()
        if bgp { try context.ensureBGP() }
        try context.ensureUp()
        let at = context.now
        try context.driver.adminDown()
        try context.wait(5)
        return Evaluate.adminDown(context.record, adminDownAt: at, until: context.now, bgpWatched: bgp)
    }
}

/// bfd-failure-bgp — RFC 5882 §3.2, RFC 9384.
public struct BFDFailureBGPCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "bfd-failure-bgp", title: "BFD failure tears BGP down", rfc: "RFC 5882 §3.2, RFC 9384",
        purpose: "When BFD detects a failure the device tears down BGP quickly, with Cease subcode 10.",
        steps: ["Session Up and BGP Established", "Tester goes silent on BFD only", "Measure BFD Down → BGP NOTIFICATION"],
        passCriteria: "BGP torn down within 1 s of BFD Down; NOTIFICATION Cease/10 when a NOTIFICATION is sent.",
        figures: ["failover_ms", "notification"])
    public let budgetSeconds = 35.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        try context.ensureUp()
        try context.ensureBGP()
        // BGP must stand for a moment with BFD Up, so the device has registered it as a client.
        try context.wait(1)
        guard context.isUp, context.driver.bgpState == .established else {
            throw PreconditionFailed("BFD Up and BGP Established did not hold together")
        }
        context.driver.muted = true
        let silentAt = context.now
        let limit = (context.deviceDetectionTimeMilliseconds ?? 900) / 1000 * 2 + 4
        try context.wait(limit, until: {
            let down = context.record.deviceIndices(from: silentAt).first {
                context.record.devicePackets[$0].state == .down
            }
            guard let down else { return false }
            let downTime = context.record.devicePackets[down].time
            return context.record.bgp.contains { $0.time >= silentAt && $0.isTeardownByPeer }
                || context.now - downTime > 2_000_000_000
        })
        return Evaluate.bfdFailureBGP(context.record, silentAt: silentAt, until: context.now)
    }
}

/// device-ports — RFC 5881 §4, RFC 5883 §2.
public struct DevicePortsCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "device-ports", title: "The device's ports", rfc: "RFC 5881 §4, RFC 5883 §2",
        purpose: "Destination port 3784 (4784 multihop), source port in 49152–65535.",
        steps: ["Observe the device's packets during the run"],
        passCriteria: "Every packet uses the right destination port and a source port in range.",
        figures: ["source_port", "destination_port"])
    public let budgetSeconds = 12.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        if context.record.devicePackets.isEmpty { try context.ensureUp() }
        return Evaluate.ports(context.record, transport: context.target.transport)
    }
}

/// device-ttl — RFC 5881 §5.
public struct DeviceTTLCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "device-ttl", title: "The device's TTL", rfc: "RFC 5881 §5",
        purpose: "Single-hop packets leave with TTL 255.",
        steps: ["Observe the received TTL of the device's packets"],
        passCriteria: "Every single-hop packet arrives with TTL 255.", figures: ["ttl_min", "ttl_max"])
    public let budgetSeconds = 12.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        if context.record.devicePackets.isEmpty { try context.ensureUp() }
        return Evaluate.ttl(context.record, singleHop: context.target.transport == .singleHop)
    }
}

/// device-discriminators — RFC 5880 §6.8.1, §6.3.
public struct DeviceDiscriminatorsCase: ProbeCase {
    public init() {}
    public let info = ProbeCaseInfo(
        id: "device-discriminators", title: "The device's discriminators", rfc: "RFC 5880 §6.8.1, §6.3",
        purpose: "My Discriminator is nonzero and stable; Your Discriminator echoes ours once known.",
        steps: ["Observe the device's packets during the run"],
        passCriteria: "Nonzero, unchanged My Discriminator; Your Discriminator equals ours after the handshake.",
        figures: ["my_discriminator"])
    public let budgetSeconds = 12.0

    public func run(_ context: ProbeContext) throws -> CaseOutcome {
        if context.record.devicePackets.isEmpty { try context.ensureUp() }
        return Evaluate.discriminators(context.record)
    }
}

/// The suites `--suite` knows.
public enum ProbeSuites {
    /// bfd-core, in the order of conformance/probes/bfd-core.json.
    public static let bfdCore: [any ProbeCase] = [
        HandshakeCase(), SlowStartCase(), IntervalsCase(), DetectionCase(multiplier: 3), DetectionCase(multiplier: 5),
        PollByTesterCase(), PollByDeviceCase(), TTL254Case(),
        MalformedCase(.version), MalformedCase(.shortLength), MalformedCase(.lengthBeyond), MalformedCase(.multiplierZero),
        MalformedCase(.multipoint), MalformedCase(.myDiscriminatorZero), MalformedCase(.yourDiscriminatorWrong),
        MalformedCase(.yourDiscriminatorZeroInUp), MalformedCase(.authenticationBit),
        AdminDownCase(), BFDFailureBGPCase(), AuthWrongKeyCase(), AuthReplayCase(),
        DevicePortsCase(), DeviceTTLCase(), DeviceDiscriminatorsCase(),
    ]

    public static let all: [String: [any ProbeCase]] = ["bfd-core": bfdCore]

    public static func suite(named name: String) -> [any ProbeCase]? { all[name] }

    /// Cases by id across every suite, in suite order.
    public static func cases(ids: [String], in suite: [any ProbeCase] = bfdCore) -> [any ProbeCase]? {
        let wanted = Set(ids)
        let selected = suite.filter { wanted.contains($0.info.id) }
        return selected.count == wanted.count ? selected : nil
    }
}
