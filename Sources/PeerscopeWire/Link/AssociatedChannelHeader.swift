/// The Associated Channel Header that follows an MPLS label stack (RFC 4385 §3.1/§5, generalised
/// by RFC 5586 §2.1 as the G-ACh; under a GAL, label 13, for MPLS-TP LSPs and sections):
///
///     | 0001 | version (4) | reserved (8) | channel type (16) |
///
/// The first nibble 0001 tells it from an IP packet (4 or 6) and from a PW control word (0000).
public struct AssociatedChannelHeader: Hashable, Sendable {
    public static let length = 4
    /// RFC 5586 §4: the Generic Associated Channel Label.
    public static let genericAssociatedChannelLabel: UInt32 = 13

    public var version: UInt8
    public var channelType: UInt16

    public init(version: UInt8 = 0, channelType: UInt16) {
        self.version = version
        self.channelType = channelType
    }

    /// IANA "MPLS Generalized Associated Channel (G-ACh) Types (including Pseudowire Associated
    /// Channel Types)": the values that carry BFD or an IP packet.
    public enum ChannelType {
        /// RFC 5885 §3.2: BFD Control, PW-ACH-encapsulated, without IP/UDP headers (VCCV).
        public static let bfdWithoutIP: UInt16 = 0x0007
        /// RFC 4385 §5 / RFC 5885 §3.2: an IPv4 packet (VCCV BFD with IP/UDP headers).
        public static let ipv4: UInt16 = 0x0021
        /// RFC 6428 §3.1: BFD Continuity Check for MPLS-TP.
        public static let mplsTPContinuityCheck: UInt16 = 0x0022
        /// RFC 6428 §3.1: BFD Connectivity Verification for MPLS-TP (a Source MEP-ID TLV follows the BFD packet).
        public static let mplsTPConnectivityVerification: UInt16 = 0x0023
        /// RFC 4385 §5: an IPv6 packet.
        public static let ipv6: UInt16 = 0x0057

        /// True for the channel types whose payload is a bare BFD Control packet.
        public static func carriesBFD(_ type: UInt16) -> Bool {
            type == bfdWithoutIP || type == mplsTPContinuityCheck || type == mplsTPConnectivityVerification
        }
    }

    public static func decode(_ cursor: inout ByteCursor) throws(WireError) -> AssociatedChannelHeader {
        let start = cursor.offset
        guard let word = cursor.readUInt32() else {
            throw WireError(.mpls, .truncated(needed: length, available: cursor.remaining), at: start)
        }
        guard word >> 28 == 1 else { throw WireError(.mpls, .unsupported(word >> 28), at: start) }
        let version = UInt8(word >> 24 & 0xF)
        // RFC 5586 §2.1: version 0 is the only one defined; another means another format.
        guard version == 0 else { throw WireError(.mpls, .badVersion(version), at: start) }
        return AssociatedChannelHeader(version: version, channelType: UInt16(word & 0xFFFF))
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendUInt32(0x1000_0000 | UInt32(version & 0xF) << 24 | UInt32(channelType))
    }
}
