import ArgumentParser

/// Options every capture-reading subcommand shares, named as tcpdump and tshark name them.
struct CaptureOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("pcap or pcapng files ('-' reads standard input).", valueName: "file"))
    var files: [String]

    @Option(name: [.customShort("f"), .customLong("filter")],
            help: ArgumentHelp("BPF capture filter applied while reading, as in tcpdump.", valueName: "bpf"))
    var filter: String?

    @Option(name: .customLong("tcp-buffer"),
            help: ArgumentHelp("Most KiB of out-of-order TCP data held per direction before a gap is given up as a hole.",
                               valueName: "KiB"))
    var tcpBufferKiB = 1_024

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("no capture file given") }
        guard (1...1_048_576).contains(tcpBufferKiB) else { throw ValidationError("--tcp-buffer must be 1–1048576 KiB") }
        guard files.filter({ $0 == "-" }).count <= 1 else {
            throw ValidationError("standard input ('-') can be read only once")
        }
    }
}
