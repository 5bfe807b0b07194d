import Foundation

/// tshark as the second opinion in this target's tests: one `-T fields` run, rows by frame number.
enum TsharkFields {
    /// tshark's fields per frame of `path` that match `filter`; nil without tshark.
    static func rows(_ path: String, filter: String, fields: [String]) throws -> [Int: [String]]? {
        let tshark = "/usr/bin/tshark"
        guard FileManager.default.isExecutableFile(atPath: tshark) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", path, "-Y", filter, "-T", "fields", "-E", "separator=\t", "-e", "frame.number"]
            + fields.flatMap { ["-e", $0] }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var rows: [Int: [String]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == fields.count + 1, let frame = Int(cells[0]) else { continue }
            rows[frame] = Array(cells.dropFirst())
        }
        return rows
    }
}
