@testable import PeerscopeWire
import Testing

/// The pre-counts that size the decoder's attribute and prefix arrays (BGPUpdate.attributeCount,
/// BGPPrefix.count). Expected counts come from the RFC field layouts written out by hand, not from
/// the decoder; damaged lists must be counted without trapping and never above the byte count.
@Suite struct BGPListSizingTests {
    @Test("prefix lists: RFC 4271 §4.3 <length, prefix> tuples, RFC 7911 path identifiers in front")
    func prefixCounts() {
        // 10.0.0.0/8, 192.168.1.0/24, 0.0.0.0/0, 203.0.113.128/25
        let plain: [UInt8] = [8, 10, 24, 192, 168, 1, 0, 25, 203, 0, 113, 128]
        // The same with a 4-byte path identifier before each length.
        let withPaths: [UInt8] = [0, 0, 0, 1, 8, 10, 0, 0, 0, 2, 24, 192, 168, 1, 0, 0, 0, 3, 0,
                                  0, 0, 0, 4, 25, 203, 0, 113, 128]
        plain.withUnsafeBytes { #expect(BGPPrefix.count($0, addPath: false) == 4) }
        withPaths.withUnsafeBytes { #expect(BGPPrefix.count($0, addPath: true) == 4) }
        [UInt8]().withUnsafeBytes { #expect(BGPPrefix.count($0, addPath: false) == 0) }
        // A /24 cut after its first byte is still one (the decoder reports it).
        [UInt8]([24, 192]).withUnsafeBytes { #expect(BGPPrefix.count($0, addPath: false) == 1) }
    }

    @Test("path attributes: RFC 4271 §4.3 flags, type, 1- or 2-octet length (Extended Length, 0x10)")
    func attributeCounts() {
        let attributes: [UInt8] = [
            0x40, 1, 1, 0,                          // ORIGIN IGP
            0x40, 2, 6, 2, 1, 0, 0, 0xFD, 0xE8,     // AS_PATH: one AS_SEQUENCE of AS 65000
            0x40, 3, 4, 192, 0, 2, 1,               // NEXT_HOP
            0x90, 14, 0, 0,                         // MP_REACH with Extended Length, empty value
        ]
        attributes.withUnsafeBytes { #expect(BGPUpdate.attributeCount($0) == 4) }
        // An attribute whose length runs past the end is still counted once.
        [UInt8]([0x40, 1, 1, 0, 0xC0, 8, 200, 1]).withUnsafeBytes { #expect(BGPUpdate.attributeCount($0) == 2) }
        [UInt8]([0x50, 14]).withUnsafeBytes { #expect(BGPUpdate.attributeCount($0) == 1) }
    }

    @Test("random bytes are counted without trapping, never above their length")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.withUnsafeBytes { view in
                #expect(BGPUpdate.attributeCount(view) <= bytes.count)
                #expect(BGPPrefix.count(view, addPath: false) <= bytes.count)
                #expect(BGPPrefix.count(view, addPath: Bool.random(using: &generator)) <= bytes.count)
            }
        }
    }
}
