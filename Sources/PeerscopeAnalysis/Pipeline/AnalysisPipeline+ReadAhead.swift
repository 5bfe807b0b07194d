import PeerscopeCapture

extension AnalysisPipeline {
    /// `run` on two threads (issue 14): a reading thread reads `source`, dissects every frame and
    /// settles those that carry neither BFD nor BGP (about half of a busy link's frames); this
    /// thread gets the rest, bytes copied through a `ReadAheadFrameSource`'s ring, and does what
    /// `run` does with them: sessions, TCP reassembly, rules. The frames, their numbers and times,
    /// idle ticks, the end and a read error arrive in the source's order, and each frame is
    /// ingested exactly as `run` would, so the findings are the single-threaded ones.
    public mutating func runReadingAhead(_ source: some FrameSource) throws(CaptureError) {
        defer { finish() }
        let scratch = ReadingThreadScratch()
        let ahead = ReadAheadFrameSource(source) { frame in scratch.tag(frame) }
        while true {
            switch try ahead.nextEvent() {
            case .frame(let frame):
                if let settled = ReadingThreadScratch.frameClass(tag: ahead.tag) {
                    ingest(frame, classifiedAs: settled, sourceOrigin: ahead.originNanoseconds)
                } else {
                    ingest(frame, sourceOrigin: ahead.originNanoseconds)
                }
            case .idle(let now): _ = tick(nowNanoseconds: now)
            case .end: return
            }
        }
    }
}

/// The reading thread's dissection (reused frame after frame, touched by that thread only) and the
/// tags it hands over: which of the classes that need nothing beyond counting a frame is.
final class ReadingThreadScratch: @unchecked Sendable {
    /// Behind a pointer: a class property passed `inout` pays a dynamic exclusivity check per frame.
    private let dissection: UnsafeMutablePointer<Dissection>

    init() {
        dissection = .allocate(capacity: 1)
        dissection.initialize(to: Dissection())
    }

    deinit {
        dissection.deinitialize(count: 1)
        dissection.deallocate()
    }

    /// 0: the analysing thread dissects the frame itself (BFD, BGP, undecodable: it needs the values).
    func tag(_ frame: Frame) -> UInt8 {
        switch FrameDecoder.classify(frame, into: &dissection.pointee) {
        case .otherUDP: 1
        case .otherTCP: 2
        case .otherIP: 3
        case .notIP: 4
        case .bfdControl, .bfdEcho, .bfdMalformed, .bgpSegment, .undecodable: 0
        }
    }

    static func frameClass(tag: UInt8) -> FrameClass? {
        switch tag {
        case 1: .otherUDP
        case 2: .otherTCP
        case 3: .otherIP
        case 4: .notIP
        default: nil
        }
    }
}
