import PeerscopeWire
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a `FrameRing`: a frame's fields (its bytes live in the ring's slab), an idle tick,
/// the end, or the read error that ended the source. Fixed size and trivially copyable, so
/// handing one over allocates nothing.
struct FrameRecord {
    enum Kind: UInt8 { case frame, idle, end, failed }

    var kind: Kind = .end
    /// What the producer's classifier said about the frame (0: nothing; see `ReadAheadFrameSource`).
    var tag: UInt8 = 0
    var number = 0
    /// The frame's timestamp, or an idle tick's time.
    var timestampNanoseconds: Int64 = 0
    var capturedLength = 0
    var originalLength = 0
    var linkType: LinkType = .ethernet
    var interfaceIndex: Int?
    /// The frame's pcapng name and comments, retained for the crossing (released by the consumer).
    var pcapng: UnsafeRawPointer?
    var bytes: UnsafeRawPointer?
    var byteCount = 0
    /// The bytes were too large for the slab and sit in their own allocation, freed on release.
    var ownsBytes = false
    /// The slab position after this record's bytes: releasing the record frees the slab up to here.
    var slabEnd = 0
    /// The source's own counters as of this record (`FrameSource.framesRead`, `originNanoseconds`,
    /// `position`), so the consumer sees what a caller reading the source directly would see.
    var framesRead = 0
    var originNanoseconds: Int64?
    var position: (bytesRead: Int64, totalBytes: Int64)?
}

/// A single-producer/single-consumer queue of `FrameRecord`s whose frame bytes are copied into one
/// preallocated slab: no allocation and no lock per frame, two atomic counters (records published,
/// records released) and the slab position released. The producer waits when the ring or the slab
/// is full (back-pressure), the consumer when it is empty. Records come out in the order they went
/// in, the end and read errors included.
final class FrameRing: @unchecked Sendable {
    let slotCount: Int
    let slabBytes: Int
    /// Frames larger than this get their own allocation (pcapng allows any size; a few MiB are rare).
    var largestSlabFrame: Int { slabBytes / 8 }

    private let slots: UnsafeMutablePointer<FrameRecord>
    private let slab: UnsafeMutableRawPointer
    /// Records the producer has published, and the consumer has released (monotonic counts), each
    /// on a cache line of its own: written by one thread per frame, they must not drag the other's
    /// line along.
    private let published = PaddedCounter()
    private let released = PaddedCounter()
    /// The slab position up to which the consumer released the bytes (monotonic).
    private let releasedSlab = PaddedCounter()
    /// Set when the consumer goes away early: a producer waiting for room gives up.
    let abandoned = Atomic<Bool>(false)
    /// The consumer hands released records back in batches of this many (or when it is about to
    /// wait): one store to a shared line per batch rather than per frame.
    private let releaseBatch: Int

    /// Each side's own counters, behind pointers: class properties would pay a dynamic exclusivity
    /// check per access, and each is touched by one thread only. Each side keeps the last value it
    /// read of the other's counter and reads the shared one again only when that runs out.
    private struct ProducerState { var head = 0, slabHead = 0, seenReleased = 0, seenReleasedSlab = 0 }
    private struct ConsumerState { var next = 0, holding = false, seenPublished = 0, unreleased = 0, slabEnd = 0 }
    private let producer: UnsafeMutablePointer<ProducerState>
    private let consumer: UnsafeMutablePointer<ConsumerState>

    /// `slotCount` and `slabBytes` are rounded up to powers of two.
    init(slotCount: Int = 4_096, slabBytes: Int = 8 << 20) {
        var count = 2
        while count < slotCount { count <<= 1 }
        var bytes = 1 << 12
        while bytes < slabBytes { bytes <<= 1 }
        self.slotCount = count
        self.slabBytes = bytes
        releaseBatch = min(64, max(count / 8, 1))
        slots = .allocate(capacity: count)
        slots.initialize(repeating: FrameRecord(), count: count)
        slab = .allocate(byteCount: bytes, alignment: 64)
        producer = .allocate(capacity: 1)
        producer.initialize(to: ProducerState())
        consumer = .allocate(capacity: 1)
        consumer.initialize(to: ConsumerState())
    }

    deinit {
        // Whatever was published and never consumed still holds its pcapng object or buffer.
        let head = published.value.load(ordering: .acquiring)
        // The consumer disposed of every record before the one it holds (released or not yet told).
        var index = consumer.pointee.holding ? consumer.pointee.next - 1 : consumer.pointee.next
        while index < head {
            Self.dispose(slots[index & (slotCount - 1)])
            index += 1
        }
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        slab.deallocate()
        producer.deallocate()
        consumer.deallocate()
    }

    // MARK: producer side

