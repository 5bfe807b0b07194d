import PeerscopeWire

/// Frames (and idle ticks) held in memory, handed out in the order given: what tests feed a
/// pipeline with, including the silent stretches a live interface would report as idle ticks.
public final class MemoryFrameSource: FrameSource {
    public enum Item: Sendable {
        case frame(timestampNanoseconds: Int64, bytes: [UInt8], originalLength: Int? = nil)
        case idle(nowNanoseconds: Int64)
    }

    public let linkType: LinkType
    public let resolution: TimestampResolution
    public private(set) var framesRead = 0
    private let items: [Item]
    private var index = 0
    /// The current frame's bytes: `Frame.bytes` points into them until the next call.
    private var current = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    public init(_ items: [Item], linkType: LinkType = .ethernet, resolution: TimestampResolution = .nanoseconds) {
        self.items = items
        self.linkType = linkType
        self.resolution = resolution
    }

    deinit { current.deallocate() }

    public var originNanoseconds: Int64? {
        for item in items { if case .frame(let time, _, _) = item { return time } }
        return nil
    }

    public func nextEvent() throws(CaptureError) -> FrameSourceEvent {
        guard index < items.count else { return .end }
        defer { index += 1 }
        switch items[index] {
        case .idle(let now):
            return .idle(nowNanoseconds: now)
        case .frame(let time, let bytes, let original):
            framesRead += 1
            current.deallocate()
            current = .allocate(byteCount: bytes.count, alignment: 8)
            bytes.withUnsafeBytes { current.copyMemory(from: $0) }
            let pointer = UnsafeRawBufferPointer(current)
            return .frame(Frame(number: framesRead, timestampNanoseconds: time, capturedLength: bytes.count,
                                originalLength: max(original ?? bytes.count, bytes.count), linkType: linkType,
                                bytes: pointer))
        }
    }

    public func next() throws(CaptureError) -> Frame? { try nextFrameSkippingIdle() }
}
