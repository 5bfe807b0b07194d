import PeerscopeEndpoint
import PeerscopeWire
import Glibc

/// The BGP side of a probe run: our speaker (RFC 4271 §8) over one TCP connection to the device,
/// connecting (probe) or listening (respond), with what it saw recorded for the verdicts.
extension SessionDriver {
    /// ManualStart of our speaker (probe: connects to peer:179; respond: listens).
    public func startBGP() throws {
        guard let speaker else { return }
        if speaker.state == .idle { try performBGP(self.speaker!.start(now: now)) }
    }

    /// Cease / Administrative Shutdown, then close.
    public func stopBGP() throws {
        guard let speaker else { return }
        try performBGP(self.speaker!.stop(now: now))
        _ = speaker
    }

    public var bgpState: BGPSessionState? { speaker?.state }

    func performBGP(_ actions: [BGPSpeakerAction]) throws {
        for action in actions {
            switch action {
            case .connect:
                try openConnection()
            case .listen:
                break  // respond's listener is always open; the probe never listens
            case .send(let bytes):
                writeTCP(bytes)
                if bytes.count >= 21, bytes[18] == 3 {
                    note(.notificationSent(code: bytes[19], subcode: bytes[20]))
                }
            case .close:
                closeConnection()
            case .established:
                note(.established)
            case .notificationReceived(let notification):
                note(.notificationReceived(code: notification.code, subcode: notification.subcode))
            case .stateChanged, .routesReceived, .routesWithdrawn, .endOfRIBReceived, .error:
                break
            }
        }
    }

    func note(_ kind: BGPObservation.Kind) {
        let time = now
        let observation = BGPObservation(time: time, wallTime: time + Self.wallOffset, kind: kind)
        record.bgp.append(observation)
        onBGP?(observation)
    }

    func openConnection() throws {
        closeConnection()
        let peer = SocketAddress(target.peer, port: TCPListener.bgpPort)
        let attempt = try TCPConnection.connect(to: peer, from: localAddress, options: tcpOptions,
                                                peerGuard: &tcpGuard, now: now)
        connection = attempt
        try loop.register(attempt.fileDescriptor, interest: attempt.state == .established ? .readable : .writable)
        if attempt.state == .established {
            note(.connected)
            try performBGP(speaker!.tcpConnected(now: now))
        }
    }

    func closeConnection() {
        guard let connection else { return }
        if !pendingWrite.isEmpty { _ = try? connection.write(pendingWrite) }
        pendingWrite = []
        try? loop.unregister(connection.fileDescriptor)
        connection.close()
        self.connection = nil
    }

    func writeTCP(_ bytes: [UInt8]) {
        guard let connection, connection.state == .established else { return }
        pendingWrite += bytes
        if let written = try? connection.write(pendingWrite) {
            pendingWrite.removeFirst(written)
        }
        if !pendingWrite.isEmpty { try? loop.modify(connection.fileDescriptor, interest: [.readable, .writable]) }
    }

    func connectionEvent(readable: Bool, writable: Bool) throws {
        guard let connection, var speaker else { return }
        if connection.state == .connecting {
            do {
                guard try connection.finishConnecting() else { return }
            } catch {
                closeConnection()
                try performBGP(speaker.tcpFailed(now: now))
                self.speaker = speaker
                return
            }
            try loop.modify(connection.fileDescriptor, interest: .readable)
            note(.connected)
            let actions = speaker.tcpConnected(now: now)
            self.speaker = speaker
            try performBGP(actions)
            return
        }
        if writable, !pendingWrite.isEmpty {
            if let written = try? connection.write(pendingWrite) { pendingWrite.removeFirst(written) }
            if pendingWrite.isEmpty { try loop.modify(connection.fileDescriptor, interest: .readable) }
        }
        guard readable else { return }
        while self.connection === connection {
            let result: TCPReadResult
            do {
                result = try connection.read()
            } catch {
                note(.closedByPeer(reset: true))
                closeConnection()
                try performBGP(self.speaker!.tcpFailed(now: now))
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .endOfStream:
                note(.closedByPeer(reset: false))
                closeConnection()
                try performBGP(self.speaker!.tcpFailed(now: now))
                return
            case .bytes(let bytes):
                try performBGP(self.speaker!.receive(bytes: bytes, now: now))
            }
        }
    }

    func acceptConnection() throws {
        guard let listener else { return }
        while let accepted = try listener.accept() {
            let state = speaker?.state ?? .idle
            guard accepted.peerAddress?.address == target.peer, connection == nil,
                  state == .idle || state == .active || state == .connect
            else {
                accepted.close()
                continue
            }
            if state == .idle { try performBGP(speaker!.start(now: now)) }
            connection = accepted
            try loop.register(accepted.fileDescriptor, interest: .readable)
            note(.connected)
            try performBGP(speaker!.tcpConnected(now: now))
        }
    }
}
