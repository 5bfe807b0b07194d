import PeerscopeWire
import Testing

/// OPEN messages whose Optional Parameters do not fit RFC 4271's one-octet length (issue 12: the
/// encoder used to narrow that length to 8 bits and trapped). The expected bytes are written from
/// RFC 9072 §2's figure and RFC 4271 §4.2's, not from our encoder.
@Suite("BGP OPEN: RFC 9072 extended optional parameters")
struct BGPOpenExtendedParametersTests {
    static let identifier = IPv4Address(192, 0, 2, 1)

    /// 40 multiprotocol capabilities, one per parameter: 40 × (2 + 2 + 4) = 320 octets of parameters.
    static let manyCapabilities = BGPOpen(
        myAS: 65001, holdTime: 90, identifier: identifier,
        capabilities: (0..<40).map { .multiprotocol(BGPAddressFamily(afi: 1, safi: UInt8(1 + $0))) })

    static func body(_ open: BGPOpen) -> [UInt8] {
        var bytes: [UInt8] = []
        open.encode(into: &bytes)
        return bytes
    }

    static func decodeBody(_ body: [UInt8]) throws -> BGPOpen {
        let result: Result<BGPOpen, WireError> = body.withUnsafeBytes { view in
            do throws(WireError) { return .success(try BGPOpen.decode(view)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    @Test("parameters over 255 octets: the RFC 9072 form, decode → encode → decode equal")
    func manyCapabilitiesRoundTrip() throws {
        let body = Self.body(Self.manyCapabilities)
        // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm. Length, then
        // each parameter with a two-octet length: 40 × (1 + 2 + 6).
        #expect(Array(body[9...12]) == [255, 255, UInt8(360 >> 8), UInt8(360 & 0xFF)])
        #expect(body.count == 13 + 360)
        #expect(Array(body[13..<22]) == [2, 0, 6, 1, 4, 0, 1, 0, 1])
        let decoded = try Self.decodeBody(body)
        #expect(decoded == Self.manyCapabilities)
        #expect(Self.body(decoded) == body)
        let message = BGPMessage.open(Self.manyCapabilities)
        #expect(try decodeBGP(message.encoded()) == message)
    }

    @Test("one parameter over 255 octets forces the extended form; bytes as RFC 9072 §2 draws them")
    func longParameterGolden() throws {
        let value = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        let open = BGPOpen(myAS: 65001, holdTime: 180, identifier: Self.identifier,
                           otherParameters: [BGPRawParameter(type: 77, value: value)])
        let expected: [UInt8] = [4, 0xFD, 0xE9, 0, 180, 192, 0, 2, 1,
                                 255, 255, 0x01, 0x2F,  // 303 = 1 + 2 + 300
                                 77, 0x01, 0x2C] + value
        #expect(Self.body(open) == expected)
        #expect(try Self.decodeBody(expected) == open)
    }

    @Test("parameters of 255 octets or fewer keep RFC 4271's one-octet form (RFC 9072 §2 SHOULD)")
    func shortParametersStayNonExtended() throws {
        let open = BGPOpen(myAS: 65001, holdTime: 90, identifier: Self.identifier, capabilities: [.fourOctetAS(65001)])
        #expect(Self.body(open) == [4, 0xFD, 0xE9, 0, 90, 192, 0, 2, 1, 8, 2, 6, 65, 4, 0, 0, 0xFD, 0xE9])
        // 31 capabilities of 8 octets each (248) still fit; a 32nd (256) does not.
        let fits = BGPOpen(myAS: 1, holdTime: 90, identifier: Self.identifier,
                           capabilities: Array(Self.manyCapabilities.capabilities.prefix(31)))
        #expect(Self.body(fits)[9] == 248)
        let overflows = BGPOpen(myAS: 1, holdTime: 90, identifier: Self.identifier,
                                capabilities: Array(Self.manyCapabilities.capabilities.prefix(32)))
        #expect(Array(Self.body(overflows)[9...10]) == [255, 255])
    }

    @Test("the extended form is recognised by Non-Ext OP Type 255 whatever Non-Ext OP Len says (RFC 9072 §2)")
    func nonExtendedLengthIgnored() throws {
        var body = Self.body(Self.manyCapabilities)
        body[9] = 1  // "MUST be ignored on receipt", only "MUST NOT be set to 0"
        #expect(try Self.decodeBody(body) == Self.manyCapabilities)
    }

    @Test("a first parameter of type 255 is written in the extended form, where it cannot read as the marker (fuzz round-trip find)")
    func firstParameterType255() throws {
        let open = BGPOpen(myAS: 50, holdTime: 65_535, identifier: Self.identifier, capabilities: [],
                           otherParameters: [BGPRawParameter(type: 255, value: []), BGPRawParameter(type: 1, value: [1])])
        let body = Self.body(open)
        // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, a two-octet length of 3 + 4 octets,
        // then each parameter with a two-octet length.
        #expect(Array(body[9...]) == [255, 255, 0, 7, 255, 0, 0, 1, 0, 1, 1])
        #expect(try Self.decodeBody(body) == open)
    }

    @Test("a capability value beyond its one-octet length (RFC 5492 §4) is clipped, never a trap")
    func oversizedCapabilityClipped() throws {
        let open = BGPOpen(myAS: 1, holdTime: 90, identifier: Self.identifier,
                           capabilities: [.unknown(code: 200, value: Array(repeating: 7, count: 300)),
                                          .fqdn(hostname: String(repeating: "h", count: 300), domain: "lab")])
        let decoded = try Self.decodeBody(Self.body(open))
        #expect(decoded.capabilities.count == 2)
        #expect(decoded.capabilities[0] == .unknown(code: 200, value: Array(repeating: 7, count: 255)))
        #expect(decoded.capabilities[1] == .fqdn(hostname: String(repeating: "h", count: 250), domain: "lab"))
        // Two parameters of 2 + 255 octets: over 255, so the extended form.
        #expect(Array(Self.body(open)[9...10]) == [255, 255])
    }
}
