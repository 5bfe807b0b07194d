@testable import PeerscopeWire
import Testing

/// The one-pass prefix list reader (`BGPPrefix.decodeList`) and the AS_PATH reader, against byte
/// strings written out by hand from the RFC layouts: RFC 4271 §4.3 <length, prefix> tuples with
/// ceil(length/8) octets, RFC 7911 §3 path identifiers in front, RFC 4760 §5 IPv6 prefixes, RFC
/// 4271 §4.3 / RFC 6793 AS_PATH segments. Expected values and error offsets are read off the bytes,
/// not produced by the decoder.
@Suite struct BGPPrefixListDecodingTests {
    private func decode(_ bytes: [UInt8], afi: UInt16 = 1, addPath: Bool = false, offset: Int = 0)
        -> Result<[BGPPrefix], WireError>
    {
        bytes.withUnsafeBytes { view in
            do throws(WireError) {
                return .success(try BGPPrefix.decodeList(view, afi: afi, addPath: addPath, offset: offset))
            } catch { return .failure(error) }
        }
    }

    private func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> IPAddress {
        .v4(IPv4Address(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)))
    }

    @Test("IPv4 tuples: /8, /24, /0, /25 and /32, trailing bits of the last octet kept as sent")
    func ipv4() throws {
        let bytes: [UInt8] = [8, 10, 24, 192, 168, 1, 0, 25, 203, 0, 113, 128, 32, 198, 51, 100, 7]
        let prefixes = try decode(bytes).get()
        #expect(prefixes == [
            BGPPrefix(address: v4(10, 0, 0, 0), length: 8),
            BGPPrefix(address: v4(192, 168, 1, 0), length: 24),
            BGPPrefix(address: v4(0, 0, 0, 0), length: 0),
            BGPPrefix(address: v4(203, 0, 113, 128), length: 25),
            BGPPrefix(address: v4(198, 51, 100, 7), length: 32),
        ])
        #expect(try decode([]).get().isEmpty)
    }

    @Test("RFC 7911 §3: a 4-octet path identifier before each length")
    func addPath() throws {
        let bytes: [UInt8] = [0, 0, 0, 1, 8, 10, 0x01, 0x02, 0x03, 0x04, 24, 192, 168, 1]
        #expect(try decode(bytes, addPath: true).get() == [
            BGPPrefix(address: v4(10, 0, 0, 0), length: 8, pathID: 1),
            BGPPrefix(address: v4(192, 168, 1, 0), length: 24, pathID: 0x0102_0304),
        ])
    }

    @Test("RFC 4760 §5 IPv6 prefixes: /32, /65 (nine octets) and /128")
    func ipv6() throws {
        let full: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        let bytes: [UInt8] = [32, 0x20, 0x01, 0x0D, 0xB8]
            + [65, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0x80]
            + [128] + full
        #expect(try decode(bytes, afi: 2).get() == [
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_0000_0000, low: 0)), length: 32),
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_0000_0000, low: 0x8000_0000_0000_0000)), length: 65),
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_0000_0000, low: 1)), length: 128),
        ])
    }

    @Test("IPv6 lists long enough for whole-word reads: /48s, /65 and /0 between other tuples")
    func ipv6Words() throws {
        // 2001:db8:1::/48, 2001:db8:0:0:8000::/65 (the ninth octet 0x80, then the next tuple's
        // bytes follow), ::/0, 2001:db8:2::/48, then 2001:db8:ffff::/47 whose sixth octet carries
        // a bit beyond the prefix as sent (0xFF), kept as in the IPv4 case.
        let bytes: [UInt8] = [48, 0x20, 0x01, 0x0D, 0xB8, 0x00, 0x01]
            + [65, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0x80]
            + [0]
            + [48, 0x20, 0x01, 0x0D, 0xB8, 0x00, 0x02]
            + [47, 0x20, 0x01, 0x0D, 0xB8, 0xFF, 0xFF]
            + [8, 0xFE]
        #expect(try decode(bytes, afi: 2).get() == [
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_0001_0000, low: 0)), length: 48),
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_0000_0000, low: 0x8000_0000_0000_0000)), length: 65),
            BGPPrefix(address: .v6(IPv6Address(high: 0, low: 0)), length: 0),
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_0002_0000, low: 0)), length: 48),
            BGPPrefix(address: .v6(IPv6Address(high: 0x2001_0DB8_FFFF_0000, low: 0)), length: 47),
            BGPPrefix(address: .v6(IPv6Address(high: 0xFE00_0000_0000_0000, low: 0)), length: 8),
        ])
    }

    @Test("damaged lists: the error names the tuple's first octet, offset by where the list starts")
    func errors() {
        // Second tuple claims /33: longer than an IPv4 address (RFC 7606 §5.3).
        #expect(decode([8, 10, 33, 1, 2, 3, 4, 5], offset: 100)
            == .failure(WireError(.bgp, .badPrefixLength(33), at: 102)))
        #expect(decode([129] + [UInt8](repeating: 0, count: 17), afi: 2)
            == .failure(WireError(.bgp, .badPrefixLength(129), at: 0)))
        // /24 with one of its three octets: needs 3, 1 left after the length octet.
        #expect(decode([8, 10, 24, 192], offset: 2) == .failure(WireError(.bgp, .truncated(needed: 3, available: 1), at: 4)))
        // Add-path: two octets where a 4-octet identifier belongs; then an identifier and no length.
        #expect(decode([0, 0], addPath: true) == .failure(WireError(.bgp, .truncated(needed: 4, available: 2), at: 0)))
        #expect(decode([0, 0, 0, 9], addPath: true) == .failure(WireError(.bgp, .truncated(needed: 1, available: 0), at: 0)))
        // The same after a whole first tuple (10.0.0.0/8, path 1): the error names the second.
        #expect(decode([0, 0, 0, 1, 8, 10, 0, 0], addPath: true)
            == .failure(WireError(.bgp, .truncated(needed: 4, available: 2), at: 6)))
        #expect(decode([0, 0, 0, 1, 8, 10, 0, 0, 0, 2], addPath: true)
            == .failure(WireError(.bgp, .truncated(needed: 1, available: 0), at: 6)))
        // /9 as the last tuple with one octet of two: fewer than four octets left, read one by one.
        #expect(decode([9, 10], offset: 5) == .failure(WireError(.bgp, .truncated(needed: 2, available: 1), at: 5)))
    }

    @Test("AS_PATH: an AS_SET then an AS_SEQUENCE, 2-octet ASNs without RFC 6793, 4-octet with it")
    func asPath() throws {
        // AS_SET {65001, 65002}, AS_SEQUENCE 64512 (2-octet ASNs).
        let narrow: [UInt8] = [1, 2, 0xFD, 0xE9, 0xFD, 0xEA, 2, 1, 0xFC, 0x00]
        let value = try narrow.withUnsafeBytes { view throws(WireError) in
            try BGPPathAttribute.decodeValue(type: 2, view, fourOctetAS: false, addPath: [], offset: 0)
        }
        #expect(value == .asPath([BGPASPathSegment(type: 1, asns: [65001, 65002]), BGPASPathSegment(type: 2, asns: [64512])]))
        narrow.withUnsafeBytes { #expect(BGPPathAttribute.segmentCount($0, width: 2) == 2) }
        // AS_SEQUENCE 4200000001 (0xFA56EA01) as a 4-octet ASN.
        let wide: [UInt8] = [2, 1, 0xFA, 0x56, 0xEA, 0x01]
        let wideValue = try wide.withUnsafeBytes { view throws(WireError) in
            try BGPPathAttribute.decodeValue(type: 2, view, fourOctetAS: true, addPath: [], offset: 0)
        }
        #expect(wideValue == .asPath([BGPASPathSegment(type: 2, asns: [4_200_000_001])]))
        // A segment announcing three ASNs but carrying two: RFC 7606 §7.2 malformed AS_PATH.
        let short: [UInt8] = [2, 3, 0xFD, 0xE9, 0xFD, 0xEA]
        let error = short.withUnsafeBytes { view -> WireError? in
            do throws(WireError) {
                _ = try BGPPathAttribute.decodeValue(type: 2, view, fourOctetAS: false, addPath: [], offset: 7)
                return nil
            } catch { return error }
        }
        #expect(error == WireError(.bgp, .badAttributeLength(type: 2, length: 6), at: 7))
        short.withUnsafeBytes { #expect(BGPPathAttribute.segmentCount($0, width: 2) == 1) }
    }
}
