/// Well-known COMMUNITIES values (IANA "BGP Well-known Communities"; RFC 1997, RFC 3765, RFC 7999,
/// RFC 8326, RFC 7611, RFC 9494). A community not in the table prints as AS:value.
public enum BGPWellKnownCommunity {
    public static func name(_ community: UInt32) -> String? {
        switch community {
        case 0xFFFF_0000: "GRACEFUL_SHUTDOWN"  // RFC 8326
        case 0xFFFF_0001: "ACCEPT_OWN"  // RFC 7611
        case 0xFFFF_0002: "ROUTE_FILTER_TRANSLATED_v4"
        case 0xFFFF_0003: "ROUTE_FILTER_v4"
        case 0xFFFF_0004: "ROUTE_FILTER_TRANSLATED_v6"
        case 0xFFFF_0005: "ROUTE_FILTER_v6"
        case 0xFFFF_0006: "LLGR_STALE"  // RFC 9494
        case 0xFFFF_0007: "NO_LLGR"  // RFC 9494
        case 0xFFFF_0008: "accept-own-nexthop"
        case 0xFFFF_029A: "BLACKHOLE"  // RFC 7999
        case 0xFFFF_FF01: "NO_EXPORT"  // RFC 1997
        case 0xFFFF_FF02: "NO_ADVERTISE"  // RFC 1997
        case 0xFFFF_FF03: "NO_EXPORT_SUBCONFED"  // RFC 1997
        case 0xFFFF_FF04: "NOPEER"  // RFC 3765
        default: nil
        }
    }

    /// The community as a router prints it: its well-known name, or AS:value.
    public static func text(_ community: UInt32) -> String {
        name(community) ?? "\(community >> 16):\(community & 0xFFFF)"
    }
}
