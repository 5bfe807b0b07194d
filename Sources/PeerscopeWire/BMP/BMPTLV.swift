/// A BMP information or statistics TLV (RFC 7854 §4.4, §4.8): type (16), length (16), value.
/// Initiation/Termination types: 0 string, 1 sysDescr, 2 sysName (Termination: 1 reason);
/// statistics types in `BMPStatistic`.
public struct BMPTLV: Hashable, Sendable {
    public var type: UInt16
    public var value: [UInt8]

    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    public init(type: UInt16, text: String) { self.init(type: type, value: Array(text.utf8)) }

    /// The value as UTF-8 text (RFC 7854 §4.4: strings are not NUL-terminated).
    public var text: String { String(decoding: value, as: UTF8.self) }

    /// A 4- or 8-octet statistics value as a number (RFC 7854 §4.8: counters 32-bit, gauges 64-bit);
    /// the per-AFI/SAFI gauges (types 9, 10) carry AFI (16) and SAFI (8) before the 64-bit gauge.
    public var counter: UInt64? {
        let digits: ArraySlice<UInt8>
        switch value.count {
        case 4, 8: digits = value[...]
        case 11: digits = value[3...]
        default: return nil
        }
        return digits.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func decodeList(_ bytes: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> [BMPTLV] {
        var cursor = ByteCursor(bytes)
        var list: [BMPTLV] = []
        while cursor.remaining > 0 {
            let start = cursor.offset
            guard let type = cursor.readUInt16(), let length = cursor.readUInt16() else {
                throw WireError(.bmp, .truncated(needed: 4, available: bytes.count - start), at: offset + start)
            }
            guard let value = cursor.readSlice(Int(length)) else {
                throw WireError(.bmp, .lengthBeyondData(declared: Int(length), available: cursor.remaining), at: offset + start)
            }
            list.append(BMPTLV(type: type, value: Array(value)))
        }
        return list
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt16(type)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: value.count))
        bytes += value
    }
}
