import Foundation
import PeerscopeCapture
import PeerscopeWire
import Testing

/// `ReadAheadFrameSource` hands out what its base source does, in order, from another thread. The
/// truth here is the file read directly by `CaptureReader` (libpcap, or the pcapng reader). Small
/// rings force every path: a full ring (back-pressure), the slab wrapping, frames too large for the
/// slab, the end and a read error after the frames before it.
@Suite("read-ahead frame source")
struct ReadAheadFrameSourceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func captures() -> [String] {
        let base = root.appendingPathComponent("captures")
        let all = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
            .map { base.appendingPathComponent($0).path }
    }

    struct Seen: Equatable {
        var number: Int, time: Int64, captured: Int, original: Int, linkType: LinkType
        var interface: Int?, name: String?, comments: [String], bytes: [UInt8]
        var framesRead: Int, origin: Int64?

        init(_ frame: Frame, _ source: some FrameSource) {
            number = frame.number
            time = frame.timestampNanoseconds
            captured = frame.capturedLength
            original = frame.originalLength
            linkType = frame.linkType
            interface = frame.interfaceIndex
            name = frame.interfaceName
            comments = frame.comments
            bytes = Array(frame.bytes)
            framesRead = source.framesRead
            origin = source.originNanoseconds
        }
    }

    /// Every frame of `source` with the source's counters as they stood when it was handed out,
    /// then the error that ended it (if any) and the final count.
    static func drain(_ source: some FrameSource) -> (frames: [Seen], error: String?, framesRead: Int) {
        var frames: [Seen] = []
        do {
            while let frame = try source.next() { frames.append(Seen(frame, source)) }
        } catch {
            return (frames, "\(error)", source.framesRead)
        }
        return (frames, nil, source.framesRead)
    }

    @Test("every committed capture: the same frames, bytes, counters and pcapng names and comments as read directly",
          arguments: [(4, 4_096), (4_096, 8 << 20)])
    func sameFramesAsTheFile(slots: Int, slab: Int) throws {
        let paths = Self.captures()
        #expect(paths.count >= 30)
        for path in paths {
            let direct = Self.drain(try CaptureReader(path: path))
            let ahead = Self.drain(ReadAheadFrameSource(try CaptureReader(path: path), slots: slots, slabBytes: slab))
            #expect(!direct.frames.isEmpty, "\(path)")
            #expect(ahead.frames == direct.frames, "\(path)")
            #expect(ahead.error == direct.error && ahead.framesRead == direct.framesRead, "\(path)")
        }
    }

    @Test("a file cut mid-record: the frames before the cut, then the reader's error, in that order")
    func readErrorArrivesAfterTheFrames() throws {
        let source = Self.root.appendingPathComponent("captures/bfd-failover.pcap").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let cut = TemporaryFile("cut.pcap")
        // Ten bytes short of the end: the last record's header promises more than is there.
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: cut.path))
        let direct = Self.drain(try CaptureReader(path: cut.path))
        let ahead = Self.drain(ReadAheadFrameSource(try CaptureReader(path: cut.path), slots: 4, slabBytes: 4_096))
        #expect(direct.error != nil)
        #expect(ahead.frames == direct.frames)
        #expect(ahead.error == direct.error && ahead.framesRead == direct.framesRead)
    }

    @Test("idle ticks keep their place between frames; a frame larger than the slab comes through whole")
    func idleTicksAndLargeFrames() throws {
        let large = [UInt8]((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let items: [MemoryFrameSource.Item] = [
            .frame(timestampNanoseconds: 10, bytes: [1, 2, 3]), .idle(nowNanoseconds: 20),
            .frame(timestampNanoseconds: 30, bytes: large), .idle(nowNanoseconds: 40), .idle(nowNanoseconds: 50),
            .frame(timestampNanoseconds: 60, bytes: [], originalLength: 64),
        ]
        let ahead = ReadAheadFrameSource(MemoryFrameSource(items, linkType: .raw), slots: 2, slabBytes: 4_096)
        var seen: [String] = []
        loop: while true {
            switch try ahead.nextEvent() {
            case .frame(let frame): seen.append("frame \(frame.number) t=\(frame.timestampNanoseconds) \(Array(frame.bytes) == (frame.number == 2 ? large : frame.number == 1 ? [1, 2, 3] : [])) \(frame.originalLength)")
            case .idle(let now): seen.append("idle \(now)")
            case .end: break loop
            }
        }
        #expect(seen == ["frame 1 t=10 true 3", "idle 20", "frame 2 t=30 true 20000", "idle 40", "idle 50", "frame 3 t=60 true 64"])
        #expect(try ahead.nextEvent().isEnd)
    }

    @Test("a frame the classifier tagged arrives with its tag and lengths, without bytes")
    func taggedFramesCarryNoBytes() throws {
        let path = Self.root.appendingPathComponent("captures/bfd-mixed-noise.pcap").path
        let direct = Self.drain(try CaptureReader(path: path))
        // Tag the even frames: their bytes stay behind.
        let ahead = ReadAheadFrameSource(try CaptureReader(path: path), slots: 8, slabBytes: 4_096) { frame in
            frame.number % 2 == 0 ? 7 : 0
        }
        var index = 0
        while let frame = try ahead.next() {
            let expected = direct.frames[index]
            #expect(frame.number == expected.number && frame.capturedLength == expected.captured)
            #expect(ahead.tag == (frame.number % 2 == 0 ? 7 : 0))
            #expect(Array(frame.bytes) == (frame.number % 2 == 0 ? [] : expected.bytes))
            index += 1
        }
        #expect(index == direct.frames.count && index > 10)
    }

    @Test("a reader dropped before the end stops its thread (no hang, nothing leaked to the next one)")
    func abandonedEarly() throws {
        let path = Self.root.appendingPathComponent("captures/lab/frr-bird-failover.pcap").path
        for _ in 0..<20 {
            let ahead = ReadAheadFrameSource(try CaptureReader(path: path), slots: 2, slabBytes: 4_096)
            #expect(try ahead.next()?.number == 1)
            #expect(try ahead.next()?.number == 2)
        }
    }
}

extension FrameSourceEvent {
    var isEnd: Bool { if case .end = self { true } else { false } }
}
