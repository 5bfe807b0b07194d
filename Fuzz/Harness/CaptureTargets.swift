import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeReport
import PeerscopeWire

/// The first byte of a `dissector` input: bits 0–2 pick the link type, bit 3 marks the frame as cut
/// by snaplen. The rest is the frame.
public enum DissectorInput {
    public static let linkTypes: [LinkType] = [.null, .ethernet, .raw, .loop, .linuxSLL, .linuxSLL2, .ipv4, .ipv6]

    public static func byte(linkType: LinkType, snapped: Bool) -> UInt8? {
        guard let index = linkTypes.firstIndex(of: linkType) else { return nil }
        return UInt8(index) | (snapped ? 8 : 0)
    }
}

enum CaptureTargets {
    static func dissector(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let selector = input.byte()
        let linkType = DissectorInput.linkTypes[Int(selector & 7)]
        let snapped = selector & 8 != 0
        let bytes = input.rest()
        let frame = Frame(number: 1, timestampNanoseconds: 0, capturedLength: bytes.count,
                          originalLength: bytes.count + (snapped ? 1 : 0), linkType: linkType, bytes: bytes)
        var dissection = Dissection()
        let decoded = FrameDecoder.decode(frame, into: &dissection)
        if case .undecodable = decoded { return }
        fuzzInvariant(dissection.payloadOffset >= 0 && dissection.payloadLength >= 0
                      && dissection.payloadOffset + dissection.payloadLength <= bytes.count,
                      "payload \(dissection.payloadOffset)+\(dissection.payloadLength) outside a \(bytes.count)-byte frame")
        var again = Dissection()
        let classified = FrameDecoder.classify(frame, into: &again)
        fuzzInvariant(sameClass(classified, decoded.frameClass), "classify and decode disagree")
    }

    private static func sameClass(_ a: FrameClass, _ b: FrameClass) -> Bool {
        switch (a, b) {
        case (.bfdControl(let x), .bfdControl(let y)): x == y
        case (.bfdEcho, .bfdEcho), (.bgpSegment, .bgpSegment), (.otherUDP, .otherUDP), (.otherTCP, .otherTCP),
             (.otherIP, .otherIP), (.notIP, .notIP): true
        case (.bfdMalformed(let e, let x), .bfdMalformed(let f, let y)): e == f && x == y
        case (.undecodable(let e), .undecodable(let f)): e == f
        default: false
        }
    }

    static func captureReader(_ data: UnsafeRawBufferPointer) {
        guard let file = MemoryFile(data) else { return }
        guard let reader = try? CaptureReader(path: file.path) else { return }
        var previous = 0
        do {
            while let frame = try reader.next() {
                fuzzInvariant(frame.number == previous + 1, "frame numbers must count up by one")
                fuzzInvariant(frame.bytes.count == frame.capturedLength, "frame bytes and captured length differ")
                previous = frame.number
                _ = frame.isTruncated
            }
        } catch {
            _ = "\(error)"
        }
        _ = reader.resolution.nanoseconds
    }

    static func analysis(_ data: UnsafeRawBufferPointer) {
        guard let file = MemoryFile(data) else { return }
        guard let analysis = try? CaptureAnalysis(path: file.path) else { return }
        let findings = analysis.findings
        let decimals = analysis.resolution == .nanoseconds ? 9 : 6
        // What check, sessions and timeline print, in text and JSON: formatting must not trap either.
        _ = FindingsRenderer(timeDecimals: decimals).lines(analysis, findings: findings)
        _ = MachineReadable.json(MachineReadable.check(analysis, findings: findings))
        _ = SessionsRenderer().lines(analysis)
        _ = TimelineRenderer(timeDecimals: decimals).lines(analysis)
        _ = BGPSessionsRenderer(timeDecimals: decimals).lines(analysis)
        _ = BGPTimelineRenderer(timeDecimals: decimals).lines(analysis)
        _ = MachineReadable.json(SessionsRecord(analysis))
        // JUnit with the rules that fired: the test cases of the others are the catalog's constant
        // text (escaped the same for every input), which cost a tenth of each execution here.
        let fired = Set(findings.map(\.rule.id))
        _ = MachineReadable.junit([(analysis, findings)], rules: RuleCatalog.all.filter { fired.contains($0.id) })
        _ = analysis.durationNanoseconds
    }
}
