import PeerscopeEndpoint
import PeerscopeWire

/// A case's fixed description, as in `conformance/probes/bfd-core.json`.
public struct ProbeCaseInfo: Hashable, Sendable {
    public var id: String
    public var title: String
    public var rfc: String
    public var purpose: String
    public var steps: [String]
    public var passCriteria: String
    /// Names of the figures the case reports, in order.
    public var figures: [String]

    public init(id: String, title: String, rfc: String, purpose: String, steps: [String], passCriteria: String,
                figures: [String]) {
        self.id = id
        self.title = title
        self.rfc = rfc
        self.purpose = purpose
        self.steps = steps
        self.passCriteria = passCriteria
        self.figures = figures
    }
}

/// One case of a probe suite: provokes the device through the context, then judges the record.
public protocol ProbeCase: Sendable {
    var info: ProbeCaseInfo { get }
    /// Wall-clock budget against a device with 300 ms timers; the context refuses to wait past it.
    var budgetSeconds: Double { get }
    func run(_ context: ProbeContext) throws -> CaseOutcome
}

/// A case could not set up what it needs (session never Up, BGP not Established, no key):
/// the verdict is inconclusive with this reason.
public struct PreconditionFailed: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a case may do to the session, on top of the driver: bring it to a clean Up, wait within
/// the case's budget, go silent, inject.
public final class ProbeContext {
    public let driver: SessionDriver
    /// Monotonic ns by which the running case must be done.
    public internal(set) var caseDeadline: Int64 = .max

    public init(driver: SessionDriver) { self.driver = driver }

    public var record: ProbeRecord { driver.record }
    public var now: Int64 { driver.now }
    public var target: ProbeTarget { driver.target }
    public var ourDiscriminator: UInt32 { driver.endpoint.configuration.localDiscriminator }

    /// The device's last packet, decoded.
    public var deviceLast: BFDControlPacket? { record.devicePackets.last { $0.packet != nil }?.packet }

    public var isUp: Bool {
        driver.endpoint.sessionState == .up && record.deviceState == .up
            && deviceLast?.yourDiscriminator == ourDiscriminator
    }

    /// Waits up to `seconds` (never past the case budget) until `done`.
    @discardableResult
    public func wait(_ seconds: Double, tickEvery tickSeconds: Double? = nil, tick: () throws -> Void = {},
                     until done: () -> Bool = { false }) throws -> Bool {
        let limit = min(now + Int64(seconds * 1e9), caseDeadline)
        return try driver.run(until: limit, tickInterval: tickSeconds.map { Int64($0 * 1e9) }, tick: tick, done: done)
    }

    /// A clean Up session with our Detect Mult `multiplier`: kept when it is one already, else a new
    /// session with a new discriminator. Throws `PreconditionFailed` when the device does not come Up.
    public func ensureUp(detectMultiplier: UInt8? = nil, within seconds: Double = 10) throws {
        let wanted = detectMultiplier ?? target.detectMultiplier
        driver.muted = false
        driver.deaf = false
        if isUp, driver.endpoint.configuration.detectMultiplier == wanted,
           driver.endpoint.variables.requiredMinRxInterval == target.requiredMinRxInterval,
           !driver.endpoint.isPollSequenceActive {
            return
        }
        try driver.startSession(detectMultiplier: wanted)
        guard try wait(seconds, until: { self.isUp }) else {
            throw PreconditionFailed("the session did not come Up within \(Int(seconds)) s "
                                     + "(device state \(record.deviceState.map { "\($0)" } ?? "unheard"))")
        }
        // Let both sides settle their post-Up Poll Sequences (slow start ends with one, §6.8.3).
        try wait(2, until: { !self.driver.endpoint.isPollSequenceActive && self.lastDevicePollAge > 0.5 })
    }

    /// Seconds since the device's last packet with P or F (large when none).
    private var lastDevicePollAge: Double {
        guard let last = record.devicePackets.last(where: { $0.packet.map { $0.poll || $0.final } ?? false }) else {
            return .infinity
        }
        return Double(now - last.time) / 1e9
    }

    /// BGP Established, (re)connecting as needed. Throws `PreconditionFailed` without `--bgp`.
    public func ensureBGP(within seconds: Double = 15) throws {
        guard target.bgp != nil else { throw PreconditionFailed("BGP not configured (--bgp LOCAL_AS:PEER_AS)") }
        if driver.bgpState == .established { return }
        try driver.startBGP()
        let ok = try wait(seconds, tickEvery: 1, tick: { try self.driver.startBGP() },
                          until: { self.driver.bgpState == .established })
        guard ok else { throw PreconditionFailed("BGP did not reach Established within \(Int(seconds)) s") }
    }

    /// Sends an injected packet between the session's valid packets every `interval` seconds for
    /// `seconds`; `build` makes each one (a fresh template each time, so sequence numbers stay valid).
    public func injectRepeatedly(for seconds: Double, every interval: Double,
                                 _ send: () throws -> Void) throws {
        try send()
        try wait(seconds, tickEvery: interval, tick: send)
    }

    /// The template with the state set to Down: what an accepted injection would show.
    public func downTemplate() -> BFDControlPacket {
        var packet = driver.endpoint.packetTemplate()
        packet.state = .down
        packet.diagnostic = .controlDetectionTimeExpired
        packet.flags.remove([.poll, .final])
        return packet
    }

    /// Detection time the device applies to us now: our mult × max(its Required Min RX, our Desired Min TX).
    public var deviceDetectionTimeMilliseconds: Double? {
        guard let device = deviceLast else { return nil }
        let nanoseconds = BFDTimingModel.detectionTimeNanoseconds(
            remoteDetectMult: driver.endpoint.configuration.detectMultiplier,
            localRequiredMinRx: device.requiredMinRxInterval,
            remoteDesiredMinTx: driver.endpoint.variables.desiredMinTxInterval)
        return Double(nanoseconds) / 1e6
    }
}
