import PeerscopeAnalysis
import PeerscopeWire

/// Evaluates the BGP rules of CONFORMANCE.md §7, the client rules of §6 and CAPTURE.TCP.HOLE.
/// Message rules run as each message completes (in the session's context at that moment); timer,
/// capability and GTSM rules run once the capture has been read.
public struct BGPConformanceEngine {
    public internal(set) var findings = FindingSink()
    let options: CheckOptions
    public var originNanoseconds: Int64 = 0
    /// The lowest TTL of the SYNs that opened each BGP session (by session ID): what a GTSM
    /// receiver (RFC 5082) would have judged, for sessions that never got further.
    var connectTTL: [Int: UInt8] = [:]

    public init(options: CheckOptions = CheckOptions()) {
        self.options = options
    }

    func relative(_ time: Int64) -> Int64 { time - originNanoseconds }

    /// A connection the tracker folded away at its cap (CAPTURE.STATE.CAP): its message findings
    /// join one finding per rule for all folded connections; the end-of-capture rules do not judge it. Its rule state is dropped.
    public mutating func fold(_ session: BGPSession) {
        connectTTL[session.id] = nil
        findings.fold(bgpSession: session.id)
    }

    /// One event of `session`, sent by `side`, after the tracker took it in.
    public mutating func event(_ event: BGPStreamEvent, session: BGPSession, side: Int) {
        switch event {
        case .message(let record): message(record, session: session, side: side)
        case .transport(let transport): self.transport(transport, session: session, side: side)
        }
    }

