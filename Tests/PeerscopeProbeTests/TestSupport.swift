import Foundation
import PeerscopeProbe
import PeerscopeWire

/// Runs blocking work (event-loop waits, timing measurements) on a thread of its own, so it never
/// holds one of the few cooperative threads other tests run on.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Waits on `loop` until `done` says so or `timeoutNanoseconds` pass; true when done.
func pump(_ loop: EventLoop, timeoutNanoseconds: Int64 = 2_000_000_000,
          _ step: (LoopEvent, Int64) throws -> Bool) throws -> Bool {
    let deadline = MonotonicClock.nowNanoseconds() + timeoutNanoseconds
    var finished = false
    var timedOut = false
    while !finished, !timedOut {
        try loop.wait(until: deadline) { event, now in
            if event == .deadlineReached { timedOut = true; return }
            if try step(event, now) { finished = true }
        }
    }
    return finished
}

/// An address literal in a test.
func addr(_ text: String) -> IPAddress { IPAddress(text)! }

/// Runs `ip` with arguments; throws with its output when it fails.
@discardableResult
func ip(_ arguments: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ipPath)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: output, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw CommandError(command: "ip " + arguments.joined(separator: " "), output: text)
    }
    return text
}

struct CommandError: Error, CustomStringConvertible {
    var command: String
    var output: String
    var description: String { "\(command): \(output)" }
}

let ipPath = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first {
    FileManager.default.isExecutableFile(atPath: $0)
} ?? "/usr/sbin/ip"

/// Namespaces need root and iproute2.
let canCreateNamespaces = getuid() == 0 && FileManager.default.isExecutableFile(atPath: ipPath)
