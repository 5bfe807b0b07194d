import Foundation
import Testing

/// Several files in one run: `--json` is one document, `decode --json` one JSON Lines stream naming
/// each line's file, and `--merge` reads the capture points of one event as one capture. The truth
/// is the lab's manifest (`captures/lab/frr-bird-failover.json`): what was captured where, when the
/// fault was injected, and what each point could see afterwards.
@Suite("several files and --merge")
struct MergeCommandTests {
    static let atR1 = "captures/lab/frr-bird-failover-at-r1.pcap"
    static let atR2 = "captures/lab/frr-bird-failover-at-r2.pcap"

    struct Manifest {
        var packets: [String: Int] = [:]
        var firstFrameEpochNanoseconds: [String: Int64] = [:]
        var faultEpochNanoseconds: Int64 = 0
        var bfd: [String: Any] = [:]
    }

    static func manifest(_ name: String) throws -> Manifest {
        let url = CLI.packageRoot.appendingPathComponent("captures/lab/\(name).json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var manifest = Manifest()
        for capture in try #require(object["captures"] as? [[String: Any]]) {
            let file = try #require(capture["file"] as? String)
            manifest.packets[file] = capture["packets"] as? Int
            manifest.firstFrameEpochNanoseconds[file] = (capture["first_frame_epoch_ns"] as? NSNumber)?.int64Value
        }
        let fault = try #require((object["faults"] as? [[String: Any]])?.first)
        manifest.faultEpochNanoseconds = try #require((fault["epoch_ns"] as? NSNumber)?.int64Value)
        manifest.bfd = try #require(object["bfd"] as? [String: Any])
        return manifest
    }

