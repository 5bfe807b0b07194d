import PeerscopeWire

/// One captured frame as the reader hands it out.
///
/// `bytes` borrows the reader's buffer: it is valid until the next call to `CaptureReader.next()`
/// and must not be kept, nor may `interfaceName` and `comments` be read after that call. Whatever
/// a timeline keeps is copied out of it by value.
public struct Frame {
    /// 1-based, as Wireshark numbers frames.
    public var number: Int
    /// Nanoseconds since the Unix epoch; files with microsecond timestamps give multiples of 1000.
    public var timestampNanoseconds: Int64
    public var capturedLength: Int
    public var originalLength: Int
    public var linkType: LinkType
    public var bytes: UnsafeRawBufferPointer
    /// pcapng: the interface the packet was captured on (its index in the section, and `if_name`).
    public var interfaceIndex: Int?
    public var interfaceName: String? { pcapng?.interfaceName }
    /// pcapng `opt_comment` options of the packet, in file order (Wireshark's `frame.comment`).
    public var comments: [String] { pcapng?.comments ?? [] }
    /// The name and comments, nil for classic pcap. Like `bytes` they are the reader's: it keeps
    /// the object alive until its next call, so the frame holds a plain pointer to it and stays
    /// trivially copyable: no retain, release or value-witness destroy per frame (issue 14,
    /// `decode --count`). Read them before the next call, as `bytes`. (A plain pointer, not an
    /// `unowned(unsafe)` optional: with that, debug builds took a frame with none for `nil`.)
    private var pcapngPointer: UnsafeRawPointer?
    /// Internal for `ReadAheadFrameSource`, which keeps the object alive while the frame crosses threads.
    var pcapng: PcapngExtras? {
        pcapngPointer.map { Unmanaged<PcapngExtras>.fromOpaque($0).takeUnretainedValue() }
    }

    public init(number: Int, timestampNanoseconds: Int64, capturedLength: Int, originalLength: Int,
                linkType: LinkType, bytes: UnsafeRawBufferPointer) {
        self.number = number
        self.timestampNanoseconds = timestampNanoseconds
        self.capturedLength = capturedLength
        self.originalLength = originalLength
        self.linkType = linkType
        self.bytes = bytes
    }

    /// Points the frame at its reader's pcapng fields (the caller keeps `extras` alive).
    mutating func borrowPcapng(_ extras: PcapngExtras?) {
        pcapngPointer = extras.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) }
    }

    /// True when snaplen cut the frame short.
    public var isTruncated: Bool { capturedLength < originalLength }
}

/// What a pcapng packet carries beyond a classic pcap record.
final class PcapngExtras {
    let interfaceName: String?
    let comments: [String]

    init(interfaceName: String?, comments: [String]) {
        self.interfaceName = interfaceName
        self.comments = comments
    }

    /// Nil when there is nothing to keep, so classic frames hold no object.
    var nonEmpty: PcapngExtras? { interfaceName == nil && comments.isEmpty ? nil : self }
}

/// The timestamp resolution a capture file was written with.
public enum TimestampResolution: Hashable, Sendable, CustomStringConvertible {
    case microseconds
    case nanoseconds
    /// A pcapng `if_tsresol` other than 10^-6 or 10^-9 (e.g. 2^-n), in nanoseconds per tick, rounded.
    case other(nanosecondsPerTick: Int64)
    case unknown

    /// The resolution of a pcapng interface's `if_tsresol` byte.
    public init(pcapngResolution value: UInt8) {
        switch value {
        case 6: self = .microseconds
        case 9: self = .nanoseconds
        default: self = .other(nanosecondsPerTick: CaptureTimestamp.tickNanoseconds(resolution: value))
        }
    }

    /// How many nanoseconds one tick of the file's clock spans (timing tolerances use this).
    public var nanoseconds: Int64 {
        switch self {
        case .microseconds, .unknown: 1_000
        case .nanoseconds: 1
        case .other(let tick): max(tick, 1)
        }
    }

    public var description: String {
        switch self {
        case .microseconds: "µs"
        case .nanoseconds: "ns"
        case .other(let tick): "\(tick) ns"
        case .unknown: "unknown (assumed µs)"
        }
    }
}
