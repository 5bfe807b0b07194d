import PeerscopeWire
import Testing

func decodeBGP(_ bytes: [UInt8], options: BGPDecodingOptions = BGPDecodingOptions()) throws(WireError) -> BGPMessage {
    let result: Result<BGPMessage, WireError> = bytes.withUnsafeBytes { view in
        do throws(WireError) { return .success(try BGPMessage.decode(view, options: options).1) } catch { return .failure(error) }
    }
    return try result.get()
}

let bgpSamples: [BGPMessage] = [
    .keepalive,
    .open(BGPOpen(myAS: 23456, holdTime: 90, identifier: IPv4Address(192, 0, 2, 1), capabilities: [
        .multiprotocol(.ipv4Unicast), .multiprotocol(.ipv6Unicast), .routeRefresh, .enhancedRouteRefresh,
        .fourOctetAS(4_200_000_001), .gracefulRestart(flags: 8, restartTime: 120, families: [0, 1, 1, 0x80]),
        .addPath([(.ipv4Unicast, 3)]), .extendedMessage, .fqdn(hostname: "r1", domain: "lab"),
        .unknown(code: 200, value: [1, 2, 3]),
    ])),
    .update(BGPUpdate(
        withdrawn: [BGPPrefix(address: IPAddress("198.51.100.0")!, length: 24)],
        attributes: [
            BGPPathAttribute(flags: 0x40, value: .origin(0)),
            BGPPathAttribute(flags: 0x40, value: .asPath([BGPASPathSegment(type: 2, asns: [65001, 4_200_000_001])])),
            BGPPathAttribute(flags: 0x40, value: .nextHop(IPv4Address(192, 0, 2, 1))),
            BGPPathAttribute(flags: 0x80, value: .multiExitDisc(10)),
            BGPPathAttribute(flags: 0xC0, value: .communities([65000 << 16 | 1, 0xFFFF_FF01])),
            BGPPathAttribute(flags: 0xC0, value: .largeCommunities([BGPLargeCommunity(65000, 1, 2)])),
            BGPPathAttribute(flags: 0xC0, value: .extendedCommunities([0x0002_FDE8_0000_0064])),
            BGPPathAttribute(flags: 0xC0, value: .unknown(type: 99, bytes: [7, 7])),
        ],
        announced: [BGPPrefix(address: IPAddress("203.0.113.0")!, length: 24),
                    BGPPrefix(address: IPAddress("10.0.0.0")!, length: 8)])),
    .update(BGPUpdate(attributes: [
        BGPPathAttribute(flags: 0x80, value: .mpReach(family: .ipv6Unicast, nextHop: BGPNextHop(bytes: Array(repeating: 0x20, count: 16), family: .ipv6Unicast),
                                                      nlri: [.prefix(BGPPrefix(address: IPAddress("2001:db8:100::")!, length: 48))])),
        BGPPathAttribute(flags: 0x80, value: .mpUnreach(family: .ipv6Unicast,
                                                        nlri: [.prefix(BGPPrefix(address: IPAddress("2001:db8::")!, length: 32))])),
    ])),
    .notification(BGPNotification(code: 6, subcode: 2, data: [5] + Array("maint".utf8))),
    .routeRefresh(family: .ipv4Unicast, subtype: 0),
]

@Suite("BGP message codec")
struct BGPMessageTests {
    @Test("golden bytes: KEEPALIVE is 19 bytes of marker, length and type")
    func keepaliveGolden() throws {
        let bytes = Array(repeating: UInt8(0xFF), count: 16) + [0, 19, 4]
        #expect(BGPMessage.keepalive.encoded() == bytes)
        #expect(try decodeBGP(bytes) == .keepalive)
    }

    @Test("every message kind round-trips", arguments: bgpSamples)
    func roundTrip(_ message: BGPMessage) throws {
        #expect(try decodeBGP(message.encoded()) == message)
    }

    @Test("every proper prefix is a typed error", arguments: bgpSamples)
    func prefixes(_ message: BGPMessage) {
        let bytes = message.encoded()
        for length in 0..<bytes.count {
            #expect(throws: WireError.self) { try decodeBGP(Array(bytes.prefix(length))) }
        }
    }

    @Test("2-octet AS_PATH when 4-octet AS was not negotiated")
    func twoOctetPath() throws {
        let update = BGPMessage.update(BGPUpdate(attributes: [
            BGPPathAttribute(flags: 0x40, value: .asPath([BGPASPathSegment(type: 2, asns: [65001, 65002])])),
        ]))
        let bytes = update.encoded(fourOctetAS: false)
        #expect(try decodeBGP(bytes, options: BGPDecodingOptions(fourOctetAS: false)) == update)
    }

    @Test("add-path NLRI carry path identifiers")
    func addPath() throws {
        let update = BGPMessage.update(BGPUpdate(announced: [BGPPrefix(address: IPAddress("192.0.2.0")!, length: 24, pathID: 7)]))
        let options = BGPDecodingOptions(addPath: [.ipv4Unicast])
        #expect(try decodeBGP(update.encoded(), options: options) == update)
    }

    @Test("bad marker is reported, not hidden; short lengths and wrong attribute lengths are errors")
    func malformed() throws {
        var bytes = BGPMessage.keepalive.encoded()
        bytes[3] = 0
        let result: Result<BGPHeader, WireError> = bytes.withUnsafeBytes { view in
            do throws(WireError) { return .success(try BGPMessage.decode(view).0) } catch { return .failure(error) }
        }
        #expect(try result.get().markerValid == false)
        var short = BGPMessage.keepalive.encoded()
        short[17] = 18
        #expect(throws: WireError.self) { try decodeBGP(short) }
        var origin = BGPMessage.update(BGPUpdate(attributes: [BGPPathAttribute(flags: 0x40, value: .origin(0))])).encoded()
        origin[origin.count - 2] = 2  // ORIGIN with length 2
        origin += [0]
        origin[17] = UInt8(origin.count)
        origin[23] = 4
        #expect {
            try decodeBGP(origin)
        } throws: { ($0 as? WireError)?.reason.code == "bad_attribute_length" || ($0 as? WireError)?.layer == .bgp }
    }

    @Test("NOTIFICATION names: Cease/BFD Down (RFC 9384) and a shutdown communication (RFC 9003)")
    func notificationNames() {
        #expect(BGPNotification(code: 6, subcode: 10).description == "Cease (6), BFD Down (10)")
        #expect(BGPNotification(code: 6, subcode: 2, data: [5] + Array("maint".utf8)).shutdownCommunication == "maint")
        #expect(BGPNotification(code: 4, subcode: 0).codeName == "Hold Timer Expired")
    }

    @Test("End-of-RIB markers (RFC 4724)")
    func endOfRIB() {
        #expect(BGPUpdate().endOfRIB == .ipv4Unicast)
        let v6 = BGPUpdate(attributes: [BGPPathAttribute(flags: 0x80, value: .mpUnreach(family: .ipv6Unicast, nlri: []))])
        #expect(v6.endOfRIB == .ipv6Unicast)
    }

    @Test("random bytes after a valid header never trap")
    func randomBodies() {
        var generator = SplitMix64(seed: 179)
        for _ in 0..<20_000 {
            let type = UInt8.random(in: 1...6, using: &generator)
            let body = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let bytes = Array(repeating: UInt8(0xFF), count: 16) + [0, UInt8(19 + body.count), type] + body
            _ = try? decodeBGP(bytes)
        }
    }
}
