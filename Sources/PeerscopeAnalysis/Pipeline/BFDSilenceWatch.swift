import PeerscopeWire

/// A BFD side that sent nothing for longer than the detection time its peer applies to it
/// (RFC 5880 §6.8.4): the peer would declare the session Down with diag 1 ("Control Detection
/// Time Expired") now, whether or not the capture ever shows it saying so.
public struct BFDSilence: Sendable, Equatable {
    public var sessionID: Int
    /// The silent side (0 = A, 1 = B).
    public var side: Int
    /// Its last packet.
    public var lastFrame: Int
    public var lastHeardNanoseconds: Int64
    public var detectionTime: Microseconds
    /// When the pipeline noticed (the tick's time).
    public var noticedNanoseconds: Int64

    /// How long past the last packet the silence was noticed.
    public var silentNanoseconds: Int64 { noticedNanoseconds &- lastHeardNanoseconds }
}

/// Watches for `BFDSilence` at each tick: a side whose latest packet said Up (so its peer runs a
/// detection timer on it) and that has been quiet for longer than that timer. Reported once per
/// silence; a packet from the side ends it. A session a newer one replaced (same address pair,
/// new discriminator) is not watched: its quiet is the replacement's start.
public struct BFDSilenceWatch: Sendable {
    /// Silent sides by session ID and side, with the frame they went quiet after.
    public private(set) var silent: [Int: [Int: Int]] = [:]

    public init() {}

    public func isSilent(session: Int, side: Int) -> Bool { silent[session]?[side] != nil }

    mutating func check(_ sessions: [BFDSession], nowNanoseconds now: Int64) -> [BFDSilence] {
        var replaced = Set<Int>()
        for session in sessions { if let previous = session.previousSessionID { replaced.insert(previous) } }
        var found: [BFDSilence] = []
        for session in sessions where !replaced.contains(session.id) {
            for index in 0..<2 {
                guard let side = session.sides[index] else { continue }
                let last = side.last
                if let frame = silent[session.id]?[index], frame != last.frameNumber {
                    silent[session.id]?[index] = nil  // heard again
                }
                // §6.8.4: the peer times out only while it is Init or Up (unseen: assumed so).
                let peerState = session.sides[1 - index]?.last.packet.state
                guard last.packet.state == .up, peerState == nil || peerState == .up || peerState == .`init`,
                      silent[session.id]?[index] == nil,
                      let detection = session.detectionTime(forPacketsFrom: index)
                else { continue }
                let (quiet, overflow) = now.subtractingReportingOverflow(last.timeNanoseconds)
                guard !overflow, quiet > Int64(detection) &* 1_000 else { continue }
                silent[session.id, default: [:]][index] = last.frameNumber
                found.append(BFDSilence(sessionID: session.id, side: index, lastFrame: last.frameNumber,
                                        lastHeardNanoseconds: last.timeNanoseconds, detectionTime: detection,
                                        noticedNanoseconds: now))
            }
        }
        return found
    }
}
