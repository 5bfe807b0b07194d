/// Flow specification components as tshark's tree prints them
/// ("Filter: Destination port filter (=80 || =443)"), so a user can hold peerscope's `-V` output
/// against Wireshark's. Facts from tshark 4.0's output: operators joined by " || ", or " && " when
/// the AND bit is set; numeric relations as ">", "<", "=" in that order ("><" for lt|gt); bitmask
/// operators printed with the same relation signs (not-bit as ">", match-bit as "="), then a space
/// and the flag letters; DSCP values by name; no relation bit prints the bare value.
extension BGPFlowSpecRule {
    /// tshark's `bgp.flowspec_nlri.filter_type` value strings (tshark 4.0 has no name for 13).
    public static func componentName(_ type: UInt8) -> String {
        switch type {
        case 1: "Destination prefix filter"
        case 2: "Source prefix filter"
        case 3: "Protocol / Next Header filter"
        case 4: "Port filter"
        case 5: "Destination port filter"
        case 6: "Source port filter"
        case 7: "ICMP type filter"
        case 8: "ICMP code filter"
        case 9: "TCP flags filter"
        case 10: "Packet Length filter"
        case 11: "DSCP marking filter"
        case 12: "IP fragment filter"
        case 13: "Flow label filter"
        default: "Unknown filter \(type)"
        }
    }

    /// "Destination port filter (=80 || =443)", one per component.
    public var filterTexts: [String] {
        components.map { component in
            let name = Self.componentName(component.type)
            switch component {
            case .prefix(_, let address, let length, let offset):
                // RFC 8956 §3.1: the address holds the pattern at bits offset … length − 1. tshark 4.0
                // ignores the offset (it prints the pattern octets from bit 0); the offset is named here.
                let from = (offset ?? 0) == 0 ? "" : " offset \(offset ?? 0)"
                return "\(name) (\(address)/\(length)\(from))"
            case .operators(let type, let list):
                let text = list.enumerated().map { index, op in
                    (index == 0 ? "" : op.and ? " && " : " || ") + Self.operatorText(op, type: type)
                }.joined()
                return "\(name) (\(text))"
            case .unknown(_, let bytes):
                return "\(name) (\(bytes.count) bytes not decoded)"
            }
        }
    }

    static func operatorText(_ op: Operator, type: UInt8) -> String {
        let relation = (op.greaterThan ? ">" : "") + (op.lessThan ? "<" : "") + (op.equal ? "=" : "")
        switch type {
        // tshark names URG to FIN only; CWR and ECE print no letter.
        case 9: return relation + " " + flagLetters(op.value, ["", "", "U", "A", "P", "R", "S", "F"])
        case 12:
            // RFC 8955 §4.2.2.12: DF 0x01, IsF 0x02, FF 0x04, LF 0x08, listed from DF up.
            let names = [(UInt64(1), "DF"), (2, "IsF"), (4, "FF"), (8, "LF")]
            return relation + " " + names.filter { op.value & $0.0 != 0 }.map(\.1).joined()
        case 11: return relation + dscpName(op.value)
        default: return relation + "\(op.value)"
        }
    }

    /// Letters of the set bits, most significant of the low byte first.
    private static func flagLetters(_ value: UInt64, _ names: [String]) -> String {
        var text = ""
        for (index, name) in names.enumerated() where value & (0x80 >> UInt64(index)) != 0 { text += name }
        return text
    }

    /// tshark's `ip.dsfield.dscp` value strings (RFC 2474, 2597, 3246, 5865, 8622).
    static func dscpName(_ value: UInt64) -> String {
        switch value {
        case 0: "Default"
        case 1: "Lower Effort"
        case 8, 16, 24, 32, 40, 48, 56: "Class Selector \(value / 8)"
        case 10, 12, 14, 18, 20, 22, 26, 28, 30, 34, 36, 38: "Assured Forwarding \(value / 8)\((value % 8) / 2)"
        case 44: "Voice Admit"
        case 46: "Expedited Forwarding"
        default: "Unknown DSCP"
        }
    }
}
