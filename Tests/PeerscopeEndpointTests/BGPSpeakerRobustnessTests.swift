import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// The mutated messages repeat from a seed.
typealias BGPTestRandom = SplitMix64

@Suite("BGP speaker: robustness")
struct BGPSpeakerRobustnessTests {
    static let fragments: [[UInt8]] = [
        RawUpdate.origin, RawUpdate.asPath, RawUpdate.nextHop, RawUpdate.mpReach, [0x80, 4, 4, 0, 0, 0, 5],
        [0xC0, 8, 4, 0xFD, 0xEA, 0, 1], [0x80, 15, 3, 0, 2, 1], [0xC0, 7, 8, 0, 0, 0xFD, 0xEA, 192, 0, 2, 2],
        [0xE0, 200, 2, 1, 2], [0x50, 2, 0, 6, 2, 1, 0, 0, 0xFD, 0xEA],
    ]

    /// An UPDATE built from valid pieces, then hit in one to three random bytes.
    static func mutatedUpdate(_ random: inout BGPTestRandom) -> [UInt8] {
        var attributes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            attributes += fragments.randomElement(using: &random)!
        }
        var message = RawUpdate.message(withdrawn: Bool.random(using: &random) ? [16, 10, 9] : [], attributes: attributes,
                                        nlri: Bool.random(using: &random) ? RawUpdate.nlri : [])
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            message[Int.random(in: 19..<message.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
        return message
    }

    // STYLE rule 1 ("never trap") and RFC 4271 §6 / RFC 7606: a peer's garbage ends either in a kept
    // session or in exactly one NOTIFICATION with a defined error code, never in a crash.
    @Test func mutatedUpdatesNeverTrapAndEveryResetIsExplained() {
        var random = BGPTestRandom(seed: 2026)
        var resets = 0, kept = 0, treatedAsWithdraw = 0
        for _ in 0..<400 {
            var link = BGPLab.established()
            link.frozen = [.b]
            let message = Self.mutatedUpdate(&random)
            for chunk in stride(from: 0, to: message.count, by: 7) {
                link.inject(Array(message[chunk..<min(chunk + 7, message.count)]), into: .a)
            }
            if link.a.state == .established {
                kept += 1
                if case .updateTreatedAsWithdraw = link.a.lastError { treatedAsWithdraw += 1 }
                #expect(link.notificationsSent(by: .a).isEmpty)
            } else {
                resets += 1
                let sent = link.notificationsSent(by: .a)
                #expect(sent.count == 1 && (1...3).contains(sent.first?.code ?? 0), "\(message)")
            }
        }
        #expect(resets > 20 && kept > 20 && treatedAsWithdraw > 10)
    }

    // RFC 4271 §6.1: any random stream after Established is either whole messages or one header error.
    @Test func randomBytesAfterEstablishedEndInAtMostOneNotification() {
        var random = BGPTestRandom(seed: 9003)
        for _ in 0..<200 {
            var link = BGPLab.established()
            link.frozen = [.b]
            var bytes = [UInt8](repeating: 0xFF, count: 16)
            bytes += (0..<Int.random(in: 3...60, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            link.inject(bytes, into: .a)
            #expect(link.notificationsSent(by: .a).count <= 1)
            #expect(link.a.state == .established || link.a.state == .idle)
        }
    }
}
