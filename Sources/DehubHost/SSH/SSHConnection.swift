import NIOCore
import Synchronization

/// One SSH connection as its auth delegate, its sessions and its idle watch share it: who logged in, how many
/// session channels are open, and when data last flowed on any of them.
///
/// Activity is session data only (a command's input and output): SSH keepalives (global requests such as
/// `keepalive@openssh.com`, `ServerAliveInterval`), window adjustments and channel requests do not count,
/// so a client cannot hold a connection (or a git slot) open with keepalives alone.
final class SSHConnection: Sendable {
    private struct State {
        var identity: Identity?
        var openSessions = 0
        var lastActivity: NIODeadline
        /// Sessions waiting for a git slot: the wait is the host's doing, not idleness.
        var waiting = 0
    }

    let channel: any Channel
    /// The source the connection counts against (`ConnectionGuard.sourceKey`).
    let source: String
    let maxSessions: Int
    private let state: Mutex<State>

    init(channel: any Channel, maxSessions: Int) {
        self.channel = channel
        self.source = ConnectionGuard.sourceKey(channel.remoteAddress)
        self.maxSessions = maxSessions
        self.state = Mutex(State(lastActivity: .now()))
    }

    var identity: Identity? { state.withLock { $0.identity } }

    /// Authentication succeeded: remember who, and stop counting the connection as half-open.
    func authenticated(_ identity: Identity) {
        state.withLock {
            $0.identity = identity; $0.lastActivity = .now()
        }
        let channel = self.channel
        channel.eventLoop.execute { channel.pipeline.syncOperations.markConnectionAuthenticated() }
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
    func touch() { state.withLock { $0.lastActivity = .now() } }

    func beginWaiting() { state.withLock { $0.waiting += 1 } }
    func endWaiting() {
        state.withLock {
            $0.waiting -= 1; $0.lastActivity = .now()
        }
    }

    /// Whether no session data flowed for `timeout` (and no session waits for a git slot).
    func isIdle(for timeout: TimeAmount, now: NIODeadline = .now()) -> Bool {
        state.withLock { $0.waiting == 0 && now - $0.lastActivity >= timeout }
    }

    /// Closes the connection once it has been idle for `timeout`, checking a few times per timeout.
    func watchIdleness(timeout: TimeAmount) {
        let period = TimeAmount.nanoseconds(
            max(
                TimeAmount.milliseconds(250).nanoseconds,
                min(timeout.nanoseconds / 4, TimeAmount.seconds(10).nanoseconds)))
        let channel = self.channel
        let task = channel.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { task in
            if self.isIdle(for: timeout) {
                task.cancel()
                channel.close(promise: nil)
            }
        }
        channel.closeFuture.whenComplete { _ in task.cancel() }
    }
}
