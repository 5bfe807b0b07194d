import PeerscopeWire

/// `peerscope decode -V` for BFD: every field of the control packet (RFC 5880 §4.1) and its
/// authentication section (§4.2–§4.4) on its own line under the packet's summary line, with the
/// field names Wireshark's BFD dissector shows in `tshark -V`, so the two read side by side.
public struct BFDTreeRenderer {
    public var indent = "    "

    public init() {}

    public func tree(_ record: DecodeRecord) -> [String] {
        guard case .control(let packet) = record.body else { return [] }
        let inner = indent + indent
        let flagsByte = packet.state.rawValue << 6 | packet.flags.rawValue
        var lines = [
            indent + "Protocol Version: \(packet.version)",
            indent + "Diagnostic Code: \(packet.diagnostic) (0x\(hex(packet.diagnostic.rawValue, digits: 2)))",
            indent + "Session State: \(packet.state) (0x\(String(packet.state.rawValue, radix: 16)))",
            indent + "Message Flags: 0x\(hex(flagsByte, digits: 2))",
        ]
        let flags: [(String, BFDFlags)] = [
            ("Poll", .poll), ("Final", .final), ("Control Plane Independent", .controlPlaneIndependent),
            ("Authentication Present", .authenticationPresent), ("Demand", .demand), ("Multipoint", .multipoint),
        ]
        for (name, flag) in flags {
            lines.append(inner + "\(name): \(packet.flags.contains(flag) ? "Set" : "Not set")")
        }
        lines += [
            indent + "Detect Time Multiplier: \(packet.detectMultiplier)",
            indent + "Message Length: \(packet.length) bytes",
            indent + "My Discriminator: 0x\(hex(packet.myDiscriminator, digits: 8))",
            indent + "Your Discriminator: 0x\(hex(packet.yourDiscriminator, digits: 8))",
            indent + "Desired Min TX Interval: \(interval(packet.desiredMinTxInterval))",
            indent + "Required Min RX Interval: \(interval(packet.requiredMinRxInterval))",
            indent + "Required Min Echo Interval: \(interval(packet.requiredMinEchoRxInterval))",
        ]
        if let auth = packet.authentication {
            let name = Self.authTypeName(auth.type)
            lines.append(indent + "Authentication: \(name)")
            lines.append(inner + "Authentication Type: \(name) (\(auth.type.rawValue))")
            lines.append(inner + "Authentication Length: \(auth.length) bytes")
            lines.append(inner + "Authentication Key ID: \(auth.keyID)")
            if let sequence = auth.sequenceNumber {
                lines.append(inner + "Sequence Number: 0x\(hex(sequence, digits: 8))")
            }
            let data = auth.data.bytes
            switch auth.type {
            case .simplePassword:
                // The password is the peer's bytes: shown as text, escaped like every wire string.
                lines.append(inner + "Password: \(String(decoding: data, as: UTF8.self))")
            case .keyedMD5, .meticulousKeyedMD5, .keyedSHA1, .meticulousKeyedSHA1:
                // RFC 5880 §4.3/§4.4 "Auth Key/Digest"; Wireshark names it Checksum for both.
                lines.append(inner + "Checksum: \(data.map { hex($0, digits: 2) }.joined())")
            case .reserved:
                lines.append(inner + "Data: \(data.map { hex($0, digits: 2) }.joined())")
            }
        }
        return lines
    }

    /// The RFC 5880 §4.1 names of the Auth Types, as IANA's BFD registry lists them.
    static func authTypeName(_ type: BFDAuthType) -> String {
        switch type {
        case .simplePassword: "Simple Password"
        case .keyedMD5: "Keyed MD5"
        case .meticulousKeyedMD5: "Meticulous Keyed MD5"
        case .keyedSHA1: "Keyed SHA1"
        case .meticulousKeyedSHA1: "Meticulous Keyed SHA1"
        case .reserved(let value): "Reserved (\(value))"
        }
    }

    /// Whole milliseconds and the exact microseconds on the wire.
    private func interval(_ microseconds: UInt32) -> String { "\(microseconds / 1_000) ms (\(microseconds) us)" }

    private func hex(_ value: some BinaryInteger, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
