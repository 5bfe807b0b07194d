/// A Flow Specification rule (SAFI 133, RFC 8955 §4; IPv6 RFC 8956 §3; SAFI 134 with an RD first,
/// RFC 8955 §8):
///
///     | length (8, or 16 with 0xF in the top nibble when ≥ 240) | [RD (8)] | components, type order |
///
/// Components 1 and 2 are prefixes (IPv6 adds an offset byte); 3–8, 10, 11 and 13 are lists of
/// numeric operators, 9 (TCP flags) and 12 (fragment) lists of bitmask operators:
///
///     operator byte: | e end (1) | a and (1) | len (2): value is 1 << len bytes | lt gt eq (3 low) |
///                    bitmask: | e | a | len | 0 0 | not (1) | m match (1) |
///
/// A component type this codec does not know ends the walk (its length is not self-described),
/// so the rest of the rule is kept raw: the rule's own length keeps the next rule readable.
public struct BGPFlowSpecRule: Hashable, Sendable, CustomStringConvertible {
    public var routeDistinguisher: BGPRouteDistinguisher?
    public var components: [Component]
    public var pathID: UInt32?

    public enum Component: Hashable, Sendable {
        /// Type 1 destination or 2 source prefix; `offset` only for IPv6 (RFC 8956 §3.1).
        case prefix(type: UInt8, address: IPAddress, length: UInt8, offset: UInt8?)
        case operators(type: UInt8, [Operator])
        case unknown(type: UInt8, bytes: [UInt8])

        public var type: UInt8 {
            switch self {
            case .prefix(let type, _, _, _), .operators(let type, _), .unknown(let type, _): type
            }
        }
    }

    /// One `op value` pair; the raw operator byte is kept so encoding is exact.
    public struct Operator: Hashable, Sendable {
        public var flags: UInt8
        public var value: UInt64

        public init(flags: UInt8, value: UInt64) {
            self.flags = flags
            self.value = value
        }

        public var endOfList: Bool { flags & 0x80 != 0 }
        public var and: Bool { flags & 0x40 != 0 }
        public var valueLength: Int { 1 << Int((flags >> 4) & 3) }
        public var lessThan: Bool { flags & 0x04 != 0 }
        public var greaterThan: Bool { flags & 0x02 != 0 }
        public var equal: Bool { flags & 0x01 != 0 }
        public var not: Bool { flags & 0x02 != 0 }
        public var match: Bool { flags & 0x01 != 0 }
    }

    public init(routeDistinguisher: BGPRouteDistinguisher? = nil, components: [Component], pathID: UInt32? = nil) {
        self.routeDistinguisher = routeDistinguisher
        self.components = components
        self.pathID = pathID
    }

    /// "RD 65000:100 Destination prefix filter (10.0.0.0/24), Destination port filter (=80 || =443)".
    public var description: String {
        (routeDistinguisher.map { "RD \($0) " } ?? "") + filterTexts.joined(separator: ", ")
            + (pathID.map { " path \($0)" } ?? "")
    }

    static func decode(_ reader: inout NLRIReader, v6: Bool, vpn: Bool, pathID: UInt32?) throws(WireError) -> BGPFlowSpecRule {
        let first = try reader.u8()
        let length = first >= 0xF0 ? Int(first & 0x0F) << 8 | Int(try reader.u8()) : Int(first)
        var body = try reader.sub(length)
        let rd = vpn ? BGPRouteDistinguisher(rawValue: try body.u64()) : nil
        var components: [Component] = []
        while body.remaining > 0 {
            let type = try body.u8()
            switch type {
            case 1, 2:
                let bits = Int(try body.u8())
                let offset: UInt8? = v6 ? try body.u8() : nil
                // RFC 8956 §3.1: the pattern holds bits offset … length − 1 of the address; it is
                // kept at those positions (tshark prints it so), not left-aligned.
                let patternBits = bits - Int(offset ?? 0)
                guard patternBits >= 0 else { throw WireError(.bgp, .badPrefixLength(bits), at: body.offset) }
                let pattern = try body.prefix(bits: patternBits, v6: v6)
                components.append(.prefix(type: type, address: Self.shifted(pattern, right: Int(offset ?? 0)),
                                          length: UInt8(bits), offset: offset))
            case 3...13:
                var list: [Operator] = []
                var op: Operator
                repeat {
                    let flags = try body.u8()
                    let width = 1 << Int((flags >> 4) & 3)
                    var value: UInt64 = 0
                    for _ in 0..<width { value = value << 8 | UInt64(try body.u8()) }
                    op = Operator(flags: flags, value: value)
                    list.append(op)
                } while !op.endOfList
                components.append(.operators(type: type, list))
            default:
                components.append(.unknown(type: type, bytes: try body.bytes(body.remaining)))
            }
        }
        return BGPFlowSpecRule(routeDistinguisher: rd, components: components, pathID: pathID)
    }

    /// An IPv6 address moved by `right` bits (negative: to the left); IPv4 has no offset.
    static func shifted(_ address: IPAddress, right: Int) -> IPAddress {
        guard right != 0, case .v6(let v6) = address else { return address }
        let value = UInt128(v6.high) << 64 | UInt128(v6.low)
        let moved = right > 0 ? value >> UInt128(min(right, 128)) : value << UInt128(min(-right, 128))
        return .v6(IPv6Address(high: UInt64(truncatingIfNeeded: moved >> 64), low: UInt64(truncatingIfNeeded: moved)))
    }

    func encode(into bytes: inout [UInt8]) {
        var body: [UInt8] = []
        if let routeDistinguisher { body.appendUInt64(routeDistinguisher.rawValue) }
        for component in components {
            body.append(component.type)
            switch component {
            case .prefix(_, let address, let length, let offset):
                body.append(length)
                if let offset { body.append(offset) }
                body += Self.shifted(address, right: -Int(offset ?? 0)).prefixBytes(bits: Int(length) - Int(offset ?? 0))
            case .operators(_, let list):
                for op in list {
                    body.append(op.flags)
                    for index in stride(from: op.valueLength - 1, through: 0, by: -1) {
                        body.append(UInt8(truncatingIfNeeded: op.value >> (8 * UInt64(index))))
                    }
                }
            case .unknown(_, let raw): body += raw
            }
        }
        if body.count >= 240 {
            bytes.append(0xF0 | UInt8(truncatingIfNeeded: body.count >> 8))
            bytes.append(UInt8(truncatingIfNeeded: body.count))
        } else {
            bytes.append(UInt8(body.count))
        }
        bytes += body
    }
}
