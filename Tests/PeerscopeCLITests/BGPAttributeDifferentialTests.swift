import Foundation
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeWire
import Testing

/// Every committed capture with BGP, frame by frame: attribute types and flags, communities, every
/// extended community (type, subtype, value fields) and the newer attributes as tshark shows them.
/// The built capture of BGPAttributeTsharkTests covers every kind; this covers what real daemons send.
@Suite("differential: path attributes of every BGP capture vs tshark", .serialized)
struct BGPAttributeDifferentialTests {
    /// The fields compared: all that the built sample fills (so each has been seen to agree once).
    static let fields = BGPAttributeTsharkTests.ours().keys.sorted()

    static func ours(_ path: String) throws -> [Int: [String: [String]]] {
        let reader = try CaptureReader(path: CLI.packageRoot.appendingPathComponent(path).path)
        var tracker = BGPStreamTracker()
        var dissection = Dissection()
        var attributes: [Int: [BGPPathAttribute]] = [:]
        while let frame = try reader.next() {
            guard case .bgpSegment(let tcp) = FrameDecoder.decode(frame, into: &dissection),
                  let network = dissection.network else { continue }
            let payload = UnsafeRawBufferPointer(
                rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
            for record in tracker.observe(frameNumber: frame.number, time: frame.timestampNanoseconds,
                                          network: network, tcp: tcp, payload: payload) {
                if case .success(.update(let update)) = record.message {
                    attributes[record.frameNumber, default: []] += update.attributes
                }
            }
        }
        return attributes.mapValues { oursErrata(BGPAttributeTsharkTests.fields(of: $0).filter { !$0.value.isEmpty }) }
    }

    static func theirs(_ path: String) throws -> [Int: [String: [String]]] {
        let tshark = try #require(CLI.which("tshark"))
        let run = try CLI.run(tshark, ["-r", path, "-Y", "bgp.type == 2 && !icmp", "-T", "fields", "-E", "separator=\t",
                                       "-E", "aggregator=|", "-e", "frame.number"] + fields.flatMap { ["-e", $0] })
        var result: [Int: [String: [String]]] = [:]
        let floats: Set = ["bgp.ext_com.value_link_bw", "bgp.ext_com_flow.rate_limit"]
        for line in run.stdoutLines {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == fields.count + 1, let number = Int(cells[0]) else { continue }
            var values: [String: [String]] = [:]
            for (field, cell) in zip(fields, cells.dropFirst()) where !cell.isEmpty {
                let list = cell.split(separator: "|").map(String.init)
                values[field] = floats.contains(field) ? list.map { Double($0).map { String(Int($0)) } ?? $0 } : list
            }
            result[number] = errata(values)
        }
        return result
    }

    /// tshark 4.0's fields where they do not mean what ours do, adjusted with the reason:
    /// - `bgp.ls.type` also lists the NLRI's descriptor TLVs (types below 1024, RFC 9552 §5.2) and
    ///   the SID/Label sub-TLV (1161) inside SR Capabilities (RFC 9085 §2.1.2); ours lists the BGP-LS
    ///   attribute's own TLVs, so only tshark's attribute TLVs (1024 and up, not 1161) are kept.
    ///   tshark 4.0 gives no type for a TLV it does not know (1171, Source Router Identifier,
    ///   RFC 9085): `oursErrata` drops it from ours.
    /// - `bgp.update.encaps_tunnel_subtlv_type`: tshark 4.0 reads the Color sub-TLV (4) as four
    ///   octets instead of the eight of RFC 9012 §3.4.2 and then sees a sub-TLV of type 0 in the
    ///   rest; that phantom 0 after a 4 is dropped.
    static func errata(_ values: [String: [String]]) -> [String: [String]] {
        var values = values
        if let types = values["bgp.ls.type"] {
            values["bgp.ls.type"] = types.filter { (Int($0) ?? 0) >= 1024 && $0 != "1161" }
        }
        if let types = values["bgp.update.encaps_tunnel_subtlv_type"] {
            values["bgp.update.encaps_tunnel_subtlv_type"] = types.enumerated().filter { index, type in
                !(type == "0" && index > 0 && types[index - 1] == "4")
            }.map(\.element)
        }
        return values.filter { !$0.value.isEmpty }
    }

    static func oursErrata(_ values: [String: [String]]) -> [String: [String]] {
        var values = values
        values["bgp.ls.type"] = values["bgp.ls.type"]?.filter { $0 != "1171" }
        return values.filter { !$0.value.isEmpty }
    }

    @Test("attributes and communities agree with tshark in every UPDATE of every capture",
          .enabled(if: CLI.which("tshark") != nil), arguments: BGPDifferentialTests.captures())
    func agrees(capture: String) throws {
        let mine = try Self.ours(capture), other = try Self.theirs(capture)
        let skipped = BGPFamilyDifferentialTests.senderViolations[capture] ?? []
        for number in Set(mine.keys).union(other.keys).sorted() where !skipped.contains(number) {
            #expect(mine[number] ?? [:] == other[number] ?? [:],
                    "\(capture) frame \(number): peerscope \(mine[number] ?? [:]), tshark \(other[number] ?? [:])")
        }
    }
}
