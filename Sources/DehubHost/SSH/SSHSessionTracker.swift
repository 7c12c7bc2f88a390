import Synchronization

/// Counts running SSH sessions and knows the open connections, so that shutdown can stop new work,
/// wait for running pushes (bounded), then close what is left.
final class SSHSessionTracker: Sendable {
    private struct State {
        var running = 0
        var closing = false
        var connections: [ObjectIdentifier: SSHConnectionLoop] = [:]
    }

    private let state = Mutex(State())

    struct Ticket: Sendable {}

    /// A ticket for a new session, or nil once shutdown began.
    func begin() -> Ticket? {
        state.withLock { state in
            guard !state.closing else { return nil }
            state.running += 1
            return Ticket()
        }
    }

    func end(_: Ticket) { state.withLock { $0.running -= 1 } }

    var running: Int { state.withLock { $0.running } }

    /// Whether shutdown began (no new connections are accepted).
    var isClosing: Bool { state.withLock { $0.closing } }

    func add(_ connection: SSHConnectionLoop) {
        state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
    }

    func remove(_ connection: SSHConnectionLoop) {
        state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Open connections (for the figures and the tests).
    var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Stops new sessions, waits up to `grace` for running ones, then closes every connection and waits (briefly)
    /// for their threads to end.
    func shutDown(grace: Duration) async {
        state.withLock { $0.closing = true }
        let deadline = ContinuousClock.now + grace
        while running > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let open = state.withLock { Array($0.connections.values) }
        for connection in open { connection.stop() }
        let closed = ContinuousClock.now + .seconds(2)
        while connectionCount > 0, ContinuousClock.now < closed {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
