#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the first blocks of a capture file to learn what libpcap does not report: the timestamp
/// resolution the file was written with (pcap magic number, pcapng `if_tsresol`).
enum CaptureFileProbe {
    /// True when the file starts with a pcapng Section Header Block.
    static func isPcapng(path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 4)
        return fread(&head, 1, 4, file) == 4 && head == [0x0A, 0x0D, 0x0D, 0x0A]
    }

    static func resolution(of path: String) -> TimestampResolution {
        guard let file = fopen(path, "rb") else { return .unknown }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 4096)
        let count = fread(&head, 1, head.count, file)
        return resolution(ofHead: Array(head.prefix(count)))
    }

    static func resolution(ofHead head: [UInt8]) -> TimestampResolution {
        guard head.count >= 4 else { return .unknown }
        let magic = head.prefix(4)
        switch Array(magic) {
        case [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4]: return .microseconds
        case [0x4D, 0x3C, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D]: return .nanoseconds
        case [0x0A, 0x0D, 0x0D, 0x0A]: return pcapngResolution(head)
        default: return .unknown
        }
    }

    /// Finds the first Interface Description Block and its `if_tsresol` option (code 9);
    /// absent means microseconds (pcapng spec).
    private static func pcapngResolution(_ head: [UInt8]) -> TimestampResolution {
        guard head.count >= 12 else { return .unknown }
        let littleEndian = head[8] == 0x4D && head[9] == 0x3C
        func u32(_ at: Int) -> UInt32? {
            guard at + 4 <= head.count else { return nil }
            let b = head[at..<(at + 4)].map(UInt32.init)
            return littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
        }
        func u16(_ at: Int) -> UInt16? {
            guard at + 2 <= head.count else { return nil }
            return littleEndian ? UInt16(head[at]) | UInt16(head[at + 1]) << 8 : UInt16(head[at]) << 8 | UInt16(head[at + 1])
        }
        var offset = 0
        while let type = u32(offset), let length = u32(offset + 4), length >= 12, length % 4 == 0 {
            if type == 1 {
                var option = offset + 16
                let end = offset + Int(length) - 4
                while option + 4 <= end, let code = u16(option), let optionLength = u16(option + 2) {
                    if code == 0 { break }
                    if code == 9, optionLength >= 1, option + 4 < head.count {
                        let value = head[option + 4]
                        let exponent = Int(value & 0x7F)
                        if value & 0x80 == 0 {
                            if exponent == 6 { return .microseconds }
                            if exponent == 9 { return .nanoseconds }
                            var tick: Int64 = 1_000_000_000
                            for _ in 0..<min(exponent, 9) { tick /= 10 }
                            return .other(nanosecondsPerTick: tick)
                        }
                        return .other(nanosecondsPerTick: exponent >= 30 ? 1 : Int64(1_000_000_000 >> exponent))
                    }
                    option += 4 + (Int(optionLength) + 3) / 4 * 4
                }
                return .microseconds
            }
            offset += Int(length)
        }
        return .unknown
    }
}
