import Foundation
import PeerscopeFuzzHarness
import Testing

/// Replays every input kept in Fuzz/Crashers/TARGET/ (each one trapped or broke an invariant
/// before its fix) through the same entry point libFuzzer calls. The oracle is the harness's own:
/// no trap, no out-of-bounds read, every state-machine invariant holding; a regression kills the
/// test process, which `swift test` reports as a failure naming the input last printed.
struct CrasherReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ folder: String, _ target: FuzzTarget) -> [URL] {
        let directory = root.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map(directory.appendingPathComponent)
    }

    @Test("every kept crasher runs to the end", arguments: FuzzTarget.allCases)
    func crashers(_ target: FuzzTarget) throws {
        for url in Self.inputs("Crashers", target) {
            let bytes = try [UInt8](Data(contentsOf: url))
            print("replaying \(target.rawValue)/\(url.lastPathComponent) (\(bytes.count) bytes)")
            target.run(bytes)
        }
    }

    @Test("the crasher folders name only known targets")
    func crasherFoldersAreTargets() throws {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Crashers").path)) ?? []
        for folder in folders where !folder.hasPrefix(".") && folder != "README.md" {
            #expect(FuzzTarget(rawValue: folder) != nil, "Fuzz/Crashers/\(folder) is not a fuzz target")
        }
    }

    /// The seed programs the generator writes must parse the way the harness reads them: a
    /// segment program built from known fields gives back those fields (RFC 9293 header values).
    @Test("a hand-written TCP segment program round-trips through the harness's format")
    func segmentProgramLayout() {
        let bytes = TCPSegmentProgram.segment(fromServer: true, flags: 0x18, sequence: 0xFFFF_FFF0,
                                              acknowledgment: 7, payload: [1, 2, 3])
        #expect(bytes == [1, 0x18, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 0, 7, 0, 3, 1, 2, 3])
    }
}
