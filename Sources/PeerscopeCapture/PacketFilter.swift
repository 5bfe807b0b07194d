import CPcap

/// A BPF capture filter applied to each record after it is read, not by libpcap's reader, so the
/// records it rejects still count: frame N stays the file's frame N (Wireshark's numbering) and
/// the time origin stays the file's first record whatever the filter. Compiled once per link
/// type, since a pcapng file may mix them.
final class PacketFilter {
    let expression: String
    private var programs: [Int32: bpf_program] = [:]

    /// Compiles for `linkType` at once so a bad expression is refused before any frame is read.
    init(expression: String, linkType: Int32) throws(CaptureError) {
        self.expression = expression
        _ = try program(for: linkType)
    }

    deinit {
        for key in programs.keys { pcap_freecode(&programs[key]!) }
    }

    /// A frame of a link type the expression cannot be compiled for does not match.
    func matches(linkType: Int32, bytes: UnsafeRawBufferPointer, originalLength: Int) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var header = pcap_pkthdr()
        header.caplen = UInt32(truncatingIfNeeded: bytes.count)
        header.len = UInt32(truncatingIfNeeded: originalLength)
        if programs[linkType] == nil {
            do { _ = try program(for: linkType) } catch { return false }
        }
        return pcap_offline_filter(&programs[linkType]!, &header, base.assumingMemoryBound(to: UInt8.self)) != 0
    }

    private func program(for linkType: Int32) throws(CaptureError) -> bpf_program {
        if let program = programs[linkType] { return program }
        guard let dead = pcap_open_dead(linkType, 262_144) else {
            throw .invalidFilter(filter: expression, detail: "cannot compile for link type \(linkType)")
        }
        defer { pcap_close(dead) }
        var program = bpf_program()
        guard pcap_compile(dead, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw .invalidFilter(filter: expression, detail: String(cString: pcap_geterr(dead)))
        }
        programs[linkType] = program
        return program
    }
}
