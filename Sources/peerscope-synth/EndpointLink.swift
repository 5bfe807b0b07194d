import PeerscopeEndpoint
import PeerscopeWire

/// Two `BFDEndpoint`s on a virtual link, as the endpoint tests' link simulation runs them: each
/// wakes at its `nextDeadline`, datagrams arrive after a short delay, and every packet sent becomes
/// a frame. The RFC 5880 behaviour is the endpoint's, none of it the generator's.
struct EndpointLink {
    struct Side {
        var address: IPAddress
        var port: UInt16
        var ttl: UInt8 = 255
        var endpoint: BFDEndpoint
        /// Sends nothing from this time on (ns), e.g. its link or CPU died.
        var silentFrom: Int64 = .max
    }

    private struct Datagram {
        var at: Int64
        var to: Int
        var bytes: [UInt8]
        var ttl: UInt8
    }

    var sides: [Side]
    var transport: BFDTransport = .singleHop
    var shape: (inout FrameBuilder) -> Void = { _ in }
    var now: Int64 = 0
    var delay: Int64 = 200_000
    var frames: [(time: Int64, bytes: [UInt8])] = []
    /// When a side declared its peer dead (diag 1).
    var detectionExpiries: [(side: Int, time: Int64)] = []
    private var inFlight: [Datagram] = []

    init(_ a: Side, _ b: Side) { sides = [a, b] }

    mutating func start() {
        for index in 0..<2 { act(index) { $0.start(now: $1) } }
    }

    mutating func act(_ index: Int, _ input: (inout BFDEndpoint, Int64) -> [BFDEndpointAction]) {
        let actions = input(&sides[index].endpoint, now)
        perform(actions, from: index)
    }

    mutating func run(until end: Int64) {
        while true {
            let delivery = inFlight.map(\.at).min()
            let wake = sides.compactMap(\.endpoint.nextDeadline).min()
            guard let next = [delivery, wake].compactMap({ $0 }).min(), next <= end else { break }
            now = max(now, next)
            let due = inFlight.filter { $0.at <= now }
            inFlight.removeAll { $0.at <= now }
            for datagram in due {
                let actions = sides[datagram.to].endpoint.receive(payload: datagram.bytes, ttl: datagram.ttl, now: now)
                perform(actions, from: datagram.to)
            }
            for index in 0..<2 where (sides[index].endpoint.nextDeadline ?? .max) <= now {
                act(index) { $0.advance(to: $1) }
            }
        }
        now = max(now, end)
    }

    private mutating func perform(_ actions: [BFDEndpointAction], from index: Int) {
        for action in actions {
            switch action {
            case .send(let transmission):
                guard now < sides[index].silentFrom else { continue }
                frames.append((now, frame(from: index, transmission.bytes)))
                inFlight.append(Datagram(at: now + delay, to: 1 - index, bytes: transmission.bytes, ttl: 255))
            case .stateChanged(_, .down, .controlDetectionTimeExpired):
                detectionExpiries.append((index, now))
            case .sendEcho, .stateChanged, .discarded, .pollSequenceStarted, .pollSequenceCompleted:
                break
            }
        }
    }

    private func frame(from index: Int, _ payload: [UInt8]) -> [UInt8] {
        let me = sides[index], peer = sides[1 - index]
        var builder = FrameBuilder.udp(from: me.address, me.port, to: peer.address, transport.wellKnownPort)
        builder.ttl = me.ttl
        builder.identification = UInt16(truncatingIfNeeded: frames.count)
        if index == 1, case .ethernet(let source, let destination) = builder.link {
            builder.link = .ethernet(source: destination, destination: source)
        }
        shape(&builder)
        return builder.build(payload: payload)
    }
}
