import ArgumentParser
import PeerscopeCapture
import PeerscopeWire

/// `peerscope-synth full-table OUT [--ipv4 N] [--ipv6 N]`: one eBGP session transferring a full
/// Internet table — by default 1,000,000 IPv4 and 200,000 IPv6 unicast prefixes — as a router
/// sends it after the session comes up: UPDATEs packed with the prefixes that share one set of
/// path attributes (RFC 4271 §9.2: one UPDATE carries one attribute set), streamed in full-size
/// TCP segments the peer acknowledges every other segment, then End-of-RIB per family (RFC 4724 §2).
///
/// Attribute sharing follows what a full table looks like: a few thousand distinct AS paths
/// (2–8 ASNs behind the peer's own), a few hundred community lists, MED on a third of them; each
/// run of 1–64 prefixes takes one attribute set, so the table has far fewer distinct attribute
/// sets than prefixes, as in a real RIB. IPv4: mostly /24s, some /22 and /20; IPv6: /48s under
/// 2a00::/12 announced in MP_REACH_NLRI (RFC 4760) with a global next hop.
struct FullTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "full-table",
                                                    abstract: "Write one session transferring a full Internet table.")

    @Argument(help: "Output pcap file.")
    var output: String

    @Option(help: "IPv4 unicast prefixes.")
    var ipv4 = 1_000_000

    @Option(help: "IPv6 unicast prefixes.")
    var ipv6 = 200_000

    @Option(help: "Distinct AS paths.")
    var paths = 4_000

    func validate() throws {
        guard (0...4_000_000).contains(ipv4), (0...4_000_000).contains(ipv6), (1...1_000_000).contains(paths) else {
            throw ValidationError("--ipv4 and --ipv6 within 0…4000000, --paths within 1…1000000")
        }
    }

    /// One direction of the TCP connection: its frame template and next sequence number.
    struct Direction {
        var builder: FrameBuilder
        var sequence: UInt32
    }

    func run() throws {
        let writer = try CaptureWriter(path: output, format: .pcap, linkType: .ethernet)
        var random = SplitMix(seed: 1_000_000)
        let base: Int64 = 1_764_000_000_000_000_000
        var now: Int64 = 0
        var frames = 0
        var updates = 0
        let peer = IPAddress.v4(IPv4Address(192, 0, 2, 1)), local = IPAddress.v4(IPv4Address(192, 0, 2, 2))
        func direction(_ from: IPAddress, _ to: IPAddress, _ sport: UInt16, _ dport: UInt16, _ sequence: UInt32) -> Direction {
            var builder = FrameBuilder(source: from, destination: to, transport: .tcp(TCPHeader(
                sourcePort: sport, destinationPort: dport, sequenceNumber: 0, acknowledgmentNumber: 0, flags: [.ack])))
            builder.ttl = 1
            return Direction(builder: builder, sequence: sequence)
        }
        var a = direction(peer, local, 179, 40_179, 0x1000_0000)
        var b = direction(local, peer, 40_179, 179, 0x2000_0000)
        func send(fromA: Bool, flags: TCPFlags, payload: [UInt8]) {
            var me = fromA ? a : b
            let acknowledgment = fromA ? b.sequence : a.sequence
            guard case .tcp(var header) = me.builder.transport else { return }
            header.sequenceNumber = me.sequence
            header.acknowledgmentNumber = acknowledgment
            header.flags = flags
            me.builder.transport = .tcp(header)
            writer.write(timestampNanoseconds: base + now, bytes: me.builder.build(payload: payload))
            frames += 1
            me.sequence &+= UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0)
            if fromA { a = me } else { b = me }
        }
        send(fromA: false, flags: .syn, payload: [])
        now += 100_000
        send(fromA: true, flags: [.syn, .ack], payload: [])
        now += 100_000
        let families = [BGPCapability.multiprotocol(.ipv4Unicast), .multiprotocol(.ipv6Unicast), .routeRefresh]
        send(fromA: false, flags: [.ack, .psh], payload: BGPMessage.open(BGPOpen(
            myAS: 64_512, holdTime: 90, identifier: IPv4Address(192, 0, 2, 2),
            capabilities: families + [.fourOctetAS(64_512)])).encoded())
        now += 100_000
        send(fromA: true, flags: [.ack, .psh], payload: BGPMessage.open(BGPOpen(
            myAS: 65_001, holdTime: 90, identifier: IPv4Address(192, 0, 2, 1),
            capabilities: families + [.fourOctetAS(65_001)])).encoded() + BGPMessage.keepalive.encoded())
        now += 100_000
        send(fromA: false, flags: [.ack, .psh], payload: BGPMessage.keepalive.encoded())
        now += 1_000_000

        // The attribute pools: AS paths behind the peer's AS 65001, community lists.
        var pathPool: [[UInt32]] = []
        for _ in 0..<paths {
            let length = 2 + Int(random.next() % 7)
            pathPool.append([65_001] + (0..<length).map { _ in UInt32(1 + random.next() % 400_000) })
        }
        var communityPool: [[UInt32]] = []
        for _ in 0..<300 {
            communityPool.append((0..<Int(random.next() % 6)).map { _ in 65_001 << 16 | UInt32(random.next() % 4_000) })
        }
        func attributes(_ random: inout SplitMix, reach: BGPPathAttribute?) -> [BGPPathAttribute] {
            let path = pathPool[Int(random.next() % UInt64(pathPool.count))]
            let communities = communityPool[Int(random.next() % UInt64(communityPool.count))]
            var list = [BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .origin(UInt8(random.next() % 3 == 0 ? 2 : 0))),
                        BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .asPath([BGPASPathSegment(type: 2, asns: path)]))]
            if let reach { list.append(reach) } else {
                list.append(BGPPathAttribute(flags: BGPPathAttribute.transitive, value: .nextHop(IPv4Address(192, 0, 2, 1))))
            }
            if random.next() % 3 == 0 {
                list.append(BGPPathAttribute(flags: BGPPathAttribute.optional, value: .multiExitDisc(UInt32(random.next() % 200))))
            }
            if !communities.isEmpty {
                list.append(BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.transitive,
                                             value: .communities(communities)))
            }
            return list
        }

        // The stream: UPDATEs appended, cut into 1,460-byte segments, an ACK every other segment.
        var pending: [UInt8] = []
        var segments = 0
        func flush(all: Bool) {
            while pending.count >= 1_460 || (all && !pending.isEmpty) {
                let size = min(pending.count, 1_460)
                send(fromA: true, flags: [.ack, .psh], payload: Array(pending.prefix(size)))
                pending.removeFirst(size)
                now += 12_000
                segments += 1
                if segments % 2 == 0 { send(fromA: false, flags: .ack, payload: []) }
            }
        }
        func emit(_ message: BGPMessage) {
            pending += message.encoded()
            updates += 1
            flush(all: false)
        }

        var index = 0
        while index < ipv4 {
            let run = min(ipv4 - index, 1 + Int(random.next() % 64))
            var prefixes: [BGPPrefix] = []
            prefixes.reserveCapacity(run)
            for offset in index..<(index + run) {
                // Distinct (address, length) pairs: a /20 or /22 only on an aligned /24 slot.
                let slot = UInt32(offset)
                let draw = random.next() % 8
                let length: UInt8 = slot % 16 == 0 && draw == 0 ? 20 : slot % 4 == 0 && draw < 3 ? 22 : 24
                prefixes.append(BGPPrefix(address: .v4(IPv4Address(0x0100_0000 &+ slot << 8)), length: length))
            }
            emit(.update(BGPUpdate(attributes: attributes(&random, reach: nil), announced: prefixes)))
            index += run
        }
        index = 0
        let nextHop = BGPNextHop.address(.v6(IPv6Address(high: 0x2001_0DB8_0000_0000, low: 1)))
        while index < ipv6 {
            let run = min(ipv6 - index, 1 + Int(random.next() % 64))
            let nlri = (index..<(index + run)).map { offset in
                BGPNLRI.prefix(BGPPrefix(address: .v6(IPv6Address(high: 0x2A00_0000_0000_0000 | UInt64(offset) << 16, low: 0)),
                                         length: 48))
            }
            let reach = BGPPathAttribute(flags: BGPPathAttribute.optional | BGPPathAttribute.extendedLength,
                                         value: .mpReach(family: .ipv6Unicast, nextHop: nextHop, nlri: nlri))
            emit(.update(BGPUpdate(attributes: attributes(&random, reach: reach))))
            index += run
        }
        // End-of-RIB: an empty UPDATE for IPv4, an empty MP_UNREACH for IPv6 (RFC 4724 §2).
        emit(.update(BGPUpdate()))
        emit(.update(BGPUpdate(attributes: [BGPPathAttribute(flags: BGPPathAttribute.optional,
                                                               value: .mpUnreach(family: .ipv6Unicast, nlri: []))])))
        flush(all: true)
        send(fromA: false, flags: .ack, payload: [])
        print("\(output): \(frames) frames, \(updates) UPDATEs, \(ipv4) IPv4 and \(ipv6) IPv6 prefixes in one BGP session")
    }
}
