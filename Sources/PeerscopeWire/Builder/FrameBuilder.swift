/// Describes a frame from the outside in — link, tags, labels, tunnel, IP, transport — and lays
/// it out with every length and checksum filled in. The synthetic captures, the tests and the
/// active tester all build their packets with it.
public struct FrameBuilder: Sendable {
    public enum Link: Sendable {
        case ethernet(source: UInt64, destination: UInt64)
        case linuxSLL(packetType: UInt16, address: UInt64)
        case linuxSLL2(interfaceIndex: UInt32, packetType: UInt8, address: UInt64)
        /// BSD loopback (DLT_NULL) with the family in little-endian host order, as an x86 writer
        /// leaves it. IPv6 is written as BSD's AF_INET6 (24): the link-type registry and Wireshark
        /// only know the BSD values (24, 28, 30), never Linux's 10.
        case null
        case raw
    }

    /// An outer IPv4 GRE tunnel (RFC 2784/2890).
    public struct GRETunnel: Sendable {
        public var source: IPv4Address
        public var destination: IPv4Address
        public var key: UInt32?
        public var sequenceNumber: UInt32?
        public var checksum: Bool
        public var ttl: UInt8
        /// Carry the inner packet inside an Ethernet header (0x6558, transparent bridging).
        public var bridged: Bool

        public init(source: IPv4Address, destination: IPv4Address, key: UInt32? = nil, sequenceNumber: UInt32? = nil,
                    checksum: Bool = false, ttl: UInt8 = 64, bridged: Bool = false) {
            self.source = source
            self.destination = destination
            self.key = key
            self.sequenceNumber = sequenceNumber
            self.checksum = checksum
            self.ttl = ttl
            self.bridged = bridged
        }
    }

    public enum Transport: Sendable {
        case udp(sourcePort: UInt16, destinationPort: UInt16)
        case tcp(TCPHeader)
    }

    public var link: Link = .ethernet(source: 0x0200_0000_0001, destination: 0x0200_0000_0002)
    /// Outermost first; each entry is (TPID, VLAN ID).
    public var vlanTags: [(tpid: UInt16, id: UInt16)] = []
    /// Outermost first.
    public var mplsLabels: [UInt32] = []
    public var tunnel: GRETunnel?
    public var source: IPAddress
    public var destination: IPAddress
    /// IPv4 TTL or IPv6 Hop Limit of the innermost IP header.
    public var ttl: UInt8 = 255
    public var ipv4Options: [UInt8] = []
    public var identification: UInt16 = 0
    /// IPv6 extension headers (next-header value, bytes with a placeholder first byte), in order.
    public var ipv6Extensions: [(type: UInt8, bytes: [UInt8])] = []
    public var transport: Transport

    public init(source: IPAddress, destination: IPAddress, transport: Transport) {
        self.source = source
        self.destination = destination
        self.transport = transport
    }

    /// A UDP frame on Ethernet with TTL 255: the usual single-hop BFD packet.
    public static func udp(from source: IPAddress, _ sourcePort: UInt16, to destination: IPAddress,
                           _ destinationPort: UInt16) -> FrameBuilder {
        FrameBuilder(source: source, destination: destination,
                     transport: .udp(sourcePort: sourcePort, destinationPort: destinationPort))
    }

