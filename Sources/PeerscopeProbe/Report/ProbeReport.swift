/// The machine-readable result of a probe run (`--json`): stable keys, figures as name →
/// {value, unit, text}, evidence as frame numbers of the run's capture (1-based, as Wireshark).
public struct ProbeReport: Codable, Sendable {
    public struct Case: Codable, Sendable {
        public var id: String
        public var title: String
        public var rfc: String
        public var verdict: ProbeVerdict
        public var reason: String
        public var figures: [String: ProbeFigure]
        /// The figure names in the order the case reports them.
        public var figureOrder: [String]
        public var evidenceFrames: [Int]
        public var durationMilliseconds: Double

        public init(id: String, title: String, rfc: String, verdict: ProbeVerdict, reason: String,
                    figures: [String: ProbeFigure], figureOrder: [String], evidenceFrames: [Int],
                    durationMilliseconds: Double) {
            self.id = id
            self.title = title
            self.rfc = rfc
            self.verdict = verdict
            self.reason = reason
            self.figures = figures
            self.figureOrder = figureOrder
            self.evidenceFrames = evidenceFrames
            self.durationMilliseconds = durationMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case id, title, rfc, verdict, reason, figures
            case figureOrder = "figure_order"
            case evidenceFrames = "evidence_frames"
            case durationMilliseconds = "duration_ms"
        }
    }

    public struct Finding: Codable, Sendable {
        public var rule: String
        public var level: String
        public var frames: [Int]
        public var message: String

        public init(rule: String, level: String, frames: [Int], message: String) {
            self.rule = rule
            self.level = level
            self.frames = frames
            self.message = message
        }
    }

    public struct Summary: Codable, Sendable {
        public var pass: Int
        public var fail: Int
        public var inconclusive: Int

        public init(pass: Int, fail: Int, inconclusive: Int) {
            self.pass = pass
            self.fail = fail
            self.inconclusive = inconclusive
        }
    }

    public var suite: String
    public var peer: String
    public var local: String
    public var transport: String
    public var authentication: String?
    public var bgp: String?
    public var interrupted: Bool
    public var durationMilliseconds: Double
    public var summary: Summary
    public var cases: [Case]
    /// The capture the evidence frames refer to (nil when it was a temporary file now deleted).
    public var capture: String?
    public var captureFrames: Int
    /// Findings of the capture analysis of the whole run (rule catalog IDs).
    public var findings: [Finding]
    public var error: String?
    /// What our BFD socket took in over the run, with the discards per RFC 5880 §6.8.6 reason.
    public var reception: ReceptionTally?

    public init(suite: String, peer: String, local: String, transport: String, authentication: String?, bgp: String?,
                interrupted: Bool, durationMilliseconds: Double, summary: Summary, cases: [Case], capture: String?,
                captureFrames: Int, findings: [Finding], error: String?, reception: ReceptionTally? = nil) {
        self.suite = suite
        self.peer = peer
        self.local = local
        self.transport = transport
        self.authentication = authentication
        self.bgp = bgp
        self.interrupted = interrupted
        self.durationMilliseconds = durationMilliseconds
        self.summary = summary
        self.cases = cases
        self.capture = capture
        self.captureFrames = captureFrames
        self.findings = findings
        self.error = error
        self.reception = reception
    }

    enum CodingKeys: String, CodingKey {
        case suite, peer, local, transport, authentication, bgp, interrupted, summary, cases, capture, findings, error
        case durationMilliseconds = "duration_ms"
        case captureFrames = "capture_frames"
        case reception = "bfd_reception"
    }

    public var exitCode: Int32 { cases.contains { $0.verdict == .fail } ? 1 : 0 }
}
