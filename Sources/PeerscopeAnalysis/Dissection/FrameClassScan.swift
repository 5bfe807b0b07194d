import PeerscopeCapture
import PeerscopeWire

/// `decode --count`'s fast path (issue 14 item 2): the common frame — Ethernet, at most one VLAN
/// tag, an IPv4 header or an IPv6 header with UDP or TCP right behind it, every length inside the
/// captured bytes, or a frame that is not IP — classified by reading the few fields that decide its class in place, with no
/// header value or `Dissection` built.
///
/// Anything else answers `nil` and goes through `FrameDecoder.classify`: tunnels, label stacks,
/// IPv6 extension headers, fragments, frames cut by snaplen and every header whose lengths do not
/// add up. So an error is always the full dissector's typed error, and a frame accepted here is
/// one the dissector accepts with the same class (the same checks as `IPv4Header`, `IPv6Header`,
/// `UDPHeader` and `TCPHeader` decode, RFC 791 §3.1, RFC 8200 §3, RFC 768, RFC 9293 §3.1).
public enum FrameClassScan {
    @inlinable
    public static func classify(_ frame: Frame) -> FrameClass? {
        guard case .ethernet = frame.linkType else { return nil }
        let bytes = frame.bytes
        let count = bytes.count
        guard count >= 14 else { return nil }
        var offset = 14
        var etherType = word16(bytes, 12)
        if EtherType.isVLANTag(etherType) {
            guard count >= 18 else { return nil }
            etherType = word16(bytes, 16)
            offset = 18
            // A second tag (Q-in-Q) is left to the dissector.
            if EtherType.isVLANTag(etherType) { return nil }
        }
        if etherType == EtherType.ipv4 {
            guard count - offset >= 20 else { return nil }
            let versionIHL = bytes[offset]
            guard versionIHL >> 4 == 4 else { return nil }
            let headerLength = Int(versionIHL & 0x0F) &* 4
            let totalLength = Int(word16(bytes, offset + 2))
            // The IP total length ends the packet (Ethernet pads short frames); a length past
            // the captured bytes (snaplen or a lie) is the dissector's to judge.
            guard headerLength >= 20, totalLength >= headerLength, totalLength <= count - offset,
                  word16(bytes, offset + 6) & 0x1FFF == 0
            else { return nil }
            return transport(bytes, protocolNumber: bytes[offset + 9], from: offset + headerLength,
                             end: offset + totalLength, otherIP: true)
        }
        if etherType == EtherType.ipv6 {
            guard count - offset >= 40, bytes[offset] >> 4 == 6 else { return nil }
            let payloadLength = Int(word16(bytes, offset + 4))
            // A zero payload length (a jumbogram) or one past the captured bytes: the dissector's.
            guard payloadLength > 0, payloadLength <= count - offset - 40 else { return nil }
            // Only UDP or TCP right behind the fixed header; extension headers are walked there.
            return transport(bytes, protocolNumber: bytes[offset + 6], from: offset + 40,
                             end: offset + 40 + payloadLength, otherIP: false)
        }
        // MPLS is walked by the dissector; any other EtherType on the outer Ethernet (ARP, LLDP,
        // LACP …) is not IP and not an error, as the dissector counts it.
        if etherType == EtherType.mplsUnicast || etherType == EtherType.mplsMulticast { return nil }
        return .notIP
    }

    /// UDP or TCP at `start`, the IP packet ending at `end` (≤ the captured bytes).
    @inlinable
    static func transport(_ bytes: UnsafeRawBufferPointer, protocolNumber: UInt8, from start: Int, end: Int,
                          otherIP: Bool) -> FrameClass? {
        switch protocolNumber {
        case IPProtocol.udp:
            guard end - start >= 8 else { return nil }
            let length = Int(word16(bytes, start + 4))
            guard length >= 8, length - 8 <= end - start - 8 else { return nil }
            guard let transport = BFDTransport.classify(sourcePort: word16(bytes, start),
                                                        destinationPort: word16(bytes, start + 2))
            else { return .otherUDP }
            if transport == .echo { return .bfdEcho }
            do {
                try BFDControlPacket.validate(UnsafeRawBufferPointer(rebasing: bytes[(start + 8)..<(start + length)]))
                return .bfdControl(transport)
            } catch {
                return .bfdMalformed(error, transport)
            }
        case IPProtocol.tcp:
            guard end - start >= 20 else { return nil }
            let headerLength = Int(bytes[start + 12] >> 4) &* 4
            guard headerLength >= 20, headerLength <= end - start else { return nil }
            let bgp = FrameDecoder.bgpPort
            return word16(bytes, start) == bgp || word16(bytes, start + 2) == bgp ? .bgpSegment : .otherTCP
        case IPProtocol.gre, IPProtocol.ipInIP, IPProtocol.ipv6InIP:
            return nil
        default:
            // Another IPv4 protocol is counted as such; after IPv6 it may be an extension header.
            return otherIP ? .otherIP : nil
        }
    }

    /// A big-endian 16-bit field; callers have checked `offset + 2 <= bytes.count`.
    @inlinable
    static func word16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
