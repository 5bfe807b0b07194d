import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeConformance
import PeerscopeWire
import Testing

/// Two BGP speakers (and optionally the BFD session protecting them) in virtual time, written as
/// Ethernet/IPv4/TCP frames with real sequence numbers into a pcap and analysed through the whole
/// capture path. A test builds a clean exchange, bends one thing, and compares the findings.
struct BGPExchange {
    struct Speaker {
        var address: IPAddress
        var port: UInt16
        var asn: UInt32
        var identifier: IPv4Address
        var holdTime: UInt16 = 9
        var ttl: UInt8 = 1
        var sequence: UInt32
        var capabilities: [BGPCapability] = [.multiprotocol(.ipv4Unicast), .routeRefresh]
        var discriminator: UInt32
        var bfdState: BFDState = .up
    }

    enum Side { case a, b }

    var a = Speaker(address: IPAddress("192.0.2.1")!, port: 50_000, asn: 65_001, identifier: IPv4Address(192, 0, 2, 1),
                    sequence: 1_000, discriminator: 11)
    var b = Speaker(address: IPAddress("192.0.2.2")!, port: 179, asn: 65_002, identifier: IPv4Address(192, 0, 2, 2),
                    sequence: 900_000, discriminator: 22)
    var frames: [(time: Int64, bytes: [UInt8])] = []
    var now: Int64 = 0
    /// Set to drop the next `n` bytes of one side from the capture (a capture hole).
    var dropNextSegment: Side?

    subscript(side: Side) -> Speaker {
        get { side == .a ? a : b }
        set { if side == .a { a = newValue } else { b = newValue } }
    }

    mutating func advance(seconds: Double) { now += Int64(seconds * 1e9) }

    mutating func segment(_ side: Side, flags: TCPFlags, payload: [UInt8] = []) {
        let me = self[side]
        let peer = self[side == .a ? .b : .a]
        let header = TCPHeader(sourcePort: me.port, destinationPort: peer.port, sequenceNumber: me.sequence,
                               acknowledgmentNumber: peer.sequence, flags: flags)
        var builder = FrameBuilder(source: me.address, destination: peer.address, transport: .tcp(header))
        builder.ttl = me.ttl
        var consumed = UInt32(payload.count)
        if flags.contains(.syn) || flags.contains(.fin) { consumed += 1 }
        self[side].sequence &+= consumed
        if dropNextSegment == side {
            dropNextSegment = nil
            return
        }
        frames.append((now, builder.build(payload: payload)))
    }

    mutating func send(_ side: Side, _ message: BGPMessage) {
        segment(side, flags: [.ack, .psh], payload: message.encoded())
    }

    mutating func open(_ side: Side) -> BGPOpen {
        let me = self[side]
        return BGPOpen(myAS: me.asn > 65_535 ? 23_456 : UInt16(me.asn), holdTime: me.holdTime, identifier: me.identifier,
                       capabilities: me.capabilities + [.fourOctetAS(me.asn)])
    }

    /// SYN, SYN+ACK, ACK; OPEN both ways; KEEPALIVE both ways: Established.
    mutating func establish() {
        segment(.a, flags: .syn)
        advance(seconds: 0.0001)
        segment(.b, flags: [.syn, .ack])
        advance(seconds: 0.0001)
        segment(.a, flags: .ack)
        advance(seconds: 0.001)
        send(.a, .open(open(.a)))
        advance(seconds: 0.001)
        send(.b, .open(open(.b)))
        advance(seconds: 0.001)
        send(.a, .keepalive)
        advance(seconds: 0.001)
        send(.b, .keepalive)
        advance(seconds: 0.01)
    }

    static func route(_ text: String) -> BGPPrefix {
        let parts = text.split(separator: "/")
        return BGPPrefix(address: IPAddress(String(parts[0]))!, length: UInt8(parts[1])!)
    }

    static func attributes(from asn: UInt32, nextHop: IPv4Address) -> [BGPPathAttribute] {
        [BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(0)),
         BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .asPath([BGPASPathSegment(type: 2, asns: [asn])])),
         BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .nextHop(nextHop))]
    }

    /// A well-formed UPDATE announcing `prefixes` from `side`.
    mutating func announce(_ side: Side, _ prefixes: [String]) {
        let me = self[side]
        send(side, .update(BGPUpdate(attributes: Self.attributes(from: me.asn, nextHop: me.identifier),
                                     announced: prefixes.map(Self.route))))
    }

    mutating func withdraw(_ side: Side, _ prefixes: [String]) {
        send(side, .update(BGPUpdate(withdrawn: prefixes.map(Self.route))))
    }

    /// Both sides send KEEPALIVEs every `every` seconds for `seconds`.
    mutating func keepalives(seconds: Double, every: Double = 3, only: Side? = nil) {
        let end = now + Int64(seconds * 1e9)
        while now + Int64(every * 1e9) <= end {
            advance(seconds: every)
            if only != .b { send(.a, .keepalive) }
            advance(seconds: 0.0005)
            if only != .a { send(.b, .keepalive) }
        }
        now = end
    }

    /// One BFD Control packet from `side` with its current state.
    mutating func bfd(_ side: Side, diagnostic: BFDDiagnostic = .none) {
        let me = self[side]
        let peer = self[side == .a ? .b : .a]
        let packet = BFDControlPacket(state: me.bfdState, diagnostic: diagnostic, detectMultiplier: 3,
                                      myDiscriminator: me.discriminator, yourDiscriminator: peer.discriminator,
                                      desiredMinTxInterval: 300_000, requiredMinRxInterval: 300_000)
        let builder = FrameBuilder.udp(from: me.address, 49_152 + UInt16(me.discriminator), to: peer.address, 3784)
        frames.append((now, builder.build(payload: packet.encoded)))
    }

    /// BFD Up both ways every 300 ms for `seconds` (the session is already Up).
    mutating func bfdUp(seconds: Double) {
        let end = now + Int64(seconds * 1e9)
        while now < end {
            bfd(.a)
            advance(seconds: 0.001)
            bfd(.b)
            advance(seconds: 0.27)
        }
    }

    func analyse(options: CheckOptions = CheckOptions()) throws -> CaptureAnalysis {
        let path = NSTemporaryDirectory() + "peerscope-bgp-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try CaptureWriter(path: path, format: .pcap, linkType: .ethernet)
            for frame in frames.sorted(by: { $0.time < $1.time }) {
                writer.write(timestampNanoseconds: 1_700_000_000_000_000_000 + frame.time, bytes: frame.bytes)
            }
        }
        return try CaptureAnalysis(path: path, options: options)
    }

    /// Rule IDs with their level, e.g. "BGP.OPEN.HOLD MUST".
    func findings() throws -> Set<String> {
        Set(try analyse().findings.map { "\($0.rule.id) \($0.level)" })
    }

    func rules() throws -> Set<String> {
        Set(try analyse().findings.map(\.rule.id))
    }

    /// Established, one route each way, End-of-RIB, ten seconds of keepalives.
    static func clean() -> BGPExchange {
        var exchange = BGPExchange()
        exchange.establish()
        exchange.announce(.a, ["198.51.100.0/24"])
        exchange.announce(.b, ["203.0.113.0/24", "203.0.113.128/25"])
        exchange.send(.a, .update(BGPUpdate()))
        exchange.send(.b, .update(BGPUpdate()))
        exchange.keepalives(seconds: 10)
        return exchange
    }
}
