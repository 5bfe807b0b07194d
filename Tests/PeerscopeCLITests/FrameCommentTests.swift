import Foundation
import Testing

/// pcapng packet comments (issue 11 item 9) reach `decode`'s text and JSON; tshark is the oracle
/// for which frame carries which comment, and for the interface name field.
@Suite("pcapng comments and interface names in decode", .enabled(if: CLI.which("editcap") != nil && CLI.which("tshark") != nil))
struct FrameCommentTests {
    static let hostile = "maintenance window <b>\"R1\"</b>"

    /// A pcapng copy of a committed BFD capture with comments on frames 2 and 5, written by editcap.
    static func commented() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peerscope-comment-\(UUID().uuidString).pcapng").path
        let source = CLI.packageRoot.appendingPathComponent("captures/bfd-ipv4-singlehop.pcap").path
        let made = try CLI.run(CLI.which("editcap")!, ["-F", "pcapng", "-a", "2:\(hostile)", "-a", "5:second note", source, path])
        #expect(made.status == 0, "editcap: \(made.stderr)")
        return path
    }

    @Test("decode --json carries frame.comment and frame.interface_name exactly as tshark reads them")
    func json() throws {
        let path = try Self.commented()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let shark = try CLI.run(CLI.which("tshark")!, ["-r", path, "-T", "fields", "-E", "separator=\t",
                                                       "-e", "frame.number", "-e", "frame.comment", "-e", "frame.interface_name"])
        var expected: [Int: (comment: String, interface: String)] = [:]
        for line in shark.stdoutLines {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 3, let number = Int(cells[0]) else { continue }
            // tshark prints "unknown" when the interface block has no if_name (editcap writes only
            // if_tsresol); peerscope then has no name. Named interfaces: CaptureInterfaceTests.
            expected[number] = (cells[1], cells[2] == "unknown" ? "" : cells[2])
        }
        #expect(expected[2]?.comment == Self.hostile)
        #expect(expected[5]?.comment == "second note")
        let ours = try CLI.peerscope("decode", "--json", path)
        #expect(ours.status == 0)
        var seen = 0
        for line in ours.stdoutLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let number = try #require(object["frame.number"] as? Int)
            let comments = (object["frame.comment"] as? [String]) ?? []
            #expect(comments.joined(separator: ",") == expected[number]?.comment ?? "", "frame \(number)")
            #expect((object["frame.interface_name"] as? String) ?? "" == expected[number]?.interface ?? "", "frame \(number)")
            seen += 1
        }
        #expect(seen == expected.count)
    }

    @Test("decode shows each comment under its frame, escaped")
    func text() throws {
        let path = try Self.commented()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = try CLI.peerscope("decode", path).stdoutLines
        let index = try #require(lines.firstIndex { $0.contains("comment: ") })
        #expect(lines[index - 1].hasPrefix("     2 "), "the comment follows frame 2's line")
        #expect(lines[index].hasSuffix("comment: \(Self.hostile)"))
        #expect(lines.filter { $0.contains("comment: ") }.count == 2)
    }
}
