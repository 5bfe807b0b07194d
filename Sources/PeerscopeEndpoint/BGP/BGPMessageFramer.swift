import PeerscopeWire

/// A peer's misbehaviour that ends the session: the NOTIFICATION to send (RFC 4271 §6).
struct BGPErrorNotification: Error, Hashable, Sendable {
    var notification: BGPNotification

    init(code: UInt8, subcode: UInt8, data: [UInt8] = []) {
        notification = BGPNotification(code: code, subcode: subcode, data: data)
    }

    static func messageHeader(_ subcode: UInt8, data: [UInt8] = []) -> Self { Self(code: 1, subcode: subcode, data: data) }
    static func open(_ subcode: UInt8, data: [UInt8] = []) -> Self { Self(code: 2, subcode: subcode, data: data) }
    static func update(_ subcode: UInt8, data: [UInt8] = []) -> Self { Self(code: 3, subcode: subcode, data: data) }
}

/// Cuts the session's TCP byte stream into whole BGP messages for the speaker.
///
/// Unlike the analyzer's framer, this one never resynchronises: a speaker that meets a bad header
/// cannot trust anything after it, so the first bad marker, length or type is the session's end with
/// the Message Header Error of RFC 4271 §6.1. Bytes may arrive in any chunking.
struct BGPMessageFramer: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    /// 4096 until both ends agreed on Extended Message (RFC 8654 §3: OPEN is never longer).
    var maximumLength = BGPHeader.maximumLength

    mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0, start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func reset() {
        buffer.removeAll()
        start = 0
        maximumLength = BGPHeader.maximumLength
    }

    /// The next whole message, header included; nil until all of it has arrived.
    mutating func next() throws(BGPErrorNotification) -> [UInt8]? {
        guard buffer.count - start >= BGPHeader.length else { return nil }
        // RFC 4271 §6.1: a marker that is not all ones is "Connection Not Synchronized".
        for index in start..<(start + 16) where buffer[index] != 0xFF {
            throw .messageHeader(1)
        }
        let lengthField = [buffer[start + 16], buffer[start + 17]]
        let length = Int(lengthField[0]) << 8 | Int(lengthField[1])
        let type = BGPMessageType(rawValue: buffer[start + 18])
        // §6.1: the Data field of Bad Message Length carries the erroneous Length field.
        guard length >= BGPHeader.length, length <= maximumLength,
              Self.lengthFits(type: type, length: length) else { throw .messageHeader(2, data: lengthField) }
        if case .unknown(let value) = type {
            // §6.1: the Data field of Bad Message Type carries the erroneous Type field.
            throw .messageHeader(3, data: [value])
        }
        guard buffer.count - start >= length else { return nil }
        let message = Array(buffer[start..<(start + length)])
        start += length
        return message
    }

    /// The per-type minimums of RFC 4271 §6.1 (and RFC 2918's fixed ROUTE-REFRESH length).
    private static func lengthFits(type: BGPMessageType, length: Int) -> Bool {
        switch type {
        case .open: length >= 29
        case .update: length >= 23
        case .notification: length >= 21
        case .keepalive: length == 19
        case .routeRefresh: length == 23
        case .unknown: true
        }
    }
}

/// Decodes one framed message with the codec; the caller picks the NOTIFICATION for a failure.
func decodeFramedMessage(_ bytes: [UInt8], options: BGPDecodingOptions) -> Result<BGPMessage, WireError> {
    bytes.withUnsafeBytes { view in
        do throws(WireError) {
            return .success(try BGPMessage.decode(view, options: options).1)
        } catch {
            return .failure(error)
        }
    }
}
