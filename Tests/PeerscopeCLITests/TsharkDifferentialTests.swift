import Foundation
import Testing

/// Every BFD field of every frame of every bundled capture must equal what Wireshark's tshark
/// prints for it. tshark missing is a failure, not a skip: this is the project's second opinion.
@Suite("differential: peerscope decode --json vs tshark", .serialized)
struct TsharkDifferentialTests {
    /// tshark field → the peerscope JSON key holding the same value.
    static let fields: [(tshark: String, ours: String)] = [
        ("udp.srcport", "udp.srcport"), ("udp.dstport", "udp.dstport"),
        ("bfd.version", "bfd.version"), ("bfd.diag", "bfd.diag"), ("bfd.sta", "bfd.sta"),
        ("bfd.flags.p", "bfd.flags.p"), ("bfd.flags.f", "bfd.flags.f"), ("bfd.flags.c", "bfd.flags.c"),
        ("bfd.flags.a", "bfd.flags.a"), ("bfd.flags.d", "bfd.flags.d"), ("bfd.flags.m", "bfd.flags.m"),
        ("bfd.detect_time_multiplier", "bfd.detect_time_multiplier"), ("bfd.message_length", "bfd.message_length"),
        ("bfd.my_discriminator", "bfd.my_discriminator"), ("bfd.your_discriminator", "bfd.your_discriminator"),
        ("bfd.desired_min_tx_interval", "bfd.desired_min_tx_interval"),
        ("bfd.required_min_rx_interval", "bfd.required_min_rx_interval"),
        ("bfd.required_min_echo_interval", "bfd.required_min_echo_interval"),
        ("bfd.auth.type", "bfd.auth.type"), ("bfd.auth.key", "bfd.auth.key"), ("bfd.auth.seq_num", "bfd.auth.seq_num"),
    ]
    static let addressFields = ["ip.src", "ip.dst", "ip.ttl", "ipv6.src", "ipv6.dst", "ipv6.hlim"]

    @Test("tshark is installed (CI installs it with tools/setup)")
    func tsharkPresent() {
        #expect(CLI.which("tshark") != nil, "tshark not found: run tools/setup")
    }

    @Test("there are captures to compare")
    func capturesPresent() {
        #expect(CLI.captureFiles().count >= 5)
    }

    @Test("every BFD field of every frame agrees with tshark", arguments: CLI.captureFiles())
    func agrees(capture: String) throws {
        let tshark = try #require(CLI.which("tshark"), "tshark not found: run tools/setup")
        let ours = try CLI.peerscope("decode", "--json", capture)
        #expect(ours.status == 0, "peerscope failed on \(capture): \(ours.stderr)")
        var records: [Int: [String: Any]] = [:]
        for line in ours.stdoutLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let number = try #require(object["frame.number"] as? Int)
            records[number] = object
        }

        let names = ["frame.number", "_ws.col.Protocol", "frame.time_epoch"] + Self.addressFields + Self.fields.map(\.tshark)
        // BFD quoted inside an ICMP error is ICMP, not BFD traffic (peerscope counts it as ICMP).
        let theirs = try CLI.run(tshark, ["-r", capture, "-Y", "(bfd || bfd_echo) && !icmp && !icmpv6", "-T", "fields",
                                          "-E", "separator=\t", "-E", "occurrence=l"] + names.flatMap { ["-e", $0] })
        #expect(theirs.status == 0, "tshark failed on \(capture): \(theirs.stderr)")
        var compared = 0
        var tsharkFrames = Set<Int>()
        for line in theirs.stdoutLines {
            let values = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard values.count == names.count, let number = Int(values[0]) else {
                Issue.record("unreadable tshark line: \(line)")
                continue
            }
            tsharkFrames.insert(number)
            let column = Dictionary(uniqueKeysWithValues: zip(names, values))
            guard let record = records[number] else {
                Issue.record("\(capture) frame \(number): tshark shows BFD, peerscope does not")
                continue
            }
            let where_ = "\(capture) frame \(number)"
            // Time: same instant to the nanosecond tshark prints.
            if let epoch = record["frame.time_epoch_ns"] as? Int, let theirEpoch = column["frame.time_epoch"] {
                #expect(Self.nanoseconds(theirEpoch) == epoch, "\(where_): time")
            }
            let v6 = (record["ip.version"] as? Int) == 6
            #expect(record["ip.src"] as? String == column[v6 ? "ipv6.src" : "ip.src"], "\(where_): source address")
            #expect(record["ip.dst"] as? String == column[v6 ? "ipv6.dst" : "ip.dst"], "\(where_): destination address")
            #expect(Self.integer(record["ip.ttl"]) == Self.integer(column[v6 ? "ipv6.hlim" : "ip.ttl"]), "\(where_): ttl")
            if record["peerscope.bfd.kind"] as? String == "echo" {
                #expect(column["_ws.col.Protocol"]?.contains("Echo") == true || column["udp.dstport"] == "3785",
                        "\(where_): echo")
                compared += 1
                continue
            }
            guard record["peerscope.bfd.kind"] as? String == "control" else { continue }
            for (field, key) in Self.fields {
                let theirValue = column[field] ?? ""
                let ourValue = record[key]
                if field.hasPrefix("bfd.auth"), theirValue.isEmpty {
                    #expect(ourValue is NSNull, "\(where_): \(key) present but tshark has none")
                    continue
                }
                #expect(Self.integer(ourValue) == Self.integer(theirValue),
                        "\(where_): \(key) = \(String(describing: ourValue)), tshark \(field) = \(theirValue)")
            }
            compared += 1
        }
        let ourFrames = Set(records.compactMap { key, value in (value["peerscope.bfd.kind"] as? String) != nil ? key : nil })
        #expect(ourFrames == tsharkFrames, "\(capture): BFD frame sets differ (only ours: \(ourFrames.subtracting(tsharkFrames).sorted().prefix(10)), only tshark: \(tsharkFrames.subtracting(ourFrames).sorted().prefix(10)))")
        // A capture without BFD (the BGP-only lab scenario) has nothing to compare, and both agree on that.
        #expect(compared > 0 || (tsharkFrames.isEmpty && ourFrames.isEmpty), "\(capture): no BFD frame compared")
    }

    /// tshark prints integers in decimal or hex (`0x00000001`), booleans as 1/0 or True/False.
    static func integer(_ value: Any?) -> Int64? {
        switch value {
        case let number as Int: return Int64(number)
        case let flag as Bool: return flag ? 1 : 0
        case let text as String:
            if text.isEmpty { return nil }
            if text == "True" { return 1 }
            if text == "False" { return 0 }
            if text.hasPrefix("0x") { return Int64(text.dropFirst(2), radix: 16) }
            return Int64(text)
        default: return nil
        }
    }

    /// "1700000000.123456789" → ns, exactly (no floating point).
    static func nanoseconds(_ text: String) -> Int? {
        let parts = text.split(separator: ".")
        guard let seconds = Int(parts[0]) else { return nil }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        fraction = String((fraction + "000000000").prefix(9))
        return seconds * 1_000_000_000 + (Int(fraction) ?? 0)
    }
}
