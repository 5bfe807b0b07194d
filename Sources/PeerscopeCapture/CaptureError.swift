/// Why a capture could not be opened or read to its end. Each case renders as one line a user can act on.
public enum CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case permissionDenied(path: String)
    case emptyFile(path: String)
    /// libpcap did not recognise the file as pcap or pcapng.
    case notACaptureFile(path: String, detail: String)
    case openFailed(path: String, detail: String)
    case unsupportedLinkType(path: String, linkType: String)
    case invalidFilter(filter: String, detail: String)
    /// Reading stopped part-way (a record cut short, a corrupt block); frames up to `afterFrame` were read.
    case readFailed(path: String, afterFrame: Int, detail: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): "\(path): no such file"
        case .isDirectory(let path): "\(path): is a directory, not a capture file"
        case .permissionDenied(let path): "\(path): permission denied"
        case .emptyFile(let path): "\(path): empty file, not a capture"
        case .notACaptureFile(let path, let detail): "\(path): not a pcap or pcapng file (\(detail))"
        case .openFailed(let path, let detail): "\(path): cannot open: \(detail)"
        case .unsupportedLinkType(let path, let linkType):
            "\(path): unsupported link type \(linkType) (supported: EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL, LOOP)"
        case .invalidFilter(let filter, let detail): "invalid capture filter '\(filter)': \(detail)"
        case .readFailed(let path, let afterFrame, let detail):
            "\(path): read error after frame \(afterFrame): \(detail)"
        }
    }
}
