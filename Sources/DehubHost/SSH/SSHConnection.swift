import Synchronization

/// One SSH connection as its login, its sessions and its idle watch share it (from its thread and from the tasks
/// that run its sessions): who logged in, how many session channels are open, and when data last flowed on any.
///
/// Activity is session data only (a command's input and output): SSH keepalives (global requests such as
/// `keepalive@openssh.com`, `ServerAliveInterval`), window adjustments and channel requests do not count,
/// so a client cannot hold a connection (or a git slot) open with keepalives alone.
final class SSHConnection: Sendable {
    private struct State {
        var identity: Identity?
        var openSessions = 0
        var lastActivity: ContinuousClock.Instant
        /// Sessions waiting for a git slot: the wait is the host's doing, not idleness.
        var waiting = 0
    }

    /// The source the connection counts against (`ConnectionGuard.sourceKey`).
    let source: String
    let maxSessions: Int
    private let state: Mutex<State>

    init(source: String, maxSessions: Int) {
        self.source = source
        self.maxSessions = maxSessions
        self.state = Mutex(State(lastActivity: .now))
    }

    var identity: Identity? { state.withLock { $0.identity } }

    /// Authentication succeeded: remember who.
    func authenticated(_ identity: Identity) {
        state.withLock {
            $0.identity = identity
            $0.lastActivity = .now
        }
    }

    /// A session channel opens: false when the connection already has `maxSessions` open.
    func openSession() -> Bool {
        state.withLock { s in
            guard s.openSessions < maxSessions else { return false }
            s.openSessions += 1
            return true
        }
    }

    func closeSession() { state.withLock { $0.openSessions -= 1 } }

    /// Session data went one way or the other.
    func touch() { state.withLock { $0.lastActivity = .now } }

    func beginWaiting() { state.withLock { $0.waiting += 1 } }
    func endWaiting() {
        state.withLock {
            $0.waiting -= 1
            $0.lastActivity = .now
        }
    }

    /// Whether no session data flowed for `timeout` (and no session waits for a git slot).
    func isIdle(for timeout: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { $0.waiting == 0 && now - $0.lastActivity >= timeout }
    }

    /// When the connection becomes idle if nothing moves (nil while a session waits for a slot).
    func idleDeadline(timeout: Duration) -> ContinuousClock.Instant? {
        state.withLock { $0.waiting == 0 ? $0.lastActivity + timeout : nil }
    }
}
