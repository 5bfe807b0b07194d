import PeerscopeWire

/// Totals for `peerscope decode --count`: frames per protocol and per decode error.
///
/// Plain counters on the hot path; the error table is touched only when a frame fails to decode.
public struct DecodeTally: Sendable {
    public private(set) var frames = 0
    public private(set) var bfdControl: [BFDTransport: Int] = [:]
    public private(set) var bfdEcho = 0
    public private(set) var bgpSegments = 0
    public private(set) var otherUDP = 0
    public private(set) var otherTCP = 0
    public private(set) var otherIP = 0
    public private(set) var notIP = 0
    /// Frames cut by snaplen (captured < original length).
    public private(set) var snapped = 0
    /// BFD-port packets that are not valid BFD, by error code.
    public private(set) var bfdMalformed: [String: Int] = [:]
    /// Frames whose headers could not be read, by error code.
    public private(set) var undecodable: [String: Int] = [:]

    // Per-transport control counts kept in fixed slots so counting does not hash.
    private var controlSlots = (0, 0, 0, 0, 0)

    public init() {}

    public mutating func count(_ decoded: DecodedFrame, snapped isSnapped: Bool) {
        count(decoded.frameClass, snapped: isSnapped)
    }

    public mutating func count(_ frameClass: FrameClass, snapped isSnapped: Bool) {
        frames += 1
        if isSnapped { snapped += 1 }
        switch frameClass {
        case .bfdControl(let transport):
            switch transport {
            case .singleHop: controlSlots.0 += 1
            case .multihop: controlSlots.1 += 1
            case .microBFD: controlSlots.2 += 1
            case .seamless: controlSlots.3 += 1
            case .echo: controlSlots.4 += 1
            }
        case .bfdEcho: bfdEcho += 1
        case .bfdMalformed(let error, _): bfdMalformed[error.code, default: 0] += 1
        case .bgpSegment: bgpSegments += 1
        case .otherUDP: otherUDP += 1
        case .otherTCP: otherTCP += 1
        case .otherIP: otherIP += 1
        case .notIP: notIP += 1
        case .undecodable(let error): undecodable[error.code, default: 0] += 1
        }
    }

    /// Control packets per transport (single-hop, multihop, micro-BFD, S-BFD).
    public var bfdControlByTransport: [(BFDTransport, Int)] {
        [(.singleHop, controlSlots.0), (.multihop, controlSlots.1), (.microBFD, controlSlots.2),
         (.seamless, controlSlots.3)]
    }

    public var bfdControlTotal: Int {
        controlSlots.0 + controlSlots.1 + controlSlots.2 + controlSlots.3 + controlSlots.4
    }

    public var undecodableTotal: Int { undecodable.values.reduce(0, +) }
    public var bfdMalformedTotal: Int { bfdMalformed.values.reduce(0, +) }
}