    /// Appends `record`, copying `bytes` into the slab (or their own buffer when large). Waits
    /// for room; returns false, publishing nothing, when the consumer abandoned the ring.
    func publish(_ record: FrameRecord, bytes: UnsafeRawBufferPointer) -> Bool {
        var record = record
        let head = producer.pointee.head
        if head - producer.pointee.seenReleased == slotCount {
            producer.pointee.seenReleased = released.value.load(ordering: .acquiring)
            if head - producer.pointee.seenReleased == slotCount {
                // Full: wait until half is free. Each wait is a hand-over between threads, and on a busy
                // machine a thread woken from its wait may wait milliseconds for a core: the fewer
                // hand-overs the better.
                let resume = slotCount - max(slotCount / 2, 1)
                guard wait({ head - self.released.value.load(ordering: .acquiring) <= resume }) else { return false }
                producer.pointee.seenReleased = released.value.load(ordering: .acquiring)
            }
        }
        let count = bytes.count
        if count > largestSlabFrame {
            let own = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 8)
            own.copyMemory(from: bytes.baseAddress!, byteCount: count)
            record.bytes = UnsafeRawPointer(own)
            record.ownsBytes = true
        } else if count > 0 {
            var start = producer.pointee.slabHead
            let offset = start & (slabBytes - 1)
            if offset + count > slabBytes { start += slabBytes - offset }  // contiguous: skip the tail
            let end = start + count
            if end - producer.pointee.seenReleasedSlab > slabBytes {
                producer.pointee.seenReleasedSlab = releasedSlab.value.load(ordering: .acquiring)
            }
            if end - producer.pointee.seenReleasedSlab > slabBytes {
                // Room for this frame and half the slab. Reachable while the consumer holds its
                // current frame: that frame, the skipped tail and this one take at most half of the
                // slab, each being at most an eighth (`largestSlabFrame`).
                let resume = slabBytes - slabBytes / 2
                guard wait({ end - self.releasedSlab.value.load(ordering: .acquiring) <= resume }) else { return false }
                producer.pointee.seenReleasedSlab = releasedSlab.value.load(ordering: .acquiring)
            }
            let target = slab + (start & (slabBytes - 1))
            target.copyMemory(from: bytes.baseAddress!, byteCount: count)
            record.bytes = UnsafeRawPointer(target)
            producer.pointee.slabHead = end
        }
        record.byteCount = count
        record.slabEnd = producer.pointee.slabHead
        slots[head & (slotCount - 1)] = record
        producer.pointee.head = head + 1
        published.value.store(head + 1, ordering: .releasing)
        return true
    }

    // MARK: consumer side

    /// The next record, releasing the previous one (its bytes are reused from here on). Waits while
    /// the ring is empty.
    func take() -> FrameRecord {
        releaseHeld()
        let next = consumer.pointee.next
        if consumer.pointee.seenPublished == next {
            consumer.pointee.seenPublished = published.value.load(ordering: .acquiring)
            if consumer.pointee.seenPublished == next {
                // Caught up: hand everything back before waiting, or a producer waiting for room
                // would wait for us.
                flushReleased()
                _ = wait({ self.published.value.load(ordering: .acquiring) != next })
                consumer.pointee.seenPublished = published.value.load(ordering: .acquiring)
            }
        }
        let record = slots[next & (slotCount - 1)]
        consumer.pointee.next = next + 1
        consumer.pointee.holding = true
        return record
    }

    /// Gives the record last taken back to the producer (published in batches, `flushReleased`).
    func releaseHeld() {
        guard consumer.pointee.holding else { return }
        consumer.pointee.holding = false
        let index = consumer.pointee.next - 1
        let record = slots[index & (slotCount - 1)]
        if record.ownsBytes || record.pcapng != nil { Self.dispose(record) }
        consumer.pointee.slabEnd = record.slabEnd
        consumer.pointee.unreleased += 1
        if consumer.pointee.unreleased >= releaseBatch { flushReleased() }
    }

    /// Tells the producer about every record released so far.
    func flushReleased() {
        guard consumer.pointee.unreleased > 0 else { return }
        consumer.pointee.unreleased = 0
        releasedSlab.value.store(consumer.pointee.slabEnd, ordering: .releasing)
        released.value.store(consumer.pointee.holding ? consumer.pointee.next - 1 : consumer.pointee.next,
                             ordering: .releasing)
    }

    private static func dispose(_ record: FrameRecord) {
        if record.ownsBytes, let bytes = record.bytes { UnsafeMutableRawPointer(mutating: bytes).deallocate() }
        if let pcapng = record.pcapng { Unmanaged<PcapngExtras>.fromOpaque(pcapng).release() }
    }

    /// Spins briefly, then yields, then sleeps in 50 µs steps until `ready` holds. False when the
    /// ring was abandoned meanwhile (the consumer's wait never is: the producer always ends with
    /// an end or failure record, or the consumer is the one abandoning).
    private func wait(_ ready: () -> Bool) -> Bool {
        var round = 0
        while !ready() {
            if abandoned.load(ordering: .relaxed) { return false }
            round += 1
            if round < 64 { continue }
            if round < 128 { sched_yield(); continue }
            usleep(50)
        }
        return true
    }
}

/// An atomic counter alone on its cache line (and the next: adjacent-line prefetching pairs them).
final class PaddedCounter: Sendable {
    private let before: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    let value = Atomic<Int>(0)
    private let after: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