    public func build(payload: [UInt8]) -> [UInt8] {
        var packet = innerPacket(payload: payload)
        var etherType: UInt16 = source.version == 4 ? EtherType.ipv4 : EtherType.ipv6
        if let tunnel {
            var inner = packet
            var protocolType = etherType
            if tunnel.bridged {
                var ethernet: [UInt8] = []
                EthernetHeader(destination: 0x0200_0000_0012, source: 0x0200_0000_0011, etherType: etherType)
                    .encode(into: &ethernet)
                inner = ethernet + inner
                protocolType = EtherType.transparentEthernet
            }
            var gre: [UInt8] = []
            GREHeader(protocolType: protocolType, checksum: tunnel.checksum ? 0 : nil, key: tunnel.key,
                      sequenceNumber: tunnel.sequenceNumber)
                .encode(into: &gre, payload: inner)
            var outer: [UInt8] = []
            IPv4Header(source: tunnel.source, destination: tunnel.destination, protocolNumber: IPProtocol.gre,
                       ttl: tunnel.ttl, identification: identification)
                .encode(into: &outer, payloadLength: gre.count + inner.count)
            packet = outer + gre + inner
            etherType = EtherType.ipv4
        }
        if !mplsLabels.isEmpty {
            var labels: [UInt8] = []
            for (index, label) in mplsLabels.enumerated() {
                MPLSLabelStackEntry(label: label, bottomOfStack: index == mplsLabels.count - 1).encode(into: &labels)
            }
            packet = labels + packet
            etherType = EtherType.mplsUnicast
        }
        return linkHeader(etherType: etherType) + packet
    }

    private func innerPacket(payload: [UInt8]) -> [UInt8] {
        let pseudo: PseudoHeader
        switch (source, destination) {
        case (.v4(let s), .v4(let d)): pseudo = .v4(source: s, destination: d)
        case (.v6(let s), .v6(let d)): pseudo = .v6(source: s, destination: d)
        default: preconditionFailure("source and destination must be the same IP version")
        }
        var segment: [UInt8] = []
        let protocolNumber: UInt8
        switch transport {
        case .udp(let sourcePort, let destinationPort):
            UDPHeader(sourcePort: sourcePort, destinationPort: destinationPort)
                .encode(into: &segment, payload: payload, pseudoHeader: pseudo)
            protocolNumber = IPProtocol.udp
        case .tcp(let header):
            header.encode(into: &segment, payload: payload, pseudoHeader: pseudo)
            protocolNumber = IPProtocol.tcp
        }
        segment += payload
        var ip: [UInt8] = []
        switch pseudo {
        case .v4(let s, let d):
            IPv4Header(source: s, destination: d, protocolNumber: protocolNumber, ttl: ttl, identification: identification)
                .encode(into: &ip, payloadLength: segment.count, options: ipv4Options)
        case .v6(let s, let d):
            var chain: [UInt8] = []
            for (index, ext) in ipv6Extensions.enumerated() {
                var bytes = ext.bytes
                bytes[0] = index + 1 < ipv6Extensions.count ? ipv6Extensions[index + 1].type : protocolNumber
                chain += bytes
            }
            IPv6Header(source: s, destination: d, nextHeader: ipv6Extensions.first?.type ?? protocolNumber, hopLimit: ttl)
                .encode(into: &ip, payloadLength: chain.count + segment.count)
            ip += chain
        }
        return ip + segment
    }

    private func linkHeader(etherType: UInt16) -> [UInt8] {
        var header: [UInt8] = []
        var type = etherType
        var tags: [UInt8] = []
        for tag in vlanTags.reversed() {
            var tagBytes: [UInt8] = []
            VLANTag(tpid: tag.tpid, vlanID: tag.id, etherType: type).encode(into: &tagBytes)
            tags = tagBytes + tags
            type = tag.tpid
        }
        switch link {
        case .ethernet(let source, let destination):
            EthernetHeader(destination: destination, source: source, etherType: type).encode(into: &header)
        case .linuxSLL(let packetType, let address):
            LinuxSLLHeader(packetType: packetType, address: address << 16, protocolType: type).encode(into: &header)
        case .linuxSLL2(let interfaceIndex, let packetType, let address):
            LinuxSLL2Header(protocolType: type, interfaceIndex: interfaceIndex, packetType: packetType,
                            address: address << 16).encode(into: &header)
        case .null:
            let family: UInt32 = source.version == 4 ? 2 : 24
            header = [UInt8(family & 0xFF), 0, 0, 0]
        case .raw:
            break
        }
        return header + tags
    }
}
