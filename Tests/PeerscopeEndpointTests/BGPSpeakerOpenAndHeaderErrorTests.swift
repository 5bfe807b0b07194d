import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// A hand-made OPEN (RFC 4271 §4.2) with raw optional parameters.
func bgpRawOpen(version: UInt8 = 4, myAS: UInt16 = 65002, holdTime: UInt16 = 90, identifier: UInt32 = 0xC000_0202,
             parameters: [UInt8] = [], declaredParametersLength: UInt8? = nil) -> [UInt8] {
    var body: [UInt8] = [version]
    body.appendUInt16(myAS)
    body.appendUInt16(holdTime)
    body.appendUInt32(identifier)
    body.append(declaredParametersLength ?? UInt8(parameters.count))
    body += parameters
    return bgpFramed(type: 1, body)
}

/// Marker, length and type around a body (RFC 4271 §4.1).
func bgpFramed(type: UInt8, _ body: [UInt8]) -> [UInt8] {
    var bytes = [UInt8](repeating: 0xFF, count: 16)
    bytes.appendUInt16(UInt16(19 + body.count))
    bytes.append(type)
    return bytes + body
}

/// The OPEN checks of RFC 4271 §6.2, each with the subcode it must produce.
enum OpenFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case unsupportedVersion, badPeerAS, holdTimeOne, holdTimeTwo, zeroIdentifier, internalPeerWithOurIdentifier,
         unsupportedOptionalParameter, parametersLengthPastMessage

    var testDescription: String { rawValue }

    var configuration: BGPSpeakerConfiguration {
        self == .internalPeerWithOurIdentifier ? BGPLab.speaker(as: 65002, peer: 65002) : BGPLab.speaker()
    }

    var open: [UInt8] {
        switch self {
        case .unsupportedVersion: bgpRawOpen(version: 3)
        case .badPeerAS: bgpRawOpen(myAS: 65003)
        case .holdTimeOne: bgpRawOpen(holdTime: 1)
        case .holdTimeTwo: bgpRawOpen(holdTime: 2)
        case .zeroIdentifier: bgpRawOpen(identifier: 0)
        case .internalPeerWithOurIdentifier: bgpRawOpen(identifier: BGPLab.routerA.value)
        // Parameter type 1 (the deprecated Authentication Information of RFC 1771).
        case .unsupportedOptionalParameter: bgpRawOpen(parameters: [1, 2, 0xAB, 0xCD])
        case .parametersLengthPastMessage: bgpRawOpen(parameters: [2, 2], declaredParametersLength: 40)
        }
    }

    var expected: BGPNotification {
        switch self {
        case .unsupportedVersion: BGPNotification(code: 2, subcode: 1, data: [0, 4])  // largest version we speak
        case .badPeerAS: BGPNotification(code: 2, subcode: 2)
        case .holdTimeOne, .holdTimeTwo: BGPNotification(code: 2, subcode: 6)
        case .zeroIdentifier, .internalPeerWithOurIdentifier: BGPNotification(code: 2, subcode: 3)
        case .unsupportedOptionalParameter: BGPNotification(code: 2, subcode: 4)
        case .parametersLengthPastMessage: BGPNotification(code: 2, subcode: 0)
        }
    }
}

/// Message Header Errors of RFC 4271 §6.1.
enum HeaderFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case badMarker, lengthBelowNineteen, lengthAbove4096WithoutExtendedMessage, unknownType, keepaliveLongerThanNineteen,
         openShorterThanItsMinimum, notificationShorterThanItsMinimum

    var testDescription: String { rawValue }

    var bytes: [UInt8] {
        switch self {
        case .badMarker:
            var bytes = BGPMessage.keepalive.encoded()
            bytes[7] = 0xFE
            return bytes
        case .lengthBelowNineteen: return Array(repeating: 0xFF, count: 16) + [0, 18, 4]
        case .lengthAbove4096WithoutExtendedMessage: return Array(repeating: 0xFF, count: 16) + [0x10, 0x01, 2]
        case .unknownType: return bgpFramed(type: 9, [])
        case .keepaliveLongerThanNineteen: return bgpFramed(type: 4, [0])
        case .openShorterThanItsMinimum: return bgpFramed(type: 1, Array(repeating: 0, count: 9))
        case .notificationShorterThanItsMinimum: return bgpFramed(type: 3, [6])
        }
    }

    var expected: BGPNotification {
        switch self {
        case .badMarker: BGPNotification(code: 1, subcode: 1)
        case .lengthBelowNineteen: BGPNotification(code: 1, subcode: 2, data: [0, 18])
        case .lengthAbove4096WithoutExtendedMessage: BGPNotification(code: 1, subcode: 2, data: [0x10, 0x01])
        case .unknownType: BGPNotification(code: 1, subcode: 3, data: [9])
        case .keepaliveLongerThanNineteen: BGPNotification(code: 1, subcode: 2, data: [0, 20])
        case .openShorterThanItsMinimum: BGPNotification(code: 1, subcode: 2, data: [0, 28])
        case .notificationShorterThanItsMinimum: BGPNotification(code: 1, subcode: 2, data: [0, 20])
        }
    }
}

