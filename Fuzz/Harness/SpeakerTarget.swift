import PeerscopeEndpoint
import PeerscopeWire

/// A `bgp-speaker` input: setup bytes (peer AS, hold time, options), then events. The peer's
/// messages are either raw bytes or well-formed headers around fuzzed bodies, so the checks of
/// RFC 4271 §6 and RFC 7606 are reached as often as the FSM of §8.
extension EndpointTargets {
    static func bgpSpeaker(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let setup = input.byte()
        let peerAS = input.uint32() | 1
        guard let configuration = try? BGPSpeakerConfiguration(
            localAS: 65001, peerAS: peerAS, routerID: IPv4Address(192, 0, 2, 1), holdTimeSeconds: input.uint16(),
            passive: setup & 1 != 0, automaticRestart: setup & 2 != 0, offerExtendedMessage: setup & 4 != 0,
            jitterSeed: UInt64(setup))
        else { return }
        var speaker = BGPSpeaker(configuration: configuration)
        var now: BGPSpeaker.Nanoseconds = 0
        var state = speaker.state
        var steps = 0
        // Raw bytes may leave a partial message in the framer; the checks of what a whole message
        // must be answered with hold only while the stream is aligned (a new connection realigns it).
        var aligned = true

        /// Checks the actions of one input; returns the NOTIFICATIONs sent.
        @discardableResult
        func check(_ actions: [BGPSpeakerAction]) -> [BGPNotification] {
            var notified = false
            var sent: [BGPNotification] = []
            for action in actions {
                switch action {
                case .stateChanged(let from, let to):
                    fuzzInvariant(from == state, "stateChanged from \(from) but the FSM was in \(state)")
                    // RFC 4271 §8.2.2: Established is reached only from OpenConfirm, on a KEEPALIVE.
                    fuzzInvariant(to != .established || from == .openConfirm, "\(from) → Established")
                    state = to
                case .send(let bytes):
                    let decoded = bytes.withUnsafeBytes {
                        try? BGPMessage.decode($0, options: BGPDecodingOptions(extendedMessage: true))
                    }
                    fuzzInvariant(decoded != nil, "the speaker sent bytes its own decoder rejects: \(bytes)")
                    if case .notification(let notification) = decoded?.1 {
                        notified = true
                        sent.append(notification)
                    }
                case .connect, .listen, .close, .established, .routesReceived, .routesWithdrawn, .endOfRIBReceived,
                     .notificationReceived, .error:
                    break
                }
            }
            fuzzInvariant(speaker.state == state, "state \(speaker.state) after actions said \(state)")
            // §6: after a NOTIFICATION is sent the connection is closed and the FSM goes to Idle.
            if notified { fuzzInvariant(speaker.state == .idle, "NOTIFICATION sent but still \(speaker.state)") }
            return sent
        }

        check(speaker.start(now: now))
        while !input.isAtEnd, steps < 2_048 {
            steps += 1
            let op = input.byte()
            switch op % 8 {
            case 0:
                aligned = false
                check(speaker.receive(bytes: Array(input.slice(Int(input.uint16() & 0x1FFF))), now: now))
            case 1:
                var capabilities: [BGPCapability] = []
                let which = input.byte()
                if which & 1 != 0 { capabilities.append(.multiprotocol(.ipv4Unicast)) }
                if which & 2 != 0 { capabilities.append(.multiprotocol(.ipv6Unicast)) }
                if which & 4 != 0 { capabilities.append(.routeRefresh) }
                if which & 8 != 0 { capabilities.append(.fourOctetAS(which & 0x80 != 0 ? input.uint32() : peerAS)) }
                if which & 16 != 0 { capabilities.append(.extendedMessage) }
                if which & 32 != 0 { capabilities.append(.addPath([(family: .ipv4Unicast, mode: input.byte() & 3)])) }
                let myAS = which & 64 != 0 ? input.uint16() : (peerAS > 0xFFFF ? 23456 : UInt16(peerAS))
                let open = BGPOpen(version: op & 0x80 != 0 ? input.byte() : 4, myAS: myAS, holdTime: input.uint16(),
                                   identifier: IPv4Address(input.uint32()), capabilities: capabilities)
                let waitingForOpen = speaker.state == .openSent
                let sent = check(speaker.receive(bytes: BGPMessage.open(open).encoded(), now: now))
                // RFC 4271 §6.2: a version we do not speak is answered with OPEN Message Error /
                // Unsupported Version Number.
                if aligned, waitingForOpen, open.version != 4 {
                    fuzzInvariant(sent.contains { $0.code == 2 && $0.subcode == 1 },
                                  "OPEN version \(open.version) answered with \(sent)")
                }
            case 2:
                check(speaker.receive(bytes: BGPMessage.keepalive.encoded(), now: now))
            case 3:
                let body = Array(input.slice(Int(input.uint16() & 0x1FFF)))
                let type = op & 0x80 != 0 ? input.byte() : 2
                let established = speaker.state == .established
                let sent = check(speaker.receive(bytes: BGPMessage.unknown(type: type, body: body).encoded(), now: now))
                // RFC 4271 §6.3 / RFC 7606 §3: a malformed UPDATE with a sound header is an UPDATE
                // Message Error (or treat-as-withdraw, which sends nothing), never another code.
                // (Below 23 octets §6.1 makes it a header error: Bad Message Length.)
                if aligned, established, type == 2, body.count >= 4, body.count + BGPHeader.length <= BGPHeader.maximumLength {
                    fuzzInvariant(sent.allSatisfy { $0.code == 3 }, "a malformed UPDATE answered with \(sent)")
                }
            case 4:
                now = now &+ BGPSpeaker.Nanoseconds(input.uint32()) &* 1_000
                if now < 0 { return }
                check(speaker.advance(to: now))
            case 5:
                if let deadline = speaker.nextDeadline {
                    now = max(now, deadline)
                    check(speaker.advance(to: now))
                }
            case 6:
                switch input.byte() % 5 {
                case 0:
                    if speaker.state == .connect || speaker.state == .active { aligned = true }
                    check(speaker.tcpConnected(now: now))
                case 1: check(speaker.tcpFailed(now: now))
                case 2: check(speaker.start(now: now))
                case 3: check(speaker.stop(now: now))
                default: check(speaker.bfdDown(now: now))
                }
            default:
                let notification = BGPNotification(code: input.byte(), subcode: input.byte(),
                                                   data: Array(input.slice(Int(input.byte()))))
                check(speaker.receive(bytes: BGPMessage.notification(notification).encoded(), now: now))
            }
        }
    }
}
