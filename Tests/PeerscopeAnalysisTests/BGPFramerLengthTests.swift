import PeerscopeAnalysis
import PeerscopeWire
import Testing

/// RFC 4271 §4.1: "The value of the Length field MUST always be at least 19 and no greater than
/// 4096"; RFC 8654 §4: a speaker that has not negotiated Extended Message and receives a longer
/// message treats it as a Bad Message Length (§6.1: NOTIFICATION 1/2, data = the Length field).
/// Messages here are written byte by byte from those layouts.
@Suite("BGP framer: lengths above 4,096 without Extended Message")
struct BGPFramerLengthTests {
    static let keepalive: [UInt8] = Array(repeating: 0xFF, count: 16) + [0, 19, 4]

    /// A withdrawal-only UPDATE of exactly `length` bytes (RFC 4271 §4.3): Withdrawn Routes Length,
    /// /24s of 10.0.0.0/8 (4 bytes each) and one /32 (5 bytes) to fill, Total Path Attribute Length 0.
    static func withdrawalUpdate(length: Int) -> [UInt8] {
        let room = length - 19 - 2 - 2
        var withdrawn: [UInt8]
        switch room % 4 {
        case 1: withdrawn = [32, 10, 255, 255, 1]
        case 2: withdrawn = [16, 10, 1, 16, 10, 2]
        case 3: withdrawn = [16, 10, 3]
        default: withdrawn = []
        }
        var index = 0
        while withdrawn.count < room {
            withdrawn += [24, 10, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)]
            index += 1
        }
        precondition(withdrawn.count == room)
        return Array(repeating: 0xFF, count: 16) + [UInt8(length >> 8), UInt8(length & 0xFF), 2]
            + [UInt8(room >> 8), UInt8(room & 0xFF)] + withdrawn + [0, 0]
    }

    @Test("at a message boundary: a 5,000-byte header is returned alone, counted, and framing resumes at the next header")
    func badLengthIsTheHeaderAlone() {
        let update = Self.withdrawalUpdate(length: 5_000)
        #expect(update.count == 5_000)
        var framer = BGPFramer()
        #expect(framer.maximumLength == 4_096)
        framer.append(Self.keepalive + update + Self.keepalive)
        var messages: [[UInt8]] = []
        while let message = framer.next() { messages.append(message) }
        #expect(messages == [Self.keepalive, Array(update.prefix(19)), Self.keepalive])
        #expect(framer.badLengths == 1)
        #expect(framer.skippedBytes == 5_000 - 19)
    }

    @Test("4,096 is still accepted; with Extended Message negotiated, 5,000 and 65,535 are framed whole")
    func limits() {
        let longest = Self.withdrawalUpdate(length: 4_096)
        var framer = BGPFramer()
        framer.append(longest)
        #expect(framer.next() == longest)
        framer.maximumLength = 65_535
        for length in [5_000, 65_535] {
            let update = Self.withdrawalUpdate(length: length)
            framer.append(update)
            #expect(framer.next() == update)
        }
        #expect(framer.badLengths == 0)
    }

    @Test("a connection picked up mid-stream (OPENs unknown) accepts up to 65,535")
    func midStream() {
        var framer = BGPFramer(startsAtMessageBoundary: false)
        #expect(framer.maximumLength == 65_535)
        let update = Self.withdrawalUpdate(length: 5_000)
        framer.append([1, 2, 3] + update)
        #expect(framer.next() == update)
    }

    // MARK: through the stream tracker: the OPENs decide

    private static func open(extended: Bool, identifier: UInt8) -> [UInt8] {
        // RFC 4271 §4.2 OPEN: version 4, My AS, Hold Time 90, BGP Identifier, Opt Parm Len, then
        // one Capabilities parameter (type 2, RFC 5492) holding Extended Message (code 6, length 0;
        // RFC 8654 §3) when asked.
        let parameters: [UInt8] = extended ? [2, 2, 6, 0] : []
        let body: [UInt8] = [4, 0xFD, 0xE8, 0, 90, 192, 0, 2, identifier, UInt8(parameters.count)] + parameters
        let length = 19 + body.count
        return Array(repeating: 0xFF, count: 16) + [0, UInt8(length), 1] + body
    }

    private func run(extended: Bool) -> [BGPMessageRecord] {
        var tracker = BGPStreamTracker()
        let a = NetworkSummary(source: .v4(IPv4Address(192, 0, 2, 1)), destination: .v4(IPv4Address(192, 0, 2, 2)),
                               ttl: 1, version: 4)
        let b = NetworkSummary(source: a.destination, destination: a.source, ttl: 1, version: 4)
        var records: [BGPMessageRecord] = []
        func send(_ fromA: Bool, _ frame: Int, _ sequence: UInt32, _ flags: TCPFlags, _ payload: [UInt8] = []) {
            let tcp = TCPHeader(sourcePort: fromA ? 50_000 : 179, destinationPort: fromA ? 179 : 50_000,
                                sequenceNumber: sequence, acknowledgmentNumber: 0, flags: flags)
            records += payload.withUnsafeBytes {
                tracker.observe(frameNumber: frame, time: Int64(frame), network: fromA ? a : b, tcp: tcp, payload: $0)
            }
        }
        let openA = Self.open(extended: extended, identifier: 1), openB = Self.open(extended: extended, identifier: 2)
        let update = Self.withdrawalUpdate(length: 5_000)
        send(true, 1, 999, [.syn])
        send(false, 2, 4_999, [.syn, .ack])
        send(true, 3, 1_000, [.ack], openA)
        send(false, 4, 5_000, [.ack], openB)
        send(true, 5, 1_000 + UInt32(openA.count), [.ack], update + Self.keepalive)
        return records
    }

    @Test("both OPENs with Extended Message: the 5,000-byte UPDATE decodes")
    func negotiated() throws {
        let records = run(extended: true)
        #expect(records.map(\.typeCode) == [1, 1, 2, 4])
        #expect(records[2].length == 5_000)
        let decoded = try records[2].message.get()
        guard case .update(let update) = decoded else { Issue.record("not an UPDATE: \(decoded)"); return }
        #expect(update.withdrawn.count == (5_000 - 23 - 5) / 4 + 1)
    }

    @Test("no Extended Message: the UPDATE is a Bad Message Length with its declared length; the KEEPALIVE after it is read")
    func notNegotiated() {
        let records = run(extended: false)
        #expect(records.map(\.typeCode) == [1, 1, 2, 4])
        #expect(records[2].length == 5_000)
        guard case .failure(let error) = records[2].message else {
            Issue.record("a 5,000-byte message without Extended Message decoded")
            return
        }
        #expect(error.offset == 16, "the Length field, which NOTIFICATION 1/2 carries as its data")
        #expect(records[3].message.map { $0 == .keepalive } == .success(true))
    }
}
