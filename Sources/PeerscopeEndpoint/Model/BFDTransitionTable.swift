import PeerscopeWire

/// A change of bfd.SessionState and the bfd.LocalDiag that goes with it (nil: LocalDiag keeps
/// its value).
public struct BFDStateChange: Hashable, Sendable {
    public var next: BFDState
    public var diagnostic: BFDDiagnostic?

    public init(next: BFDState, diagnostic: BFDDiagnostic?) {
        self.next = next
        self.diagnostic = diagnostic
    }
}

/// The state machine of RFC 5880 §6.2, in the words of §6.8.6's reception pseudocode and §6.8.4's
/// Detection Time, without a side: given where a system is and what it heard, where it goes.
/// The endpoint moves itself with it; the analyzer predicts each captured side with it.
public enum BFDTransitionTable {
    /// A Control packet that passed every §6.8.6 check arrives with State `received`.
    /// nil: no change. A system in AdminDown never gets here (§6.8.6 discards the packet).
    ///
    ///     local \ received | AdminDown      | Down           | Init | Up
    ///     Down             | —              | Init           | Up   | —
    ///     Init             | Down (diag 3)  | —              | Up   | Up
    ///     Up               | Down (diag 3)  | Down (diag 3)  | —    | —
    public static func onReceive(local: BFDState, received: BFDState) -> BFDStateChange? {
        switch (local, received) {
        case (.adminDown, _):
            return nil
        // "If received state is AdminDown: If bfd.SessionState is not Down: Set bfd.LocalDiag to 3
        // (Neighbor signaled session down), Set bfd.SessionState to Down".
        case (.down, .adminDown):
            return nil
        case (.`init`, .adminDown), (.up, .adminDown):
            return BFDStateChange(next: .down, diagnostic: .neighborSignaledSessionDown)
        // "If bfd.SessionState is Down: If received State is Down, set bfd.SessionState to Init;
        // Else if received State is Init, set bfd.SessionState to Up".
        case (.down, .down):
            return BFDStateChange(next: .`init`, diagnostic: nil)
        // Coming Up clears the diag: LocalDiag names the reason for the most recent state change
        // (§6.8.1), and a session coming Up has no failure to report (our reading; FRR does the same).
        case (.down, .`init`):
            return BFDStateChange(next: .up, diagnostic: BFDDiagnostic.none)
        case (.down, .up):
            return nil
        // "Else if bfd.SessionState is Init: If received State is Init or Up, set
        // bfd.SessionState to Up". Init hearing Down stays in Init (§6.2's diagram has no
        // Init --DOWN--> edge); only the Detection Time takes it back to Down.
        case (.`init`, .`init`), (.`init`, .up):
            return BFDStateChange(next: .up, diagnostic: BFDDiagnostic.none)
        case (.`init`, .down):
            return nil
        // "Else (bfd.SessionState is Up): If received State is Down, Set bfd.LocalDiag to 3
        // (Neighbor signaled session down), Set bfd.SessionState to Down".
        case (.up, .down):
            return BFDStateChange(next: .down, diagnostic: .neighborSignaledSessionDown)
        case (.up, .`init`), (.up, .up):
            return nil
        }
    }

    /// §6.8.4: the Detection Time passed without a valid packet. A session in Init or Up goes Down
    /// with diag 1 (Control Detection Time Expired); Down and AdminDown stay.
    public static func onDetectionTimeExpired(local: BFDState) -> BFDStateChange? {
        switch local {
        case .`init`, .up: BFDStateChange(next: .down, diagnostic: .controlDetectionTimeExpired)
        case .down, .adminDown: nil
        }
    }
}
