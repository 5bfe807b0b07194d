import ArgumentParser
import PeerscopeAnalysis
import PeerscopeCapture
import PeerscopeReport
import PeerscopeWire

/// `peerscope decode`: one line (or JSON object) per BFD packet, or protocol totals with `--count`.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every BFD packet (or, with -Y bgp, every BGP message) of a capture, one line each, like tshark.",
        discussion: """
            Frames are numbered from 1 and timed from the first frame, as Wireshark does. Frames on a \
            BFD port that are not valid BFD are printed as malformed; other undecodable frames are \
            counted and listed with -v. Exit status: 0 when every file was read to its end, 2 when a \
            file is unusable or ends mid-record (frames before the cut are printed first). \
            BFD flags column \(BFDFlags.legend).
            """
    )

    enum DisplayProtocol: String, ExpressibleByArgument, CaseIterable {
        case bfd
        /// BGP messages reassembled from TCP port 179 (text lines; `--count` counts segments).
        case bgp
        /// BMP messages (RFC 7854) reassembled from TCP port 11019, with the BGP PDUs inside.
        case bmp
    }

    @OptionGroup var capture: CaptureOptions

    @Option(name: .customShort("Y"), help: "Protocol to display.")
    var display: DisplayProtocol = .bfd

    @Flag(help: "JSON Lines: one object per packet, tshark field names, intervals in µs; with several files each line names its \"file\".")
    var json = false

    @Flag(help: "Print only totals per protocol and per decode error.")
    var count = false

    @Flag(name: [.short, .long], help: "Also list frames that could not be decoded.")
    var verbose = false

    @Flag(name: [.customShort("V"), .customLong("detail")],
          help: "A field tree under each packet or message, like tshark -V: every BFD field and its authentication section; with -Y bgp or bmp capabilities, attributes and prefixes.")
    var detail = false

    func validate() throws {
        try capture.requireFiles()
        if json && count { throw ValidationError("--json and --count cannot be combined") }
    }

    func run() throws {
        var failure: CaptureError?
        if capture.merge {
            do {
                let source = try MergedFrameSource(paths: capture.files, filter: capture.filter,
                                                   windowNanoseconds: capture.mergeWindowNanoseconds)
                let path = capture.files.joined(separator: " + ")
                if count {
                    try decode(ProgressSource(source, label: "merging"), path: path, header: false)
                } else {
                    try decode(source, path: path, header: false)
                }
            } catch {
                Console.error("\(error)")
                failure = error
            }
            if failure != nil { throw ExitCode(2) }
            return
        }
        for path in capture.files {
            do {
                let reader = try CaptureReader(path: path, filter: capture.filter)
                if count {
                    // Totals come at the end: a long count shows its progress on a terminal.
                    try decode(ProgressSource(reader, label: path), path: path, header: capture.files.count > 1)
                } else {
                    try decode(reader, path: path, header: capture.files.count > 1)
                }
            } catch {
                Console.error("\(error)")
                failure = error
            }
        }
        if failure != nil { throw ExitCode(2) }
    }

    /// `header`: several files are read one after the other, so each is named (a `# path` line
    /// in text, a "file" key on every JSON line).
    private func decode(_ reader: some FrameSource, path: String, header: Bool) throws(CaptureError) {
        if header, !json { Console.line("# \(path)") }
        var decoder = CaptureDecoder()
        let text = DecodeTextRenderer(timeDecimals: reader.resolution == .nanoseconds ? 9 : 6)
        let bfdTree = BFDTreeRenderer()
        let jsonRenderer = DecodeJSONRenderer(file: header ? path : nil)
        let bgpRenderer = BGPLineRenderer(timeDecimals: text.timeDecimals)
        let bgpJSON = BGPJSONRenderer(file: header ? path : nil)
        // Two directions per connection: `--max-sessions` connections (BGP or BMP) followed at once, as in `check`.
        let (directionCap, overflow) = capture.stateLimits.maxSessions.multipliedReportingOverflow(by: 2)
        var bgp = BGPStreamTracker(bufferLimit: capture.tcpBufferKiB * 1_024, totalBufferLimit: capture.stateLimits.maxReassemblyBytes,
                                   maxDirections: overflow ? .max : directionCap)
        var readError: CaptureError?
        do throws(CaptureError) {
            if count {
                try decoder.count(reader)
            } else if display == .bgp {
                try decoder.run(reader) { frame, decoded, dissection, first in
                    guard case .bgpSegment(let tcp) = decoded, let network = dissection.network else { return }
                    let payload = UnsafeRawBufferPointer(
                        rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
                    for record in bgp.observe(frameNumber: frame.number, time: frame.timestampNanoseconds,
                                              network: network, tcp: tcp, payload: payload) {
                        if json {
                            Console.line(bgpJSON.line(record, firstTimestamp: first))
                        } else {
                            Console.line(bgpRenderer.line(record, firstTimestamp: first))
                            if detail { bgpRenderer.tree(record).forEach(Console.line) }
                        }
                    }
                }
            } else if display == .bmp {
                let bmpRenderer = BMPRenderer(timeDecimals: text.timeDecimals)
                var bmp = BMPStreamTracker(bufferLimit: capture.tcpBufferKiB * 1_024,
                                           maxDirections: overflow ? .max : directionCap)
                defer {
                    if bmp.directionsForgotten > 0 {
                        Console.error("\(path): \(bmp.directionsForgotten) BMP TCP direction(s) forgotten with their \(bmp.bytesForgotten) "
                                      + "buffered byte(s) after more than \(capture.stateLimits.maxSessions) connection(s) were followed "
                                      + "at once (the least recently seen first); raise the limit with --max-sessions")
                    }
                }
                try decoder.run(reader) { frame, decoded, dissection, first in
                    guard case .otherTCP(let tcp) = decoded, BMPStreamTracker.carries(tcp), let network = dissection.network
                    else { return }
                    let payload = UnsafeRawBufferPointer(
                        rebasing: frame.bytes[dissection.payloadOffset..<(dissection.payloadOffset + dissection.payloadLength)])
                    for record in bmp.observe(frameNumber: frame.number, time: frame.timestampNanoseconds,
                                              network: network, tcp: tcp, payload: payload) {
                        if json {
                            Console.line(bmpRenderer.json(record, firstTimestamp: first))
                        } else {
                            Console.line(bmpRenderer.line(record, firstTimestamp: first))
                            if detail { bmpRenderer.tree(record).forEach(Console.line) }
                        }
                    }
                }
            } else {
                try decoder.run(reader) { frame, decoded, dissection, first in
                    guard let record = DecodeRecord(frame: frame, decoded: decoded, dissection: dissection,
                                                    firstTimestamp: first),
                          record.isBFD || verbose
                    else { return }
                    Console.line(json ? jsonRenderer.line(record) : text.line(record))
                    if !json {
                        // Wireshark shows a frame's pcapng comments above its tree; -v also names the
                        // interface, which matters when one file holds several.
                        for comment in record.comments { Console.line("        comment: \(comment)") }
                        if verbose, let name = record.interfaceName { Console.line("        interface: \(name)") }
                    }
                    if detail, !json { bfdTree.tree(record).forEach(Console.line) }
                }
            }
        } catch {
            readError = error
        }
        if display == .bgp, !count {
            // What waited behind a gap the capture never filled, at the frames that carried it.
            let first = decoder.firstTimestampNanoseconds ?? 0
            for event in bgp.finish() {
                switch event {
                case .message(let record):
                    if json {
                        Console.line(bgpJSON.line(record, firstTimestamp: first))
                    } else {
                        Console.line(bgpRenderer.line(record, firstTimestamp: first))
                        if detail { bgpRenderer.tree(record).forEach(Console.line) }
                    }
                case .transport(let transport):
                    if case .endsMidMessage(let bytes) = transport.kind {
                        Console.error("\(path): the capture ends mid-message: \(bytes) byte(s) of a BGP message from \(transport.source) were never completed")
                    }
                }
            }
            if bgp.directionsForgotten > 0 {
                Console.error("\(path): \(bgp.directionsForgotten) TCP direction(s) forgotten with their buffered bytes after more than "
                              + "\(capture.stateLimits.maxSessions) connection(s) were followed at once (the least recently seen first); "
                              + "raise the limit with --max-sessions")
            }
        }
        if let filter = capture.filter, decoder.tally.frames == 0 {
            Console.error("\(path): filter '\(filter)' matched none of the \(reader.framesRead) frame(s)")
        }
        if count {
            printCounts(decoder.tally, path: path)
        } else if !verbose, decoder.tally.undecodableTotal > 0 {
            let kinds = decoder.tally.undecodable.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            Console.error("\(path): \(decoder.tally.undecodableTotal) frame(s) not decoded (\(kinds.joined(separator: ", "))); -v lists them")
        }
        if let readError { throw readError }
    }

    private func printCounts(_ tally: DecodeTally, path: String) {
        func row(_ name: String, _ value: Int, indent: Bool = false) {
            let label = (indent ? "  " : "") + name
            let padding = String(repeating: " ", count: max(1, 28 - label.count))
            Console.line(label + padding + String(value))
        }
        row("frames", tally.frames)
        row("bfd.control", tally.bfdControlTotal)
        for (transport, value) in tally.bfdControlByTransport where value > 0 {
            row(transport.description, value, indent: true)
        }
        row("bfd.echo", tally.bfdEcho)
        row("bfd.malformed", tally.bfdMalformedTotal)
        for (code, value) in tally.bfdMalformed.sorted(by: { $0.key < $1.key }) { row(code, value, indent: true) }
        row("bgp (tcp/179 segments)", tally.bgpSegments)
        row("other udp", tally.otherUDP)
        row("other tcp", tally.otherTCP)
        row("other ip", tally.otherIP)
        row("not ip", tally.notIP)
        row("undecodable", tally.undecodableTotal)
        for (code, value) in tally.undecodable.sorted(by: { $0.key < $1.key }) { row(code, value, indent: true) }
        if tally.snapped > 0 { row("cut by snaplen", tally.snapped) }
    }
}
