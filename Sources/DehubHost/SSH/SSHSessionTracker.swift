import NIOConcurrencyHelpers
import NIOCore

/// Counts running SSH sessions and knows the open connections, so that shutdown can stop new work,
/// wait for running pushes (bounded), then close what is left.
final class SSHSessionTracker: Sendable {
    private struct State {
        var running = 0
        var closing = false
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = NIOLockedValueBox(State())

    struct Ticket: Sendable {}

    /// A ticket for a new session, or nil once shutdown began.
    func begin() -> Ticket? {
        state.withLockedValue { state in
            guard !state.closing else { return nil }
            state.running += 1
            return Ticket()
        }
    }

    func end(_: Ticket) { state.withLockedValue { $0.running -= 1 } }

    var running: Int { state.withLockedValue { $0.running } }

    func add(_ channel: any Channel) {
        state.withLockedValue { $0.connections[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLockedValue { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    /// Stops new sessions, waits up to `grace` for running ones, then closes every connection.
    func shutDown(grace: Duration) async {
        state.withLockedValue { $0.closing = true }
        let deadline = ContinuousClock.now + grace
        while running > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let open = state.withLockedValue { Array($0.connections.values) }
        for channel in open { channel.close(promise: nil) }
    }
}
