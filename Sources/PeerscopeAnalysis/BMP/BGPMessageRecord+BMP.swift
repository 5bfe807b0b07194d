import PeerscopeWire

extension BGPMessageRecord {
    /// A BGP message carried inside a BMP message (Route Monitoring, the OPENs of Peer Up, the
    /// NOTIFICATION of Peer Down), attributed to the BMP record's frame so that the BGP renderers
    /// show it like any other.
    public init(inside record: BMPMessageRecord, bytes: [UInt8], message: Result<BGPMessage, WireError>) {
        let header: BGPHeader? = bytes.count >= BGPHeader.length
            ? bytes.withUnsafeBytes { view in var cursor = ByteCursor(view); return try? BGPHeader.decode(&cursor) } : nil
        self.init(frameNumber: record.frameNumber, timeNanoseconds: record.timeNanoseconds, source: record.source,
                  destination: record.destination, sourcePort: record.sourcePort, destinationPort: record.destinationPort,
                  ttl: record.ttl, length: header?.length ?? bytes.count, typeCode: bytes.count > 18 ? bytes[18] : 0,
                  markerValid: header?.markerValid ?? false, message: message)
    }
}
