import Foundation
import Testing

/// The command line as a user meets it (issue 11 item 11): unknown IDs, the rule catalog in the
/// binary, rule IDs in any case, help that names every option, and `-V` for BFD as tshark shows it.
@Suite("command-line usage")
struct CLIUsageTests {
    @Test("an unknown --session or --bgp-session exits 2 with one line")
    func unknownSessionID() throws {
        for arguments in [["--session", "99"], ["--bgp-session", "7"]] {
            let result = try CLI.run(CLI.binary, ["timeline"] + arguments + ["captures/lab/frr-bird-failover.pcap"])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderrLines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("peerscope: "))
            #expect(result.stdout.isEmpty)
        }
        // A known ID still works: the BFD session the sessions table numbers 1.
        let known = try CLI.peerscope("timeline", "--session", "1", "captures/lab/frr-bird-failover.pcap")
        #expect(known.status == 0)
        #expect(known.stdout.contains("Session 1"))
    }

    /// `conformance/rules.json` is the catalog's source (the Swift table is generated from it).
    static func catalog() throws -> [[String: Any]] {
        let url = CLI.packageRoot.appendingPathComponent("conformance/rules.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require(object["rules"] as? [[String: Any]])
    }

    @Test("check --list-rules prints every rule of conformance/rules.json: ID, level, RFC section, one line each")
    func listRules() throws {
        let result = try CLI.peerscope("check", "--list-rules")
        #expect(result.status == 0)
        let rules = try Self.catalog()
        let lines = result.stdoutLines.dropFirst()  // the header
        #expect(lines.count == rules.count)
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            let line = try #require(lines.first { $0.hasPrefix(id + " ") }, "\(id) is listed")
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(words.count > 2 && words[1].lowercased() == (rule["level"] as? String)?.lowercased(), "\(line)")
            if let reference = rule["reference"] as? String ?? rule["rfc"] as? String {
                #expect(line.contains(reference), "\(line)")
            }
        }
    }

    @Test("rule IDs in --rules match whatever their case")
    func rulesAnyCase() throws {
        let upper = try CLI.peerscope("check", "--rules", "BFD.IP.PORT.SRC", "captures/lab/frr-bird-failover.pcap")
        let lower = try CLI.peerscope("check", "--rules", "bfd.ip.port.src", "captures/lab/frr-bird-failover.pcap")
        #expect(upper.status == 1, "this lab capture has the MUST finding (see CheckCommandTests)")
        #expect(lower.status == upper.status)
        #expect(lower.stdout == upper.stdout)
        let prefix = try CLI.peerscope("check", "--rules", "Bfd.Tmr", "captures/bfd-failover.pcap")
        #expect(prefix.status == 0)
        #expect(prefix.stdout.contains("BFD.TMR.NEGOTIATED"))
    }

    @Test("the top-level help names BGP; each subcommand's help names every option of its README synopsis")
    func help() throws {
        let top = try CLI.peerscope("--help")
        #expect(top.stdout.contains("BGP"))
        #expect(top.stdout.contains("decode") && top.stdout.contains("check"))
        // The README's synopsis lines (```-blocks starting with `peerscope VERB`) are written for
        // users: every option there must be in the binary's own help for that verb.
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var optionsByVerb: [String: Set<String>] = [:]
        var verb: String?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("peerscope ") {
                verb = trimmed.split(separator: " ").dropFirst().first.map(String.init)
            } else if !line.hasPrefix(" ") {
                verb = nil
            }
            guard let verb, ["decode", "sessions", "timeline", "check", "live", "probe", "respond"].contains(verb) else { continue }
            let scanned = trimmed.hasPrefix("peerscope ") ? trimmed.split(separator: " ").dropFirst(2).joined(separator: " ") : trimmed
            for token in scanned.split(whereSeparator: { " [|]…,".contains($0) }) where token.hasPrefix("-") && token != "-" {
                optionsByVerb[verb, default: []].insert(String(token.split(separator: "=").first!))
            }
        }
        #expect(optionsByVerb.count >= 5, "\(optionsByVerb.keys)")
        for (verb, options) in optionsByVerb {
            let help = try CLI.peerscope(verb, "--help").stdout
            for option in options {
                #expect(help.contains(option), "\(verb) --help lacks \(option)")
            }
        }
        // And the new options are in it too.
        let check = try CLI.peerscope("check", "--help").stdout
        for option in ["--list-rules", "--merge", "--merge-window"] { #expect(check.contains(option)) }
    }

    /// `Name: value` pairs of the BFD part of `tshark -V`, without the bit diagrams
    /// (`001. .... = Protocol Version: 1`) and repeated spaces.
    static func tsharkFields(_ block: [Substring]) -> [(String, String)] {
        block.compactMap { line in
            var text = line.trimmingCharacters(in: .whitespaces)
            if let equals = text.range(of: " = "), text[..<equals.lowerBound].allSatisfy({ "01. ".contains($0) }) {
                text = String(text[equals.upperBound...])
            }
            guard let colon = text.range(of: ": ") else { return nil }
            let value = text[colon.upperBound...].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            return (String(text[..<colon.lowerBound]), value)
        }
    }

    @Test("decode -V prints a BFD field tree whose names and values are tshark -V's",
          arguments: ["captures/bfd-auth-keyed-sha1.pcap", "captures/bfd-auth-simple.pcap",
                      "captures/bfd-auth-meticulous-md5.pcap", "captures/bfd-failover.pcap"])
    func bfdTree(file: String) throws {
        guard FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent(file).path) else { return }
        let tshark = try #require(CLI.which("tshark"), "tshark is installed on this machine")
        let ours = try CLI.peerscope("decode", "-V", file)
        #expect(ours.status == 0)
        let theirs = try CLI.run(tshark, ["-r", file, "-V", "-O", "bfd", "-Y", "bfd"])
        // tshark: one "BFD Control message" block per frame; ours: the indented lines under each
        // packet's summary line.
        var tsharkBlocks: [[Substring]] = []
        var inBFD = false
        for line in theirs.stdout.split(separator: "\n") {
            if !line.hasPrefix(" ") {
                inBFD = line.hasPrefix("BFD Control message")
                if inBFD { tsharkBlocks.append([]) }
            } else if inBFD {
                tsharkBlocks[tsharkBlocks.count - 1].append(line)
            }
        }
        // Ours: a summary line (frame number first) and the tree lines under it.
        var ourBlocks: [[Substring]] = []
        for line in ours.stdout.split(separator: "\n") {
            if line.trimmingCharacters(in: .whitespaces).first?.isNumber == true {
                ourBlocks.append([])
            } else if !ourBlocks.isEmpty {
                ourBlocks[ourBlocks.count - 1].append(line)
            }
        }
        #expect(ourBlocks.count == tsharkBlocks.count)
        for (mine, reference) in zip(ourBlocks, tsharkBlocks) {
            let expected = Dictionary(Self.tsharkFields(reference), uniquingKeysWith: { first, _ in first })
            let actual = Self.tsharkFields(mine)
            #expect(actual.count >= 15)
            for (name, value) in actual {
                guard var want = expected[name] else {
                    Issue.record("tshark has no field '\(name)'")
                    continue
                }
                // tshark adds its own detection time (own tx × mult, not RFC 5880 §6.8.4: see
                // STYLE.md) and the names of the set flags after the flags byte; the rest is equal.
                if name == "Detect Time Multiplier" || name == "Message Flags" {
                    want = String(want.split(separator: " ").first ?? "").trimmingCharacters(in: [","])
                }
                #expect(value == want, "\(file) \(name): ours '\(value)', tshark '\(want)'")
            }
        }
    }
}