    static func object(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                     "not one JSON object: \(result.stdout.prefix(300))")
    }

    @Test("check and sessions --json over several files print one JSON document with every file")
    func oneDocument() throws {
        let files = ["captures/bfd-ipv4-singlehop.pcap", "captures/bfd-failover.pcap"]
        let check = try CLI.run(CLI.binary, ["check", "--json"] + files)
        let checked = try Self.object(check)
        let records = try #require(checked["files"] as? [[String: Any]])
        #expect(records.compactMap { $0["file"] as? String } == files)
        // The summary counts the findings of every file: the sum of each file's own run.
        var expected: [String: Int] = [:]
        for file in files {
            let single = try Self.object(try CLI.peerscope("check", "--json", file))
            for (level, count) in try #require(single["summary"] as? [String: Int]) { expected[level, default: 0] += count }
        }
        #expect(checked["summary"] as? [String: Int] == expected)

        let sessions = try Self.object(try CLI.run(CLI.binary, ["sessions", "--json"] + files))
        let sessionRecords = try #require(sessions["files"] as? [[String: Any]])
        #expect(sessionRecords.compactMap { $0["file"] as? String } == files)
    }

    @Test("decode --json over several files stays JSON Lines, each line naming its file; counts match tshark")
    func decodeJSONLines() throws {
        let tshark = try #require(CLI.which("tshark"), "tshark is installed on this machine")
        let files = ["captures/bfd-ipv4-singlehop.pcap", "captures/bfd-failover.pcap"]
        let result = try CLI.run(CLI.binary, ["decode", "--json"] + files)
        #expect(result.status == 0)
        var perFile: [String: Int] = [:]
        for line in result.stdoutLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            perFile[try #require(object["file"] as? String), default: 0] += 1
        }
        for file in files {
            let count = try CLI.run(tshark, ["-r", file, "-Y", "bfd"]).stdoutLines.count
            #expect(perFile[file] == count, "\(file)")
        }
        // The same for BGP messages: two lab captures, each line a JSON object naming its file.
        let bgpFiles = ["captures/lab/frr-bird-failover.pcap", "captures/lab/gobgp-frr-updates.pcap"]
        let bgp = try CLI.run(CLI.binary, ["decode", "-Y", "bgp", "--json"] + bgpFiles)
        var bgpPerFile: [String: Int] = [:]
        for line in bgp.stdoutLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            bgpPerFile[try #require(object["file"] as? String), default: 0] += 1
        }
        #expect(Set(bgpPerFile.keys) == Set(bgpFiles))
    }

    @Test("--merge of both ends of the lab failover: every packet once, as the bridge capture holds them")
    func mergeCountsEachPacketOnce() throws {
        let manifest = try Self.manifest("frr-bird-failover")
        let result = try CLI.peerscope("check", "--json", "--merge", Self.atR1, Self.atR2)
        let object = try Self.object(result)
        // Each router's own interface saw every packet that router sent, and the bridge capture
        // (`frr-bird-failover.pcap`, ingress of both bridge ports) holds exactly what both sent:
        // the merged capture has its packet count, neither the sum of the two files nor less.
        let bridge = try #require(manifest.packets["frr-bird-failover.pcap"])
        #expect(object["frames"] as? Int == bridge)
        let merge = try #require(object["merge"] as? [String: Any])
        let points = try #require(merge["points"] as? [[String: Any]])
        #expect(points.compactMap { $0["frames"] as? Int }
            == [manifest.packets["frr-bird-failover-at-r1.pcap"], manifest.packets["frr-bird-failover-at-r2.pcap"]])
        let atR1 = try #require(manifest.packets["frr-bird-failover-at-r1.pcap"])
        let atR2 = try #require(manifest.packets["frr-bird-failover-at-r2.pcap"])
        let duplicates = points.compactMap { $0["alsoSeenEarlierAtAnotherPoint"] as? Int }.reduce(0, +)
        #expect(atR1 + atR2 - duplicates == bridge)
        // And the analysis of the merged capture is the bridge capture's: the same findings by
        // rule and level, plus the two losses only two capture points can locate.
        let reference = try Self.object(try CLI.peerscope("check", "--json", "captures/lab/frr-bird-failover.pcap"))
        func tally(_ object: [String: Any]) -> [String: Int] {
            var counts: [String: Int] = [:]
            for finding in object["findings"] as? [[String: Any]] ?? [] {
                counts["\(finding["level"] ?? "") \(finding["rule"] ?? "")", default: 0] += 1
            }
            return counts
        }
        var expected = tally(reference)
        expected["info CAPTURE.UPSTREAM_LOSS", default: 0] += 2
        #expect(tally(object) == expected)
    }

    @Test("decode --merge numbers the packets as the bridge capture does (tshark on the bridge file)")
    func mergedFrameNumbers() throws {
        let tshark = try #require(CLI.which("tshark"), "tshark is installed on this machine")
        // The bridge capture holds what both routers sent in time order: its frame numbers, sources
        // and ports for BFD are what the merged capture must show.
        let reference = try CLI.run(tshark, ["-r", "captures/lab/frr-bird-failover.pcap", "-Y", "bfd", "-T", "fields",
                                             "-e", "frame.number", "-e", "ip.src", "-e", "udp.srcport"])
            .stdoutLines.map { $0.split(separator: "\t").joined(separator: " ") }
        let merged = try CLI.peerscope("decode", "--json", "--merge", Self.atR1, Self.atR2)
        #expect(merged.status == 0)
        let ours = try merged.stdoutLines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return "\(object["frame.number"] ?? "") \(object["ip.src"] ?? "") \(object["udp.srcport"] ?? "")"
        }
        #expect(reference.count > 50)
        #expect(ours == reference)
    }

    @Test("--merge says where each capture point sat relative to the loss, at the time of the fault")
    func mergeLocatesTheLoss() throws {
        let manifest = try Self.manifest("frr-bird-failover")
        let result = try CLI.peerscope("check", "--json", "--merge", Self.atR1, Self.atR2)
        let object = try Self.object(result)
        let merge = try #require(object["merge"] as? [String: Any])
        let losses = try #require(merge["losses"] as? [[String: Any]])
        // Origin of relative times: the earlier of the two files' first frames.
        let origin = try #require(manifest.firstFrameEpochNanoseconds.filter { $0.key.contains("-at-") }.values.min())
        let fault = Double(manifest.faultEpochNanoseconds - origin) / 1e9
        // The manifest: after the fault r1 (192.0.2.1, FRR) keeps sending and r2 hears nothing of it
        // (at-r2-deaf), and r2's packets no longer reach r1 (at-r1-deaf). So for each direction the
        // sender's own interface is upstream of the loss and the receiver's downstream, and the
        // first packet missing is the sender's first one after the fault, within one transmit
        // interval (r1 500 ms, r2 300 ms; BGP keepalives are rarer) plus 100 ms of slack.
        let expectations: [(source: String, upstream: String, downstream: String, interval: Double)] = [
            ("192.0.2.1", Self.atR1, Self.atR2, 0.5),
            ("192.0.2.2", Self.atR2, Self.atR1, 0.3),
        ]
        #expect(losses.count == expectations.count, "\(losses)")
        for expected in expectations {
            let loss = try #require(losses.first { $0["source"] as? String == expected.source }, "\(losses)")
            #expect(loss["upstream"] as? String == expected.upstream)
            #expect(loss["downstream"] as? String == expected.downstream)
            #expect(loss["cut"] as? Bool == true, "nothing crossed the detached bridge port afterwards")
            let first = try #require(loss["firstMissingTime"] as? Double)
            #expect(first > fault && first <= fault + expected.interval + 0.1,
                    "first packet from \(expected.source) missing at \(first) s, fault at \(fault) s")
        }
        let findings = try #require(object["findings"] as? [[String: Any]])
        let located = findings.filter { $0["rule"] as? String == "CAPTURE.UPSTREAM_LOSS" && ($0["message"] as? String)?.contains("between the two capture points") == true }
        #expect(located.count == 2)
    }

    @Test("--merge in text: the points named, the loss findings printed; usage errors exit 2 in one line")
    func mergeText() throws {
        let text = try CLI.peerscope("check", "--merge", Self.atR1, Self.atR2)
        #expect(text.stdoutLines.first?.hasPrefix("# merged 2 capture points") == true)
        #expect(text.stdout.contains("frr-bird-failover-at-r1.pcap upstream of it, frr-bird-failover-at-r2.pcap downstream"))
        let alone = try CLI.peerscope("sessions", "--merge", Self.atR1)
        #expect(alone.status == 2)
        #expect(alone.stderrLines.count == 1)
        // The second lab failover (with r3) has both ends too: the same cut, found again.
        let three = try Self.object(try CLI.peerscope("sessions", "--json", "--merge",
                                                      "captures/lab/frr-bird-failover-3-at-r1.pcap",
                                                      "captures/lab/frr-bird-failover-3-at-r2.pcap"))
        let losses = try #require((three["merge"] as? [String: Any])?["losses"] as? [[String: Any]])
        #expect(Set(losses.compactMap { $0["source"] as? String }) == ["192.0.2.1", "192.0.2.2"])
    }
}
