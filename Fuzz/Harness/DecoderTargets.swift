import PeerscopeWire

/// The first byte of a `bgp-message` or `round-trip` input: what the OPENs would have negotiated.
/// bit 0: 4-octet AS (RFC 6793); bit 1: Extended Message (RFC 8654); bits 2–7: add-path receive
/// (RFC 7911) for, in order, IPv4/IPv6 unicast, IPv4/IPv6 multicast, IPv4/IPv6 VPN (SAFI 128).
public enum BGPOptionsByte {
    static let addPathFamilies: [BGPAddressFamily] = [
        .ipv4Unicast, .ipv6Unicast, BGPAddressFamily(afi: 1, safi: 2), BGPAddressFamily(afi: 2, safi: 2),
        BGPAddressFamily(afi: 1, safi: 128), BGPAddressFamily(afi: 2, safi: 128),
    ]

    public static func options(_ byte: UInt8) -> BGPDecodingOptions {
        var addPath: Set<BGPAddressFamily> = []
        for (bit, family) in addPathFamilies.enumerated() where byte & (4 << bit) != 0 { addPath.insert(family) }
        return BGPDecodingOptions(fourOctetAS: byte & 1 != 0, addPath: addPath, extendedMessage: byte & 2 != 0)
    }

    public static func byte(_ options: BGPDecodingOptions) -> UInt8 {
        var byte: UInt8 = (options.fourOctetAS ? 1 : 0) | (options.extendedMessage ? 2 : 0)
        for (bit, family) in addPathFamilies.enumerated() where options.addPath.contains(family) { byte |= 4 << bit }
        return byte
    }
}

enum DecoderTargets {
    static func bfd(_ data: UnsafeRawBufferPointer) {
        let decoded: BFDControlPacket?
        do { decoded = try BFDControlPacket.decode(data) } catch { decoded = nil }
        var validates = true
        do { try BFDControlPacket.validate(data) } catch { validates = false }
        fuzzInvariant(validates == (decoded != nil), "BFD validate and decode disagree")
        if let decoded {
            fuzzInvariant(Int(decoded.length) <= data.count, "BFD Length beyond the payload was accepted")
            fuzzInvariant(decoded.version == 1, "BFD version \(decoded.version) accepted")
        }
        let echo = BFDEchoPacket(payload: data)
        fuzzInvariant(echo.payloadLength == data.count, "echo length")
    }

    static func bgpMessage(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let options = BGPOptionsByte.options(input.byte())
        let bytes = input.rest()
        do {
            let (header, message) = try BGPMessage.decode(bytes, options: options)
            fuzzInvariant(header.length <= bytes.count, "BGP header length beyond the bytes was accepted")
            fuzzInvariant(header.length >= BGPHeader.length, "BGP header length below 19 was accepted")
            _ = message.type
        } catch {
            _ = error.description
        }
    }

    static func roundTrip(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let selector = input.byte()
        if selector & 0x80 != 0 {
            let bytes = input.rest()
            guard let packet = try? BFDControlPacket.decode(bytes) else { return }
            var encoded = packet.encoded
            // Length may promise more than the authentication section holds: a receiver ignores
            // what follows, so padding to Length must not change the packet.
            if encoded.count < Int(packet.length) { encoded += [UInt8](repeating: 0, count: Int(packet.length) - encoded.count) }
            let again = encoded.withUnsafeBytes { try? BFDControlPacket.decode($0) }
            fuzzInvariant(again == packet, "BFD decode(encode(x)) != x: \(packet) → \(String(describing: again))")
        } else {
            let options = BGPOptionsByte.options(selector)
            let bytes = input.rest()
            guard let (_, message) = try? BGPMessage.decode(bytes, options: options) else { return }
            let encoded = message.encoded(fourOctetAS: options.fourOctetAS)
            let again = encoded.withUnsafeBytes { try? BGPMessage.decode($0, options: options) }
            fuzzInvariant(again?.1 == message,
                          "BGP decode(encode(x)) != x: \(message) → \(String(describing: again?.1))")
        }
    }
}
