/// Every fuzz target, by the name `tools/fuzz/run` takes. The same entry points serve libFuzzer
/// (Fuzz/Sources/peerscope-fuzz) and the crasher replay in `swift test`
/// (Tests/PeerscopeFuzzReplayTests), so a crash found by one is replayed by the other.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// BFD Control decode (and validate agreeing with it) and Echo digest: bytes are a UDP payload.
    case bfd
    /// One BGP message; the first byte chooses the negotiated options (see `BGPOptionsByte`).
    case bgpMessage = "bgp-message"
    /// decode(encode(decode(x))) == decode(x) for BFD Control and BGP messages.
    case roundTrip = "round-trip"
    /// The dissector and frame classifier; the first byte chooses the link type.
    case dissector
    /// The pcap/pcapng reader over an in-memory file: every frame read until the end or an error.
    case captureReader = "capture-reader"
    /// TCP reassembly and the BGP framer and session tracker, fed a program of segments.
    case tcpBGP = "tcp-bgp"
    /// The whole analysis of `peerscope check`: capture bytes in, findings and every rendering out.
    case analysis
    /// The RFC 5880 endpoint fed packets and timer events; state-machine invariants checked.
    case bfdEndpoint = "bfd-endpoint"
    /// The RFC 4271 speaker fed bytes, connection and timer events; FSM invariants checked.
    case bgpSpeaker = "bgp-speaker"

    /// Runs one input. Returns normally for every input; a trap or a broken invariant is a defect.
    public func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .bfd: DecoderTargets.bfd(data)
        case .bgpMessage: DecoderTargets.bgpMessage(data)
        case .roundTrip: DecoderTargets.roundTrip(data)
        case .dissector: CaptureTargets.dissector(data)
        case .captureReader: CaptureTargets.captureReader(data)
        case .tcpBGP: TCPTargets.tcpBGP(data)
        case .analysis: CaptureTargets.analysis(data)
        case .bfdEndpoint: EndpointTargets.bfdEndpoint(data)
        case .bgpSpeaker: EndpointTargets.bgpSpeaker(data)
        }
    }

    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { run($0) }
    }
}