@Suite("BGP speaker: OPEN and message header errors")
struct BGPSpeakerOpenAndHeaderErrorTests {
    // RFC 4271 §6.2 (OPEN Message Error subcodes 1, 2, 3, 4, 6; 0 when none fits), RFC 6286 §2.2
    // (iBGP identifiers differ), RFC 4271 §8.2.2 OpenSent Event 22 (BGPOpenMsgErr → Idle).
    @Test(arguments: OpenFault.allCases)
    func badOpenIsAnsweredWithTheOpenMessageErrorSubcode(fault: OpenFault) {
        var speaker = BGPSpeaker(configuration: fault.configuration)
        _ = speaker.start(now: 0)
        _ = speaker.tcpConnected(now: 0)
        let actions = speaker.receive(bytes: fault.open, now: 1)
        #expect(actions.first == .send(BGPMessage.notification(fault.expected).encoded()))
        #expect(actions.contains(.close))
        #expect(speaker.state == .idle && speaker.lastError == .notificationSent(fault.expected))
    }

    // RFC 6286 §2.2: between different ASes the same BGP Identifier is allowed.
    @Test func externalPeerMayShareOurIdentifier() {
        var speaker = BGPSpeaker(configuration: BGPLab.speaker())
        _ = speaker.start(now: 0)
        _ = speaker.tcpConnected(now: 0)
        _ = speaker.receive(bytes: bgpRawOpen(identifier: BGPLab.routerA.value), now: 1)
        #expect(speaker.state == .openConfirm)
    }

    // RFC 4271 §6.2 Bad Peer AS on the wire, and the peer's view of it (§6.4, NotifMsg in OpenConfirm).
    @Test func misconfiguredPeerASIsRejectedOnTheWire() {
        var link = BGPBackToBack(BGPLab.speaker(peer: 65003),
                                 BGPLab.speaker(as: 65002, peer: 65001, id: BGPLab.routerB, passive: true),
                                 chunkSizes: [1])
        link.start()
        #expect(link.notificationsSent(by: .a) == [BGPNotification(code: 2, subcode: 2)])
        #expect(link.notificationsReceived(by: .b) == [BGPNotification(code: 2, subcode: 2)])
        #expect(link.a.state == .idle && link.b.state == .idle && link.a.establishedTransitions == 0)
    }

    // RFC 4271 §6.1: a bad marker (1), a bad length with the Length field as data (2), a bad type with
    // the Type field as data (3); the header is judged as soon as its 19 bytes are in, byte by byte.
    @Test(arguments: HeaderFault.allCases)
    func badHeaderIsAnsweredWithMessageHeaderError(fault: HeaderFault) {
        var link = BGPLab.established()
        for (index, byte) in fault.bytes.enumerated() where link.a.state == .established {
            link.inject([byte], into: .a)
            if link.a.state != .established { #expect(index == 18, "judged after the 19th byte") }
        }
        #expect(link.notificationsSent(by: .a) == [fault.expected])
        #expect(link.notificationsReceived(by: .b) == [fault.expected])
        #expect(link.a.state == .idle && link.b.lastError == .notificationReceived(fault.expected))
    }

    // RFC 8654 §3 and §4: with Extended Message on both ends an UPDATE may exceed 4096 bytes;
    // without it the sender packs its routes into UPDATEs of at most 4096 bytes.
    @Test(arguments: [false, true])
    func largeAnnouncementsFitTheNegotiatedMessageSize(extendedMessage: Bool) {
        let routes = (0..<1200).map { index in
            BGPLab.route("10.\(index / 256).\(index % 256).1", 32, via: "192.0.2.1")
        }
        var link = BGPBackToBack(
            BGPLab.speaker(extendedMessage: extendedMessage, routes: routes),
            BGPLab.speaker(as: 65002, peer: 65001, id: BGPLab.routerB, passive: true, extendedMessage: extendedMessage),
            chunkSizes: [1460])
        link.start()
        #expect(link.b.state == .established && link.b.adjRIBIn.count(.ipv4Unicast) == 1200)
        let sizes = link.actions(of: .a).compactMap { if case .send(let bytes) = $0, bytes[18] == 2 { bytes.count } else { nil } }
        if extendedMessage {
            #expect(sizes.contains { $0 > 4096 })
        } else {
            #expect(sizes.allSatisfy { $0 <= 4096 } && sizes.count > 3)
        }
    }
}
