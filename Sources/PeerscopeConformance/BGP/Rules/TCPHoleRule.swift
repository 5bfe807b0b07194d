import PeerscopeAnalysis
import PeerscopeWire

/// CAPTURE.TCP.HOLE: bytes of a BGP stream the capture lacks or that differ between copies, and how
/// the decoder went on (resynchronised on the next marker).
final class TCPHoleRule: BGPRule {
    override var events: BGPRuleEvents { .transport }

    override func transport(_ event: BGPTransportEvent, session: BGPSession, side: Int, _ out: inout BGPRuleOutput) {
        let name = session.sides[side].name
        switch event.kind {
        case .hole(let missing, let overflow):
            let why = overflow ? "the reassembly buffer cap was reached (data beyond a gap)" : "the capture never showed them"
            out.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: .count(missing, noun: "byte"),
                                 message: "\(missing) byte(s) of \(name)'s BGP stream missing (\(why)); decoding resumes at the next BGP marker",
                                 relativeTimeNanoseconds: out.relative(event.timeNanoseconds)))
        case .resynchronised(let skipped):
            out.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: .composite([.count(skipped, noun: "byte"), .text(" skipped")]),
                                 message: "Resynchronised on the next BGP marker after skipping \(skipped) byte(s) of a partial message",
                                 relativeTimeNanoseconds: out.relative(event.timeNanoseconds)), kind: "resync")
        case .conflict(let bytes):
            out.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: .composite([.count(bytes, noun: "byte"), .text(" differ")]),
                                 message: "A retransmission from \(name) differs from the first copy in \(bytes) byte(s); the first copy was kept (as the receiver's TCP does)",
                                 relativeTimeNanoseconds: out.relative(event.timeNanoseconds)), kind: "conflict")
        case .endsMidMessage(let bytes):
            out.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: .count(bytes, noun: "byte"),
                                 message: "The capture ends in the middle of a BGP message from \(name): \(bytes) byte(s) of it were captured, the rest never was",
                                 relativeTimeNanoseconds: out.relative(event.timeNanoseconds)), kind: "partial")
        case .connect, .accept, .fin, .reset:
            break
        }
    }
}
