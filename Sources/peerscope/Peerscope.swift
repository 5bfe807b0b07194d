import ArgumentParser
import PeerscopeCapture

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The root command: lists the subcommands and maps every failure to the documented exit codes
/// (0 clean, 1 MUST-level finding, 2 unusable input or usage) with a one-line message.
@main
struct Peerscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerscope",
        abstract: "BFD and BGP capture analysis and active testing for network engineers.",
        discussion: """
            Exit codes: 0 clean, 1 a MUST-level conformance finding, 2 unusable input or usage error.
            """,
        version: "0.1.0",
        subcommands: [Decode.self, Sessions.self, Timeline.self, Check.self, Report.self, Live.self, Probe.self, Respond.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            Console.flush()
        } catch let error as CaptureError {
            Console.error("\(error)")
            Console.exit(2)
        } catch let code as ExitCode {
            Console.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version: ArgumentParser prints them and exits 0.
                exit(withError: error)
            }
            let message = self.message(for: error)
            Console.error("\(message) (see 'peerscope --help')")
            Console.exit(2)
        }
    }
}
