import PeerscopeConformance
import PeerscopeReport

extension Finding {
    /// The message as the user reads it: rules keep it typed, only PeerscopeReport writes it out.
    var messageText: String { FindingValueText.message(of: self) }
}
