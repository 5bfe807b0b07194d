/// Why a packet was not sent: the safety guard refused it, or the kernel did.
public enum SendError: Error, Hashable, Sendable, CustomStringConvertible {
    case refused(PeerGuardError)
    case socket(SocketError)

    public var description: String {
        switch self {
        case .refused(let error): "refused by the peer guard: \(error)"
        case .socket(let error): error.description
        }
    }
}
