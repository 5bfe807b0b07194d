/// The value of one BGP-LS attribute TLV (attribute 29, RFC 9552 §5.3) read by its type, for the
/// common ones; every other type, and a known type with a length its RFC does not allow, stays
/// `.raw` (shown as name + hex, never an error: the attribute's TLV framing was already checked).
///
///     1026 Node Name (§5.3.1.3): UTF-8 text, 1–255 octets
///     1028/1030 IPv4, 1029/1031 IPv6 Router-ID of the local/remote node (§5.3.1.4, §5.3.2.1)
///     1088 Administrative group (§5.3.2.2, RFC 5305 §3.1): 32-bit mask
///     1089, 1090 Maximum / maximum reservable bandwidth: IEEE float, bytes per second
///     1091 Unreserved bandwidth: eight IEEE floats, one per priority
///     1092 TE Default Metric: up to 4 octets; 1095 IGP Metric: 1–3 octets (§5.3.2.4, a 1-octet
///          IS-IS small metric has its two high bits zero and ignored)
///     1096 Shared Risk Link Group: 32-bit values; 1155 Prefix Metric: 4 octets
///     1034 SR Capabilities (RFC 9085 §2.1.2): flags (1), reserved (1), then ranges:
///          range size (3) | SID/Label sub-TLV 1161: type (2) | length (2) | label (3) or index (4)
public enum BGPLinkStateAttributeValue: Hashable, Sendable {
    case nodeName(String)
    case routerID(IPAddress)
    case adminGroup(UInt32)
    case bandwidth(Float)
    case unreservedBandwidth([Float])
    case metric(UInt32)
    case srlg([UInt32])
    case srCapabilities(flags: UInt8, ranges: [SRRange])
    case raw([UInt8])

    public struct SRRange: Hashable, Sendable {
        public var size: UInt32
        /// A 20-bit label (3-octet SID/Label) or a 32-bit SID index (4 octets).
        public var label: UInt32?
        public var index: UInt32?

        public init(size: UInt32, label: UInt32?, index: UInt32?) {
            self.size = size
            self.label = label
            self.index = index
        }
    }

    public init(type: UInt16, value: [UInt8]) {
        func word(_ bytes: ArraySlice<UInt8>) -> UInt32 { bytes.reduce(0) { $0 << 8 | UInt32($1) } }
        func words(_ bytes: [UInt8]) -> [UInt32] {
            stride(from: 0, to: bytes.count, by: 4).map { word(bytes[$0..<$0 + 4]) }
        }
        switch (type, value.count) {
        case (1026, 1...255): self = .nodeName(String(decoding: value, as: UTF8.self))
        case (1028, 4), (1030, 4): self = .routerID(.v4(IPv4Address(word(value[...]))))
        case (1029, 16), (1031, 16):
            let high = value[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = value[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .routerID(.v6(IPv6Address(high: high, low: low)))
        case (1088, 4): self = .adminGroup(word(value[...]))
        case (1089, 4), (1090, 4): self = .bandwidth(Float(bitPattern: word(value[...])))
        case (1091, 32): self = .unreservedBandwidth(words(value).map(Float.init(bitPattern:)))
        case (1092, 1...4), (1155, 4): self = .metric(word(value[...]))
        case (1095, 1): self = .metric(UInt32(value[0] & 0x3F))
        case (1095, 2...3): self = .metric(word(value[...]))
        case (1096, let count) where count > 0 && count % 4 == 0: self = .srlg(words(value))
        case (1034, let count) where count >= 2:
            guard let ranges = Self.ranges(value[2...]) else { self = .raw(value); return }
            self = .srCapabilities(flags: value[0], ranges: ranges)
        default: self = .raw(value)
        }
    }

    /// RFC 9085 §2.1.2's range entries; nil when one does not parse.
    private static func ranges(_ bytes: ArraySlice<UInt8>) -> [SRRange]? {
        var ranges: [SRRange] = []
        var index = bytes.startIndex
        func take(_ count: Int) -> UInt32? {
            guard bytes.endIndex - index >= count else { return nil }
            defer { index += count }
            return bytes[index..<index + count].reduce(0) { $0 << 8 | UInt32($1) }
        }
        while index < bytes.endIndex {
            guard let size = take(3), take(2) == 1161, let length = take(2), length == 3 || length == 4,
                  let sid = take(Int(length)) else { return nil }
            ranges.append(SRRange(size: size, label: length == 3 ? sid & 0xF_FFFF : nil, index: length == 4 ? sid : nil))
        }
        return ranges
    }
}

extension BGPAttributeTLV {
    /// This TLV read as a BGP-LS attribute TLV (meaningful inside attribute 29 only).
    public var linkStateValue: BGPLinkStateAttributeValue { BGPLinkStateAttributeValue(type: type, value: value) }
}
