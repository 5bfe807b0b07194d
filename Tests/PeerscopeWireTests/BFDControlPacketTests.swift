import PeerscopeWire
import Testing

/// Decodes `bytes` through the same borrowed-view API the capture path uses.
func decodeBFD(_ bytes: [UInt8]) throws(WireError) -> BFDControlPacket {
    let result: Result<BFDControlPacket, WireError> = bytes.withUnsafeBytes { view in
        do throws(WireError) { return .success(try BFDControlPacket.decode(view)) } catch { return .failure(error) }
    }
    return try result.get()
}

func expectBFDError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> WireError? {
    do {
        _ = try decodeBFD(bytes)
        Issue.record("expected a decode error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// One packet of every authentication variant, plus the unauthenticated one.
let bfdVariants: [BFDControlPacket] = {
    let base = BFDControlPacket(state: .up, diagnostic: .none, flags: [], detectMultiplier: 3,
                                myDiscriminator: 0x0102_0304, yourDiscriminator: 0xA0B0_C0D0,
                                desiredMinTxInterval: 300_000, requiredMinRxInterval: 250_000,
                                requiredMinEchoRxInterval: 50_000)
    var variants = [base]
    var simple = base
    simple = BFDControlPacket(state: .up, myDiscriminator: 7, yourDiscriminator: 9,
                              authentication: .simplePassword(keyID: 5, password: Array("secret".utf8)))
    variants.append(simple)
    for type in [BFDAuthType.keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1] {
        var auth = BFDAuthentication.keyed(type, keyID: 200, sequenceNumber: 0xFFFF_FFF0)
        auth.data = AuthBytes((0..<type.digestLength).map { UInt8($0 * 7 & 0xFF) })
        variants.append(BFDControlPacket(state: .`init`, diagnostic: .controlDetectionTimeExpired,
                                         flags: [.poll], detectMultiplier: 5, myDiscriminator: 1,
                                         yourDiscriminator: 2, authentication: auth))
    }
    return variants
}()

@Suite("BFD control packet codec")
struct BFDControlPacketTests {
    @Test("golden bytes: FRR-style Up packet, 300 ms, mult 3")
    func goldenUnauthenticated() throws {
        let bytes: [UInt8] = [
            0x20, 0xC0, 0x03, 0x18,  // version 1, diag 0, Up, no flags, mult 3, length 24
            0x00, 0x00, 0x00, 0x01,  // my discriminator 1
            0x00, 0x00, 0x00, 0x02,  // your discriminator 2
            0x00, 0x04, 0x93, 0xE0,  // desired min tx 300000 µs
            0x00, 0x04, 0x93, 0xE0,  // required min rx 300000 µs
            0x00, 0x00, 0xC3, 0x50,  // required min echo rx 50000 µs
        ]
        let packet = try decodeBFD(bytes)
        #expect(packet.version == 1)
        #expect(packet.state == .up)
        #expect(packet.diagnostic == .none)
        #expect(packet.flags == [])
        #expect(packet.detectMultiplier == 3)
        #expect(packet.length == 24)
        #expect(packet.myDiscriminator == 1)
        #expect(packet.yourDiscriminator == 2)
        #expect(packet.desiredMinTxInterval == 300_000)
        #expect(packet.requiredMinRxInterval == 300_000)
        #expect(packet.requiredMinEchoRxInterval == 50_000)
        #expect(packet.authentication == nil)
        #expect(packet.encoded == bytes)
    }

    @Test("golden bytes: keyed SHA1 section with key id and sequence number")
    func goldenKeyedSHA1() throws {
        var bytes: [UInt8] = [0x21, 0x44, 0x05, 0x34, 0, 0, 0, 9, 0, 0, 0, 0,
                              0x00, 0x0F, 0x42, 0x40, 0x00, 0x0F, 0x42, 0x40, 0, 0, 0, 0]
        bytes += [4, 28, 3, 0, 0x00, 0x00, 0x01, 0x00] + (1...20).map { UInt8($0) }
        let packet = try decodeBFD(bytes)
        #expect(packet.diagnostic == .controlDetectionTimeExpired)
        #expect(packet.state == .down)
        #expect(packet.flags == [.authenticationPresent])
        let auth = try #require(packet.authentication)
        #expect(auth.type == .keyedSHA1)
        #expect(auth.keyID == 3)
        #expect(auth.sequenceNumber == 256)
        #expect(auth.data.bytes == (1...20).map { UInt8($0) })
        #expect(packet.encoded == bytes)
    }

    @Test("every variant round-trips", arguments: bfdVariants)
    func roundTrip(_ packet: BFDControlPacket) throws {
        let bytes = packet.encoded
        #expect(bytes.count == Int(packet.length))
        #expect(try decodeBFD(bytes) == packet)
    }

    @Test("every state, diagnostic and flag combination round-trips")
    func allFieldValues() throws {
        for state in BFDState.allCases {
            for diag in UInt8(0)...31 {
                for flagBits in UInt8(0)...0x3F where flagBits & 0x04 == 0 {
                    let packet = BFDControlPacket(state: state, diagnostic: BFDDiagnostic(rawValue: diag),
                                                  flags: BFDFlags(rawValue: flagBits), myDiscriminator: 1)
                    let decoded = try decodeBFD(packet.encoded)
                    #expect(decoded.state == state)
                    #expect(decoded.diagnostic.rawValue == diag)
                    #expect(decoded.flags.rawValue == flagBits)
                }
            }
        }
    }

    @Test("every proper prefix of a valid packet is rejected", arguments: bfdVariants)
    func everyPrefixRejected(_ packet: BFDControlPacket) {
        let bytes = packet.encoded
        for length in 0..<bytes.count {
            let error = expectBFDError(Array(bytes.prefix(length)))
            #expect(error?.layer == .bfd)
        }
    }

    @Test("undefined diagnostics and reserved auth types are kept, not hidden")
    func unknownValuesKept() throws {
        #expect(BFDDiagnostic(rawValue: 9) == .misConnectivityDefect)
        #expect(BFDDiagnostic(rawValue: 17) == .unknown(17))
        #expect(!BFDDiagnostic.unknown(17).isDefined)
        let auth = BFDAuthentication(type: .reserved(9), keyID: 1, data: AuthBytes([1, 2, 3]))
        let packet = BFDControlPacket(state: .up, myDiscriminator: 1, authentication: auth)
        let decoded = try decodeBFD(packet.encoded)
        #expect(decoded.authentication?.type == .reserved(9))
        #expect(decoded.authentication?.data.bytes == [1, 2, 3])
    }

    @Test("version other than 1 is a typed error")
    func badVersion() {
        var bytes = bfdVariants[0].encoded
        bytes[0] = 0x00 | (bytes[0] & 0x1F)
        #expect(expectBFDError(bytes)?.reason == .badVersion(0))
        bytes[0] = 0xE0
        #expect(expectBFDError(bytes)?.reason == .badVersion(7))
    }

    @Test("Length below 24, or below 26 with A set, is rejected (RFC 5880 §6.8.6)")
    func lengthTooSmall() {
        var bytes = bfdVariants[0].encoded
        bytes[3] = 23
        #expect(expectBFDError(bytes)?.reason == .lengthTooSmall(declared: 23, minimum: 24))
        var authenticated = bfdVariants[0].encoded
        authenticated[1] |= 0x04
        #expect(expectBFDError(authenticated)?.reason == .lengthTooSmall(declared: 24, minimum: 26))
    }

    @Test("Length beyond the UDP payload is rejected")
    func lengthBeyondPayload() {
        var bytes = bfdVariants[0].encoded
        bytes[3] = 30
        #expect(expectBFDError(bytes)?.reason == .lengthBeyondData(declared: 30, available: 24))
    }

    @Test("extra bytes after Length are ignored, as a receiver does")
    func trailingBytesIgnored() throws {
        let bytes = bfdVariants[0].encoded + [0xDE, 0xAD]
        #expect(try decodeBFD(bytes) == bfdVariants[0])
    }

    @Test("auth length that does not fit the type is rejected", arguments: [
        (UInt8(1), UInt8(3)), (1, 20), (2, 28), (3, 20), (4, 24), (5, 29),
    ])
    func badAuthLength(type: UInt8, authLength: UInt8) {
        var bytes = bfdVariants[0].encoded
        bytes[1] |= 0x04
        bytes += [type, authLength, 1] + Array(repeating: 0, count: 40)
        bytes[3] = UInt8(bytes.count)
        #expect(expectBFDError(bytes)?.reason == .badAuthLength(type: type, length: Int(authLength)))
    }

    @Test("auth section longer than what Length leaves is rejected")
    func authBeyondLength() {
        var bytes = bfdVariants[2].encoded  // keyed MD5, 48 bytes
        bytes[3] = 40
        let error = expectBFDError(bytes)
        #expect(error?.reason == .lengthBeyondData(declared: 24, available: 16))
    }

    @Test("random packets round-trip (property)")
    func randomRoundTrip() throws {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<5_000 {
            let packet = BFDControlPacket.random(using: &generator)
            #expect(try decodeBFD(packet.encoded) == packet)
        }
    }

    @Test("random bytes never trap: they decode or throw a typed error")
    func randomBytesNeverTrap() {
        var generator = SplitMix64(seed: 42)
        var decoded = 0
        for _ in 0..<50_000 {
            let length = Int.random(in: 0...64, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias toward version 1 so the deeper checks are exercised too.
            if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = 0x20 | (bytes[0] & 0x1F) }
            if let packet = try? decodeBFD(bytes) {
                decoded += 1
                #expect(Int(packet.length) <= bytes.count)
            }
        }
        #expect(decoded > 0)
    }

    @Test("digest input puts the zero-padded secret where the digest goes (RFC 5880 §6.7.3)")
    func digestInput() throws {
        let packet = bfdVariants[2]  // keyed MD5
        let input = try #require(packet.digestInput(secret: Array("key".utf8)))
        #expect(input.count == 48)
        #expect(Array(input[32..<35]) == Array("key".utf8))
        #expect(input[35..<48].allSatisfy { $0 == 0 })
        #expect(Array(input[0..<32]) == Array(packet.encoded[0..<32]))
        #expect(bfdVariants[0].digestInput(secret: [1]) == nil)
    }

    @Test("flags print router-style")
    func flagText() {
        #expect(BFDFlags([.poll, .demand]).description == "P---D-")
        #expect(BFDFlags([]).description == "------")
    }
}


extension BFDControlPacket {
    static func random(using generator: inout SplitMix64) -> BFDControlPacket {
        var authentication: BFDAuthentication?
        switch UInt8.random(in: 0...5, using: &generator) {
        case 0: authentication = nil
        case 1:
            let length = Int.random(in: 1...16, using: &generator)
            authentication = .simplePassword(keyID: .random(in: 0...255, using: &generator),
                                             password: (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
        case let type:
            let authType = BFDAuthType(rawValue: type)
            var keyed = BFDAuthentication.keyed(authType, keyID: .random(in: 0...255, using: &generator),
                                                sequenceNumber: .random(in: 0...UInt32.max, using: &generator))
            keyed.data = AuthBytes((0..<authType.digestLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
            authentication = keyed
        }
        var flags = BFDFlags(rawValue: .random(in: 0...0x3F, using: &generator))
        flags.remove(.authenticationPresent)
        return BFDControlPacket(
            state: BFDState(rawValue: .random(in: 0...3, using: &generator))!,
            diagnostic: BFDDiagnostic(rawValue: .random(in: 0...31, using: &generator)),
            flags: flags, detectMultiplier: .random(in: 0...255, using: &generator),
            myDiscriminator: .random(in: 0...UInt32.max, using: &generator),
            yourDiscriminator: .random(in: 0...UInt32.max, using: &generator),
            desiredMinTxInterval: .random(in: 0...UInt32.max, using: &generator),
            requiredMinRxInterval: .random(in: 0...UInt32.max, using: &generator),
            requiredMinEchoRxInterval: .random(in: 0...UInt32.max, using: &generator),
            authentication: authentication)
    }
}
