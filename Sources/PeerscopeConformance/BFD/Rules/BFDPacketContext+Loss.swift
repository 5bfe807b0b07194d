import PeerscopeAnalysis
import PeerscopeEndpoint

extension BFDPacketContext {
    /// True when the gap since this side's previous packet is within one negotiated interval (the
    /// slow-start second when none is negotiated yet) plus `tolerance`, so no periodic packet of
    /// this side can be missing between the two. A rule that concludes from what a side did *not*
    /// send between two packets may judge only then: a packet the capture lost may have been sent
    /// (and received by the peer).
    func nothingMissedSincePrevious(tolerance: Int64) -> Bool {
        guard let previous else { return false }
        let interval = Int64(negotiatedTxInterval ?? BFDTimingModel.slowStartInterval) * 1_000
        let gap = observation.timeNanoseconds - previous.timeNanoseconds
        return gap >= 0 && gap <= interval + tolerance
    }
}
