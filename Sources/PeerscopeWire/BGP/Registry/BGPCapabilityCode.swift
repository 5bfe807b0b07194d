/// Capability codes (IANA "Capability Codes", RFC 5492 §4) with the registry's names. The OPEN
/// decoder names capabilities it does not decode from here, and so do the renderers.
public enum BGPCapabilityCode {
    /// The IANA name of a capability code, or "Unassigned capability N".
    public static func name(_ code: UInt8) -> String {
        switch code {
        case 1: "Multiprotocol Extensions for BGP-4"
        case 2: "Route Refresh Capability for BGP-4"
        case 3: "Outbound Route Filtering Capability"
        case 4: "Multiple routes to a destination capability (deprecated)"
        case 5: "Extended Next Hop Encoding"
        case 6: "BGP Extended Message"
        case 7: "BGPsec Capability"
        case 8: "Multiple Labels Capability"
        case 9: "BGP Role"
        case 64: "Graceful Restart Capability"
        case 65: "Support for 4-octet AS number capability"
        case 66: "Deprecated (2003-03-06)"
        case 67: "Support for Dynamic Capability (capability specific)"
        case 68: "Multisession BGP Capability"
        case 69: "ADD-PATH Capability"
        case 70: "Enhanced Route Refresh Capability"
        case 71: "Long-Lived Graceful Restart (LLGR) Capability"
        case 72: "Routing Policy Distribution"
        case 73: "FQDN Capability"
        case 74: "BFD Capability"
        case 75: "Software Version Capability"
        // Cisco's codes from before the standard codes were assigned (IANA marks them deprecated).
        case 128: "Prestandard Route Refresh (deprecated)"
        case 129: "Prestandard Outbound Route Filtering (deprecated)"
        case 130: "Prestandard Outbound Route Filtering (deprecated)"
        case 131: "Prestandard Multisession (deprecated)"
        case 184: "Prestandard FQDN (deprecated)"
        case 185: "Prestandard OPERATIONAL message (deprecated)"
        case 239...254: "Reserved for Experimental Use"
        case 0, 255: "Reserved"
        default: "Unassigned capability \(code)"
        }
    }
}
