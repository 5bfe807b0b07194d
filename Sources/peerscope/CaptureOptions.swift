import ArgumentParser

/// Options every capture-reading subcommand shares, named as tcpdump and tshark name them.
struct CaptureOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("pcap or pcapng files ('-' reads standard input).", valueName: "file"))
    var files: [String]

    @Option(name: [.customShort("f"), .customLong("filter")],
            help: ArgumentHelp("BPF capture filter applied while reading, as in tcpdump.", valueName: "bpf"))
    var filter: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("no capture file given") }
        guard files.filter({ $0 == "-" }).count <= 1 else {
            throw ValidationError("standard input ('-') can be read only once")
        }
    }
}
