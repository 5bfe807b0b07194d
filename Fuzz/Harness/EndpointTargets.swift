import PeerscopeEndpoint
import PeerscopeWire

/// Drives the sans-IO machines with programs read from the input. Each step is one byte choosing
/// an event and then its operands; time only moves forward, as the drivers guarantee.
enum EndpointTargets {
    // MARK: BFD (RFC 5880 §6.8)

    static func bfdEndpoint(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let setup = input.byte()
        let localDiscriminator = input.uint32() | 1
        let desiredMinTx = Microseconds(input.uint32())
        let requiredMinRx = Microseconds(input.uint32())
        let multiplier = input.byte()
        let echoInterval = Microseconds(input.uint16())
        guard let configuration = try? BFDEndpointConfiguration(
            localDiscriminator: localDiscriminator, desiredMinTxInterval: desiredMinTx,
            requiredMinRxInterval: requiredMinRx, detectMultiplier: multiplier,
            role: setup & 1 != 0 ? .passive : .active, demandMode: setup & 2 != 0,
            echo: setup & 4 != 0 ? try? BFDEchoConfiguration(desiredMinEchoTxInterval: echoInterval) : nil,
            hopMode: setup & 8 != 0 ? .multihop(minimumTTL: 254) : .singleHop)
        else { return }
        var endpoint = BFDEndpoint(configuration: configuration, randomNumberGenerator: SplitMix64(seed: UInt64(setup)))
        var now: BFDNanoseconds = 0
        var state = endpoint.sessionState
        var lastEcho: [UInt8] = []
        var steps = 0

        func check(_ actions: [BFDEndpointAction], admin: Bool) {
            for action in actions {
                switch action {
                case .stateChanged(let from, let to, _):
                    fuzzInvariant(from == state, "stateChanged from \(from) but the session was \(state)")
                    fuzzInvariant(from != to, "stateChanged \(from) → \(to)")
                    // §6.8.6: Up never goes back to Init; AdminDown is entered and left only by the operator.
                    fuzzInvariant(!(from == .up && to == .`init`), "Up → Init")
                    fuzzInvariant(admin || (to != .adminDown && from != .adminDown), "\(from) → \(to) without the operator")
                    state = to
                case .send(let transmission):
                    let packet = transmission.packet
                    fuzzInvariant(packet.myDiscriminator == localDiscriminator, "sent with a foreign My Discriminator")
                    fuzzInvariant(packet.detectMultiplier == multiplier, "sent with another Detect Mult")
                    fuzzInvariant(packet.desiredMinTxInterval != 0, "§6.8.1: Desired Min TX 0 sent")
                    let bytes = packet.encoded
                    let decoded = bytes.withUnsafeBytes { try? BFDControlPacket.decode($0) }
                    fuzzInvariant(decoded == packet, "a sent packet does not decode to itself")
                case .sendEcho(let bytes):
                    lastEcho = bytes
                case .discarded, .pollSequenceStarted, .pollSequenceCompleted:
                    break
                }
            }
            fuzzInvariant(endpoint.sessionState == state, "sessionState \(endpoint.sessionState) after actions said \(state)")
            // (Up without a Detection Time is allowed: §6.8.4 has none while Required Min RX is 0.)
        }

        check(endpoint.start(now: now), admin: false)
        while !input.isAtEnd, steps < 4_096 {
            steps += 1
            let op = input.byte()
            switch op % 8 {
            case 0: // raw bytes from the wire
                let payload = input.slice(Int(input.byte()))
                let ttl = input.byte()
                check(endpoint.receive(payload: payload, ttl: ttl, now: now), admin: false)
            case 1, 2: // a well-formed packet from a peer that mostly plays along
                let flagsAndState = input.byte()
                let peerState = BFDState(rawValue: flagsAndState >> 6)!
                let flags = BFDFlags(rawValue: flagsAndState & 0x3B) // A bit only with an auth section
                let yours = op & 0x80 != 0 ? input.uint32() : localDiscriminator
                let packet = BFDControlPacket(
                    state: peerState, diagnostic: BFDDiagnostic(rawValue: input.byte() & 0x1F), flags: flags,
                    detectMultiplier: input.byte(), myDiscriminator: input.uint32() | (op & 0x40 != 0 ? 0 : 7),
                    yourDiscriminator: yours, desiredMinTxInterval: Microseconds(input.uint32()),
                    requiredMinRxInterval: Microseconds(input.uint32()),
                    requiredMinEchoRxInterval: Microseconds(input.uint16()))
                check(endpoint.receive(payload: packet.encoded, ttl: op & 0x20 != 0 ? input.byte() : 255, now: now),
                      admin: false)
            case 3: // time passes
                now = now &+ BFDNanoseconds(input.uint32()) &* 1_000
                if now < 0 { return }
                check(endpoint.advance(to: now), admin: false)
            case 4: // straight to the next deadline
                // A deadline may lie in the past (a Detection Time shortened after the last packet):
                // the driver's `advance` fires it at once.
                if let deadline = endpoint.nextDeadline {
                    now = max(now, deadline)
                    check(endpoint.advance(to: now), admin: false)
                }
            case 5:
                check(endpoint.poll(now: now), admin: false)
                if let actions = try? endpoint.setTimers(desiredMinTxInterval: Microseconds(input.uint32()),
                                                         requiredMinRxInterval: Microseconds(input.uint32()), now: now) {
                    check(actions, admin: false)
                }
            case 6:
                check(op & 0x80 != 0 ? endpoint.adminDown(now: now) : endpoint.adminUp(now: now), admin: true)
            default:
                check(endpoint.receiveEcho(payload: op & 0x80 != 0 ? lastEcho : Array(input.slice(Int(input.byte()))),
                                           now: now), admin: false)
            }
        }
    }
}
