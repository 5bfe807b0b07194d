import CPeerscopeSocket

#if canImport(Glibc)
import Glibc
#endif

/// Room for a burst of received datagrams, filled by one `recvmmsg` (`UDPSocket.receive(into:)`):
/// a pool's receive socket takes every session's packets, and reading them one `recvmsg` at a time
/// costs a syscall per packet plus one that finds the queue empty (issue 14 item 5).
///
/// Allocated once; reading into it allocates nothing. Valid until the next read into it.
public final class DatagramBatch {
    /// Bytes per datagram; a longer one is cut and reported `isTruncated`.
    public let slotBytes: Int
    /// Datagrams per read (at most `PS_BATCH_MAX`).
    public let capacity: Int
    /// Datagrams the last read returned.
    public internal(set) var count = 0
    private let storage: UnsafeMutableRawBufferPointer
    var infos: [ps_recv_info]
    var lengths: [Int64]

    public init(capacity: Int = Int(PS_BATCH_MAX), slotBytes: Int = 2_048) {
        self.capacity = max(1, min(capacity, Int(PS_BATCH_MAX)))
        self.slotBytes = max(1, slotBytes)
        storage = .allocate(byteCount: self.capacity * self.slotBytes, alignment: 8)
        infos = Array(repeating: ps_recv_info(), count: self.capacity)
        lengths = Array(repeating: 0, count: self.capacity)
    }

    deinit { storage.deallocate() }

    var baseAddress: UnsafeMutableRawPointer { storage.baseAddress! }

    /// The bytes of datagram `index` of the last read (cut to the slot when truncated).
    public func payload(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index < count, "datagram index within the last read")
        let start = index * slotBytes
        let kept = Int(clamping: min(lengths[index], Int64(slotBytes)))
        return UnsafeRawBufferPointer(rebasing: storage[start..<(start + kept)])
    }
}

extension UDPSocket {
    /// Reads up to `batch.capacity` queued datagrams in one `recvmmsg`; returns how many (0 when
    /// none is queued). Read each with `batch.payload(i)` and `metadata(of:in:)` before the next read.
    public func receive(into batch: DatagramBatch) throws(SocketError) -> Int {
        let read = batch.infos.withUnsafeMutableBufferPointer { infos in
            batch.lengths.withUnsafeMutableBufferPointer { lengths in
                ps_recvmmsg(fileDescriptor, batch.baseAddress, batch.slotBytes, Int32(batch.capacity),
                            infos.baseAddress, lengths.baseAddress)
            }
        }
        if read == -Int32(EAGAIN) || read == -Int32(EWOULDBLOCK) {
            batch.count = 0
            return 0
        }
        batch.count = Int(try check("recvmmsg", read))
        return batch.count
    }

    /// What the kernel reported about datagram `index` of the last read into `batch`.
    public func metadata(of index: Int, in batch: DatagramBatch) -> DatagramMetadata {
        precondition(index < batch.count, "datagram index within the last read")
        return metadata(batch.infos[index], length: Int(batch.lengths[index]))
    }
}
