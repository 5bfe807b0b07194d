/// Authentication Type (RFC 5880 §4.1). 0 and 6–255 are reserved and kept as `.reserved`.
public enum BFDAuthType: Hashable, Sendable, CustomStringConvertible {
    case simplePassword
    case keyedMD5
    case meticulousKeyedMD5
    case keyedSHA1
    case meticulousKeyedSHA1
    case reserved(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .simplePassword
        case 2: self = .keyedMD5
        case 3: self = .meticulousKeyedMD5
        case 4: self = .keyedSHA1
        case 5: self = .meticulousKeyedSHA1
        default: self = .reserved(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .simplePassword: 1
        case .keyedMD5: 2
        case .meticulousKeyedMD5: 3
        case .keyedSHA1: 4
        case .meticulousKeyedSHA1: 5
        case .reserved(let value): value
        }
    }

    /// The Auth Len each type requires (§4.2–§4.4); `nil` where it varies (password) or is unknown.
    public var fixedLength: Int? {
        switch self {
        case .keyedMD5, .meticulousKeyedMD5: 24
        case .keyedSHA1, .meticulousKeyedSHA1: 28
        case .simplePassword, .reserved: nil
        }
    }

    /// Keyed types carry a sequence number; meticulous ones must increment it on every packet.
    public var hasSequenceNumber: Bool { fixedLength != nil }
    public var isMeticulous: Bool { self == .meticulousKeyedMD5 || self == .meticulousKeyedSHA1 }
    public var digestLength: Int {
        switch self {
        case .keyedMD5, .meticulousKeyedMD5: 16
        case .keyedSHA1, .meticulousKeyedSHA1: 20
        case .simplePassword, .reserved: 0
        }
    }

    public var description: String {
        switch self {
        case .simplePassword: "simple-password"
        case .keyedMD5: "keyed-md5"
        case .meticulousKeyedMD5: "meticulous-keyed-md5"
        case .keyedSHA1: "keyed-sha1"
        case .meticulousKeyedSHA1: "meticulous-keyed-sha1"
        case .reserved(let value): "reserved-\(value)"
        }
    }
}

/// Up to 20 bytes held inline (a password of 1–16 bytes, an MD5 or SHA1 digest), so decoding an
/// authenticated packet allocates nothing.
public struct AuthBytes: Hashable, Sendable {
    public static let capacity = 20
    private var storage: InlineArray<20, UInt8>
    public private(set) var count: Int

    public init() {
        storage = InlineArray(repeating: 0)
        count = 0
    }

    /// Keeps at most `capacity` bytes.
    public init(_ bytes: some Collection<UInt8>) {
        self.init()
        for byte in bytes.prefix(Self.capacity) {
            storage[count] = byte
            count += 1
        }
    }

    init(_ view: UnsafeRawBufferPointer) {
        self.init()
        let n = min(view.count, Self.capacity)
        for index in 0..<n { storage[index] = view[index] }
        count = n
    }

    public var bytes: [UInt8] { (0..<count).map { storage[$0] } }

    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "AuthBytes index out of range")
        return storage[index]
    }

    public static func == (lhs: AuthBytes, rhs: AuthBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for index in 0..<count { hasher.combine(storage[index]) }
    }
}

/// The optional Authentication Section (RFC 5880 §4.2 simple password, §4.3 keyed MD5 and
/// meticulous keyed MD5, §4.4 keyed SHA1 and meticulous keyed SHA1):
///
///     | Auth Type | Auth Len | Auth Key ID | password (1–16)                           |  simple
///     | Auth Type | Auth Len | Auth Key ID | Reserved | Sequence Number | digest 16/20 |  keyed
public struct BFDAuthentication: Hashable, Sendable {
    public var type: BFDAuthType
    /// Auth Len as on the wire.
    public var length: UInt8
    public var keyID: UInt8
    /// Keyed types only.
    public var sequenceNumber: UInt32?
    /// The password (simple) or the digest (keyed); for reserved types the bytes after the key ID.
    public var data: AuthBytes

    public init(type: BFDAuthType, keyID: UInt8, sequenceNumber: UInt32? = nil, data: AuthBytes,
                length: UInt8? = nil) {
        self.type = type
        self.keyID = keyID
        self.sequenceNumber = sequenceNumber
        self.data = data
        self.length = length ?? UInt8(type.fixedLength ?? (3 + data.count))
    }

    /// A simple-password section (§4.2); the password must be 1–16 bytes.
    public static func simplePassword(keyID: UInt8, password: some Collection<UInt8>) -> BFDAuthentication {
        BFDAuthentication(type: .simplePassword, keyID: keyID, data: AuthBytes(password.prefix(16)))
    }

    /// A keyed section with a zero digest; fill `data` after computing the digest (see
    /// `BFDControlPacket.digestInput(secret:)`).
    public static func keyed(_ type: BFDAuthType, keyID: UInt8, sequenceNumber: UInt32) -> BFDAuthentication {
        BFDAuthentication(type: type, keyID: keyID, sequenceNumber: sequenceNumber,
                          data: AuthBytes(repeatElement(0, count: type.digestLength)))
    }

    /// Decodes the section that starts at `cursor`, given the bytes the BFD Length leaves for it.
    static func decode(_ cursor: inout ByteCursor, available: Int) throws(WireError) -> BFDAuthentication {
        let start = cursor.offset
        guard available >= 2, let typeValue = cursor.readUInt8(), let length = cursor.readUInt8() else {
            throw WireError(.bfd, .truncated(needed: 2, available: max(available, 0)), at: start)
        }
        let type = BFDAuthType(rawValue: typeValue)
        let declared = Int(length)
        let lengthFits: Bool
        switch type {
        case .simplePassword: lengthFits = (4...19).contains(declared)
        case .keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1:
            lengthFits = declared == type.fixedLength
        case .reserved: lengthFits = declared >= 3
        }
        guard lengthFits else { throw WireError(.bfd, .badAuthLength(type: typeValue, length: declared), at: start) }
        guard declared <= available else {
            throw WireError(.bfd, .lengthBeyondData(declared: declared, available: available), at: start)
        }
        guard let keyID = cursor.readUInt8() else {
            throw WireError(.bfd, .truncated(needed: declared, available: available), at: start)
        }
        var sequenceNumber: UInt32?
        if type.hasSequenceNumber {
            guard cursor.skip(1), let sequence = cursor.readUInt32() else {
                throw WireError(.bfd, .truncated(needed: declared, available: available), at: start)
            }
            sequenceNumber = sequence
        }
        let dataLength = declared - (cursor.offset - start)
        guard let data = cursor.readSlice(dataLength) else {
            throw WireError(.bfd, .truncated(needed: declared, available: available), at: start)
        }
        return BFDAuthentication(type: type, keyID: keyID, sequenceNumber: sequenceNumber,
                                 data: AuthBytes(data), length: length)
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(type.rawValue)
        bytes.append(length)
        bytes.append(keyID)
        if let sequenceNumber {
            bytes.append(0)
            bytes.appendUInt32(sequenceNumber)
        }
        bytes.append(contentsOf: data.bytes)
    }
}
