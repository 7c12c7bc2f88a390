import Foundation
import Synchronization

/// The one owner of a running git's fate: the first failure from any side (the client's input, a write to the
/// client, the idle watchdog, cancellation) is recorded, notes the push's quarantine, kills git's process group
/// and tells the transport to drop the connection, all at once and exactly once. git's output then ends, the run
/// unwinds, git is reaped and its slot freed; the run throws the recorded failure.
final class GitRunControl: Sendable {
    private struct State {
        var failure: (any Error)?
        var lastActivity: ContinuousClock.Instant
        var quarantines: [String] = []
    }

    private let state: Mutex<State>
    private let group: pid_t
    private let pushRepoPath: String?
    private let kill: @Sendable () -> Void
    private let onAbort: @Sendable (any Error) -> Void

    /// - Parameters:
    ///   - group: git's process group (git is its leader).
    ///   - pushRepoPath: the repository, when git is a push (its quarantine is noted before the kill).
    ///   - kill: SIGKILL to the group.
    ///   - onAbort: the transport's part (HTTP closes the connection, so a write blocked on the client fails).
    init(group: pid_t, pushRepoPath: String?, kill: @escaping @Sendable () -> Void,
         onAbort: @escaping @Sendable (any Error) -> Void) {
        self.state = Mutex(State(lastActivity: .now))
        self.group = group
        self.pushRepoPath = pushRepoPath
        self.kill = kill
        self.onAbort = onAbort
    }

    /// The first failure, if the run was aborted.
    var failure: (any Error)? { state.withLock { $0.failure } }

    /// Quarantine directories of a killed push, to remove once its processes are gone.
    var quarantines: [String] { state.withLock { $0.quarantines } }

    /// Bytes moved in either direction.
    func touch() { state.withLock { $0.lastActivity = .now } }

    var lastActivity: ContinuousClock.Instant { state.withLock { $0.lastActivity } }

    /// Records `error` unless a failure was recorded before; the first one kills the group.
    func abort(_ error: any Error) {
        let first = state.withLock { s -> Bool in
            guard s.failure == nil else { return false }
            s.failure = error
            return true
        }
        guard first else { return }
        // Read while the processes still exist: their environment names the quarantine.
        let quarantines = pushRepoPath.map { PushQuarantine.paths(usedByGroup: group, repoPath: $0) } ?? []
        state.withLock { $0.quarantines = quarantines }
        kill()
        onAbort(error)
    }
}

/// git moved no byte in either direction for the idle limit.
public struct GitIdleTimeout: Error, CustomStringConvertible {
    public let seconds: Int64
    public var description: String { "git moved no data for \(seconds) seconds" }
}