    private mutating func transport(_ event: BGPTransportEvent, session: BGPSession, side: Int) {
        let name = session.sides[side].name
        switch event.kind {
        case .hole(let missing, let overflow):
            let why = overflow ? "the reassembly buffer cap was reached (data beyond a gap)" : "the capture never showed them"
            findings.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: "\(missing) byte(s)",
                                 message: "\(missing) byte(s) of \(name)'s BGP stream missing (\(why)); decoding resumes at the next BGP marker",
                                 relativeTimeNanoseconds: relative(event.timeNanoseconds)))
        case .resynchronised(let skipped):
            findings.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: "\(skipped) byte(s) skipped",
                                 message: "Resynchronised on the next BGP marker after skipping \(skipped) byte(s) of a partial message",
                                 relativeTimeNanoseconds: relative(event.timeNanoseconds)), kind: "resync")
        case .conflict(let bytes):
            findings.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: "\(bytes) byte(s) differ",
                                 message: "A retransmission from \(name) differs from the first copy in \(bytes) byte(s); the first copy was kept (as the receiver's TCP does)",
                                 relativeTimeNanoseconds: relative(event.timeNanoseconds)), kind: "conflict")
        case .endsMidMessage(let bytes):
            findings.add(Finding(.CAPTURE.TCP.HOLE, bgpSession: session.id, side: name, frames: [event.frameNumber],
                                 measured: "\(bytes) byte(s)",
                                 message: "The capture ends in the middle of a BGP message from \(name): \(bytes) byte(s) of it were captured, the rest never was",
                                 relativeTimeNanoseconds: relative(event.timeNanoseconds)), kind: "partial")
        case .connect:
            connectTTL[session.id] = min(connectTTL[session.id] ?? .max, event.ttl)
        case .accept, .fin, .reset:
            break
        }
    }

    private mutating func message(_ record: BGPMessageRecord, session: BGPSession, side: Int) {
        let name = session.sides[side].name
        func add(_ rule: RuleID, _ message: String, measured: String? = nil, expected: String? = nil, kind: String = "") {
            findings.add(Finding(rule, bgpSession: session.id, side: name, frames: [record.frameNumber], measured: measured,
                                 expected: expected, message: message, relativeTimeNanoseconds: relative(record.timeNanoseconds)),
                         kind: kind)
        }
        if !record.markerValid {
            add(.BGP.MSG.MARKER, "Marker is not 16 bytes of 0xFF (RFC 4271 §4.1: Connection Not Synchronized)")
        }
        // Only messages beyond 4,096 bytes need to know whether Extended Message was negotiated.
        let extended = record.length > BGPHeader.maximumLength
            && session.sides[0].open?.capabilities.contains(.extendedMessage) == true
            && session.sides[1].open?.capabilities.contains(.extendedMessage) == true
        let limit = extended ? BGPHeader.extendedMaximumLength : BGPHeader.maximumLength
        if record.length < BGPHeader.length || record.length > limit {
            add(.BGP.MSG.LENGTH, "Message length \(record.length) outside 19–\(limit)"
                + (extended ? "" : " (Extended Message not negotiated by both)"),
                measured: "\(record.length)", expected: "19–\(limit)")
        }
        guard case .success(let decoded) = record.message else {
            if case .failure(let error) = record.message { malformed(error, record: record, session: session, name: name) }
            return
        }
        checkSequence(decoded, record: record, session: session, side: side, name: name)
        switch decoded {
        case .open(let open): checkOpen(open, record: record, session: session, side: side, name: name)
        case .update(let update): checkUpdate(update, record: record, session: session, name: name)
        case .notification(let notification):
            add(.BGP.NOTIF.DECODE, "NOTIFICATION \(notification)", measured: "\(notification.code)/\(notification.subcode)",
                kind: "\(record.frameNumber)")
        case .unknown(let type, _):
            add(.BGP.MSG.TYPE, "Unknown message type \(type)", measured: "\(type)", expected: "1–5")
        case .keepalive, .routeRefresh:
            break
        }
    }

    /// RFC 4271 §8.2.2: a side sends OPEN first, KEEPALIVE once it has the peer's OPEN, and UPDATEs
    /// only after the peer's KEEPALIVE took it to Established. Judged only when the capture saw the
    /// connection open (a session picked up mid-stream has no known beginning).
    private mutating func checkSequence(_ message: BGPMessage, record: BGPMessageRecord, session: BGPSession,
                                        side: Int, name: String) {
        guard session.initiator != nil else { return }
        var problem: String?
        switch message {
        case .open:
            if session.sides[side].messages[1] > 1 { problem = "a second OPEN on the same connection" }
        case .keepalive:
            if session.sides[side].open == nil { problem = "KEEPALIVE before its own OPEN" }
        case .update:
            // Once Established every UPDATE is in order: the common case costs one comparison.
            if session.establishedTime != nil { break }
            if session.sides[side].open == nil || session.sides[1 - side].open == nil { problem = "UPDATE before both OPENs" }
            else if !session.sides[1 - side].confirmedOpen { problem = "UPDATE before the peer's KEEPALIVE (session not yet Established)" }
        case .routeRefresh:
            if session.establishedTime == nil { problem = "ROUTE-REFRESH before Established" }
        case .notification, .unknown:
            break
        }
        if let problem {
            findings.add(Finding(.BGP.FSM.SEQUENCE, bgpSession: session.id, side: name, frames: [record.frameNumber],
                                 message: "\(name) sent \(problem) (RFC 4271 §8.2.2)",
                                 relativeTimeNanoseconds: relative(record.timeNanoseconds)), kind: problem)
        }
    }

    private mutating func checkOpen(_ open: BGPOpen, record: BGPMessageRecord, session: BGPSession, side: Int, name: String) {
        func add(_ rule: RuleID, _ message: String, measured: String, expected: String) {
            findings.add(Finding(rule, bgpSession: session.id, side: name, frames: [record.frameNumber], measured: measured,
                                 expected: expected, message: message, relativeTimeNanoseconds: relative(record.timeNanoseconds)))
        }
        if open.version != 4 {
            add(.BGP.OPEN.VERSION, "OPEN version \(open.version)", measured: "\(open.version)", expected: "4")
        }
        if open.holdTime == 1 || open.holdTime == 2 {
            add(.BGP.OPEN.HOLD, "Hold Time \(open.holdTime) s: must be 0 or at least 3 s (RFC 4271 §4.2)",
                measured: "\(open.holdTime) s", expected: "0 or ≥ 3 s")
        }
        if open.identifier.value == 0 {
            add(.BGP.OPEN.ID, "BGP Identifier 0.0.0.0", measured: "0.0.0.0", expected: "non-zero")
        } else if let peer = session.sides[1 - side].open, peer.identifier == open.identifier {
            add(.BGP.OPEN.ID, "Both ends use BGP Identifier \(open.identifier) (RFC 6286 §2.2)",
                measured: "\(open.identifier)", expected: "different identifiers")
        }
        if let asn = open.fourOctetASN {
            let expectedMyAS = asn > 65_535 ? 23_456 : UInt16(asn)
            if open.myAS != expectedMyAS {
                add(.BGP.OPEN.AS4, "My AS \(open.myAS) with 4-octet AS \(asn): expected \(expectedMyAS)"
                    + (asn > 65_535 ? " (AS_TRANS, RFC 6793 §4.1)" : " (the ASN itself)"),
                    measured: "\(open.myAS)", expected: "\(expectedMyAS)")
            }
        }
    }

    private mutating func malformed(_ error: WireError, record: BGPMessageRecord, session: BGPSession, name: String) {
        let type = BGPMessageType(rawValue: record.typeCode)
        let rule: RuleID = type == .update ? .BGP.UPD.ATTRS : .BGP.MSG.LENGTH
        // RFC 7606 §4, §5.4: an UPDATE whose attribute or NLRI lengths cannot be parsed leaves no way
        // to find the routes, so the only treatment left is a session reset; other messages with bad
        // lengths get NOTIFICATION Message Header Error or the message's own error code.
        var treatment = type == .update ? "RFC 7606 treatment: session reset (the UPDATE cannot be parsed)"
            : "expected treatment: NOTIFICATION (RFC 4271 §6)"
        // RFC 7606 §5.3: a malformed MP_REACH/MP_UNREACH NLRI of a negotiated family may cost only
        // that family ("AFI/SAFI disable", RFC 4760 §7) instead of the session.
        if type == .update, case .badNLRI(let afi, let safi, _) = error.reason {
            treatment = "RFC 7606 §5.3 treatment: AFI/SAFI disable for \(BGPAddressFamily(afi: afi, safi: safi).name) or session reset"
        }
        findings.add(Finding(rule, bgpSession: session.id, side: name, frames: [record.frameNumber],
                             measured: "\(error)", message: "Malformed \(type): \(error); \(treatment)",
                             relativeTimeNanoseconds: relative(record.timeNanoseconds)), kind: "malformed")
    }
}
