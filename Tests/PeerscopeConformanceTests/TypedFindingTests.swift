import Foundation
import PeerscopeAnalysis
import PeerscopeConformance
import Testing

/// Issue 13 item 4: findings carry typed values, and the numbers are the ones the packets hold.
/// The truth is tshark's reading of the same frames (`bgp.open.holdtime`, `bfd.*`, `frame.time_epoch`)
/// put through the RFC arithmetic (RFC 4271 §4.2 hold time, RFC 5880 §6.8.4 detection time).
@Suite("typed findings: values equal tshark's fields through the RFC formulas")
struct TypedFindingTests {
    /// tshark's fields per frame (see `TsharkFields.rows`).
    static func tshark(_ path: String, filter: String, fields: [String]) throws -> [Int: [String]]? {
        try TsharkFields.rows(path, filter: filter, fields: fields)
    }

    /// `frame.time_epoch` ("1700000000.123456789") in ns, digit by digit (a Double loses the ns).
    static func nanoseconds(_ epoch: String) -> Int64? {
        let parts = epoch.split(separator: ".")
        guard let whole = Int64(parts[0]) else { return nil }
        let fraction = parts.count > 1 ? String(parts[1].prefix(9)) : ""
        guard let digits = Int64(fraction.padding(toLength: 9, withPad: "0", startingAt: 0)) else { return nil }
        return whole * 1_000_000_000 + digits
    }

    /// The numbers of a composite value, in order.
    static func numbers(_ value: FindingValue?) -> [Int64] {
        switch value {
        case .number(let n): [n]
        case .composite(let parts): parts.flatMap(numbers)
        default: []
        }
    }

    /// The first BFD interval in a value (a bound or composite around it).
    static func interval(_ value: FindingValue?) -> Int64? {
        switch value {
        case .interval(let microseconds): microseconds
        case .atMost(let bound), .atLeast(let bound), .below(let bound): interval(bound)
        case .composite(let parts): parts.lazy.compactMap(interval).first
        default: nil
        }
    }

    static func analysed(_ capture: String) throws -> (path: String, findings: [Finding]) {
        let path = GoldenFindingsTests.root.appendingPathComponent("captures/\(capture)").path
        return (path, try CaptureAnalysis(path: path).findings)
    }

    @Test("BGP.TMR.HOLD.NEGOTIATED: measured is the smaller of the two OPENs' hold times (RFC 4271 §4.2), expected names both; keepalive a third of it")
    func holdTime() throws {
        var checked = 0
        for capture in GoldenFindingsTests.captures() {
            let (path, findings) = try Self.analysed(capture)
            let negotiated = findings.filter { $0.ruleID == .BGP.TMR.HOLD.NEGOTIATED }
            guard !negotiated.isEmpty else { continue }
            guard let opens = try Self.tshark(path, filter: "bgp.type == 1", fields: ["bgp.open.holdtime"]) else { return }
            for finding in negotiated {
                // The finding's frames are the two OPENs.
                let holds = finding.frames.compactMap { opens[$0]?.first.flatMap { Int64($0) } }
                #expect(holds.count == 2, "\(capture): frames \(finding.frames) are not two OPENs for tshark")
                guard let smaller = holds.min() else { continue }
                #expect(finding.measured == .seconds(smaller), "\(capture)")
                #expect(Self.numbers(finding.expected).sorted() == holds.sorted(), "\(capture)")
                // The message's values are typed too: both OPENs' hold times, the smaller one, and
                // (RFC 4271 §10) a third of it as the keepalive.
                let values = finding.message.values
                let both = values.prefix(2).compactMap { if case .seconds(let s) = $0 { s } else { nil } }
                #expect(both.sorted() == holds.sorted() && values.dropFirst(2).first == .seconds(smaller), "\(capture): \(values)")
                if smaller > 0 { #expect(values.contains(.duration(nanoseconds: smaller * 1_000_000_000 / 3)), "\(capture): \(values)") }
                // RFC 4271 §10: KeepaliveTime a third of the hold time; 90 s reads 30 s, not 29.99999997 s.
                if smaller > 0, smaller % 3 == 0 {
                    #expect(finding.messageText.contains("keepalive about \(smaller / 3) s"), "\(capture): \(finding.messageText)")
                }
                checked += 1
            }
        }
        #expect(checked >= 10, "hold-time findings checked against tshark: \(checked)")
    }

    @Test("BFD.TMR.DETECT.LATE: latency = the two frames' tshark times apart; expected = peer's Detect Mult × max(own Required Min RX, peer's Desired Min TX) (RFC 5880 §6.8.4)")
    func detectionTime() throws {
        var checked = 0
        for capture in GoldenFindingsTests.captures() {
            let (path, findings) = try Self.analysed(capture)
            let late = findings.filter { $0.ruleID == .BFD.TMR.DETECT.LATE }
            guard !late.isEmpty else { continue }
            guard let packets = try Self.tshark(path, filter: "bfd", fields: [
                "frame.time_epoch", "ip.src", "ipv6.src", "bfd.detect_time_multiplier", "bfd.desired_min_tx_interval",
                "bfd.required_min_rx_interval"]) else { return }
            for finding in late {
                guard finding.frames.count == 2, let peer = packets[finding.frames[0]], let down = packets[finding.frames[1]],
                      let peerTime = Self.nanoseconds(peer[0]), let downTime = Self.nanoseconds(down[0])
                else {
                    Issue.record("\(capture): frames \(finding.frames) are not two BFD packets for tshark")
                    continue
                }
                #expect(finding.measured == .duration(nanoseconds: downTime - peerTime), "\(capture)")
                // The detecting side's Required Min RX: its packet before the Down.
                let source = down[1] + down[2]
                let before = packets.filter { $0.key < finding.frames[1] && $0.value[1] + $0.value[2] == source }.max { $0.key < $1.key }
                guard let mine = before?.value, let mult = Int64(peer[3]), let tx = Int64(peer[4]), let rx = Int64(mine[5]) else {
                    Issue.record("\(capture): no packet of the detecting side before frame \(finding.frames[1])")
                    continue
                }
                #expect(Self.interval(finding.expected) == mult * max(rx, tx), "\(capture): \(String(describing: finding.expected))")
                // The message carries the same two numbers typed, in the order it names them.
                if finding.level == .info {
                    #expect(finding.message.values == [.duration(nanoseconds: downTime - peerTime), .interval(microseconds: mult * max(rx, tx))],
                            "\(capture): \(finding.messageText)")
                }
                checked += 1
            }
        }
        #expect(checked >= 3, "detection findings checked against tshark: \(checked)")
    }
}
