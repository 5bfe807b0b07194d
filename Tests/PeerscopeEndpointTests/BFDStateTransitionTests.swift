import PeerscopeEndpoint
import PeerscopeWire
import Testing

/// The full §6.8.6 state table: every local state × every received state.
@Suite("BFD state transitions")
struct BFDStateTransitionTests {
    /// A session driven by a scripted peer into `state`.
    static func session(in state: BFDState) -> BFDEndpoint {
        var session = endpoint(configuration())
        _ = session.start(now: 0)
        switch state {
        case .down: break
        case .`init`: _ = session.receive(peerPacket(.down, your: 0), now: 1 * millisecond)
        case .up: session = upEndpoint()
        case .adminDown: _ = session.adminDown(now: 1 * millisecond)
        }
        precondition(session.sessionState == state)
        return session
    }

    /// RFC 5880 §6.8.6 as (local, received) → (new state, diag set by the change or nil if none).
    static func expected(local: BFDState, received: BFDState) -> (BFDState, BFDDiagnostic?) {
        switch (local, received) {
        case (.adminDown, _): (.adminDown, nil)
        case (.down, .adminDown), (.down, .up): (.down, nil)
        case (.down, .down): (.`init`, nil)
        case (.down, .`init`): (.up, BFDDiagnostic.none)
        case (.`init`, .adminDown): (.down, .neighborSignaledSessionDown)
        case (.`init`, .down): (.`init`, nil)
        case (.`init`, .`init`), (.`init`, .up): (.up, BFDDiagnostic.none)
        case (.up, .adminDown), (.up, .down): (.down, .neighborSignaledSessionDown)
        case (.up, .`init`), (.up, .up): (.up, nil)
        }
    }

    // RFC 5880 §6.8.6 (state machine), §6.2 (diagram): all 16 combinations.
    @Test(arguments: BFDState.allCases, BFDState.allCases)
    func receivedStateDrivesTransitionPerRFCTable(local: BFDState, received: BFDState) {
        var session = Self.session(in: local)
        // A Down/AdminDown peer may not know us yet; an Init/Up one must (Your Discr check).
        let your = received == .down || received == .adminDown ? 0 : localDiscriminator
        let actions = session.receive(peerPacket(received, your: your), now: 10 * millisecond)
        let (state, diagnostic) = Self.expected(local: local, received: received)
        #expect(session.sessionState == state)
        if state == local {
            #expect(actions.stateChanges.isEmpty)
        } else {
            #expect(actions.stateChanges.count == 1)
            #expect(actions.stateChanges.first?.from == local && actions.stateChanges.first?.to == state)
            if let diagnostic { #expect(session.variables.localDiag == diagnostic) }
            // §6.8.7: the new state goes out at once.
            #expect(actions.packets.first?.state == state)
        }
        if local != .adminDown {
            #expect(session.variables.remoteSessionState == received)
            #expect(session.variables.remoteDiscr == peerDiscriminator)
        }
    }

    // RFC 5880 §6.8.6: AdminDown received while Up gives Down with diag 3, not diag 7.
    @Test func receivedAdminDownGivesNeighborSignaledSessionDown() {
        var session = upEndpoint()
        let actions = session.receive(peerPacket(.adminDown, your: 0, diagnostic: .administrativelyDown), now: 10 * millisecond)
        #expect(actions.stateChanges.map(\.diagnostic) == [.neighborSignaledSessionDown])
        #expect(actions.packets.first?.diagnostic == .neighborSignaledSessionDown)
    }

    // RFC 5880 §6.8.4: detection expiry in Init (not only Up) gives Down with diag 1.
    @Test func detectionExpiryInInitGivesDownWithDiagOne() {
        var session = Self.session(in: .`init`)
        let expiry = session.nextDeadline.map { _ in 1 * millisecond + 3 * second }!
        let actions = session.advance(to: expiry)
        #expect(actions.stateChanges.map(\.to) == [.down])
        #expect(session.variables.localDiag == .controlDetectionTimeExpired)
    }

    // RFC 5880 §6.8.1: the Detection Time expiring while Down only forgets bfd.RemoteDiscr.
    @Test func detectionExpiryWhileDownForgetsRemoteDiscriminator() {
        var session = endpoint(configuration())
        _ = session.start(now: 0)
        _ = session.receive(peerPacket(.up, your: localDiscriminator), now: 1 * millisecond)  // Down stays Down
        #expect(session.variables.remoteDiscr == peerDiscriminator)
        let actions = session.advance(to: 1 * millisecond + 3 * second)
        #expect(actions.stateChanges.isEmpty)
        #expect(session.variables.remoteDiscr == 0)
    }
}
