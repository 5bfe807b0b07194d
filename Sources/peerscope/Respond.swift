import ArgumentParser
import Foundation
import PeerscopeProbe
import PeerscopeReport

/// `peerscope respond`: a correct BFD peer (and passive BGP speaker) to test against.
struct Respond: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a correct BFD endpoint (and a BGP speaker) for a peer until SIGINT/SIGTERM.",
        discussion: """
            BFD: active, RFC 5880/5881/5883, with --tx/--rx/--mult once Up (1 s while not Up). \
            BGP (with --bgp): passive, listening on the local address port 179 for the peer only, \
            so `peerscope probe --bgp` connects to it. RFC 5882 §3.2: when the BFD session goes \
            Down because the Detection Time expired or the peer said Down, BGP is torn down with \
            NOTIFICATION Cease/BFD Down (6/10, RFC 9384) and accepted again afterwards; the peer's \
            AdminDown keeps BGP. On SIGINT/SIGTERM it sends AdminDown and Cease, prints what the \
            BFD socket received (accepted, and discarded per RFC 5880 §6.8.6 reason), then exits 0. \
            State changes are printed one per line.
            """)

    @OptionGroup var peerOptions: PeerOptions

    @Option(help: ArgumentHelp("Desired Min TX once Up, in ms.", valueName: "ms"))
    var tx: Int = 300

    @Option(help: ArgumentHelp("Required Min RX, in ms.", valueName: "ms"))
    var rx: Int = 300

    @Option(help: ArgumentHelp("Detect Mult.", valueName: "n"))
    var mult: Int = 3

    @Flag(help: "At exit, print the BFD reception counters as one JSON line instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Run under SCHED_FIFO at this priority (1–99; needs CAP_SYS_NICE), as routers run "
                               + "BFD: a busy or flooded machine then cannot delay our packets past the peer's Detection Time.",
                               valueName: "priority"))
    var realtime: Int32?

    func validate() throws {
        guard (1...60_000).contains(tx) else { throw ValidationError("--tx must be 1–60000 ms") }
        guard (0...60_000).contains(rx) else { throw ValidationError("--rx must be 0–60000 ms") }
        guard (1...255).contains(mult) else { throw ValidationError("--mult must be 1–255") }
        if let realtime, !(1...99).contains(realtime) { throw ValidationError("--realtime must be 1–99") }
    }

    func run() throws {
        let target = peerOptions.target(desiredMinTx: UInt32(tx) * 1000, requiredMinRx: UInt32(rx) * 1000,
                                        multiplier: UInt8(mult))
        let responder: Responder
        do {
            responder = try Responder(target: target)
        } catch let error as ProbeRunError {
            Console.error(error.description)
            throw ExitCode(2)
        }
        responder.driver.onStateChange = { change in
            Console.line("bfd \(change.from) → \(change.to) (diag \(change.diagnostic.rawValue))")
            Console.flush()
        }
        responder.driver.onBGP = { observation in
            Console.line("bgp \(observation.kind)")
            Console.flush()
        }
        Console.line("respond: BFD \(target.transport) with \(target.peer) from \(responder.driver.localAddress)"
                     + (target.bgp.map { ", BGP AS \($0.localAS) listening for AS \($0.peerAS)" } ?? "")
                     + (target.authentication.map { ", auth \(AuthenticationArgument.name(of: $0.type)) key-id \($0.keyID)" } ?? ""))
        Console.flush()
        if let realtime {
            do {
                try EventLoop.setRealtimePriority(realtime)
            } catch {
                Console.error("--realtime \(realtime): \(error)")
                throw ExitCode(2)
            }
        }
        do {
            try responder.run()
        } catch let error as ProbeRunError {
            Console.error(error.description)
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let tally = ["bfd_reception": responder.driver.reception]
            Console.line(WireText.jsonDocument(String(decoding: try encoder.encode(tally), as: UTF8.self)))
        } else {
            Console.line("bfd reception: \(responder.driver.reception.summary)")
        }
        Console.flush()
    }
}
