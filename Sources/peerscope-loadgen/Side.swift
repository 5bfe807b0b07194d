import ArgumentParser
import Foundation
import PeerscopeProbe

/// `side` (internal to `pair`): one side of a two-process run; prints its report as JSON.
struct Side: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One side of a pair run (started by `pair`).", shouldDisplay: false)

    @Option var side: LoopbackBenchPlan.Side
    @Option var cpu: Int?
    @Option var plan: String

    func run() throws {
        let plan = try JSONDecoder().decode(LoopbackBenchPlan.self, from: Data(plan.utf8))
        let report = try Self.runSides([side], plan: plan, cpu: cpu)
        print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
    }

    /// Builds the pools of `sides`, runs them on this thread (pinned to `cpu`), returns the report.
    static func runSides(_ sides: [LoopbackBenchPlan.Side], plan: LoopbackBenchPlan, cpu: Int?) throws
        -> LoopbackBenchReport
    {
        try Host.prepareThread(cpu: cpu, timerSlackNanoseconds: plan.timerSlackNanoseconds,
                               realtimePriority: plan.realtimePriority)
        Host.raiseOpenFileLimit(to: plan.sessions * sides.count + 1_024)
        let interfaces = try LocalInterfaces.current()
        let pools = try sides.map { try plan.makePool($0, interfaces: interfaces) }
        return try plan.run(pools, cpuSeconds: Host.cpuSeconds)
    }
}

extension LoopbackBenchPlan.Side: ExpressibleByArgument {}
