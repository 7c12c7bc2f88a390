import Foundation
import Synchronization

/// The one owner of a running git's fate: the first failure from any side (the client's input, a write to the
/// client, the idle watchdog, cancellation) is recorded, notes the push's quarantine, stops git's process group
/// and tells the transport to drop the connection, at once and exactly once. git's output then ends, the run
/// unwinds, git is reaped and its slot freed; the run throws the recorded failure.
///
/// Stopping is SIGTERM, then SIGKILL to whatever is left after `grace`: on SIGTERM git removes its own push
/// quarantine (its signal handler), even one it is in the middle of cleaning up after a cut-short pack, which a
/// SIGKILL would leave half removed. What a SIGKILL leaves is removed by `PushQuarantine`.
final class GitRunControl: Sendable {
    private struct State {
        var failure: (any Error)?
        var lastActivity: ContinuousClock.Instant
        var quarantines: Set<String> = []
        var escalation: Task<Void, Never>?
    }

    private let state: Mutex<State>
    let group: pid_t
    private let pushRepoPath: String?
    private let grace: Duration
    private let onAbort: @Sendable (any Error) -> Void

    /// - Parameters:
    ///   - group: git's process group (git is its leader).
    ///   - pushRepoPath: the repository, when git is a push (its quarantine is noted before the group is stopped).
    ///   - grace: how long the group has after SIGTERM before SIGKILL.
    ///   - onAbort: the transport's part (HTTP closes the connection, so a write blocked on the client fails).
    init(group: pid_t, pushRepoPath: String?, grace: Duration = .seconds(1), onAbort: @escaping @Sendable (any Error) -> Void) {
        self.state = Mutex(State(lastActivity: .now))
        self.group = group
        self.pushRepoPath = pushRepoPath
        self.grace = grace
        self.onAbort = onAbort
    }

    /// The first failure, if the run was aborted.
    var failure: (any Error)? { state.withLock { $0.failure } }

    /// Whether git is a push, whose quarantine must go with it if it is stopped.
    var isPush: Bool { pushRepoPath != nil }

    /// Notes the quarantine a running push's children name; true once one is known.
    func learnQuarantine() -> Bool {
        guard let pushRepoPath else { return true }
        let found = PushQuarantine.paths(usedByChildrenOf: group, repoPath: pushRepoPath)
        return state.withLock { s in
            s.quarantines.formUnion(found)
            return !s.quarantines.isEmpty
        }
    }

    /// Bytes moved in either direction.
    func touch() { state.withLock { $0.lastActivity = .now } }

    var lastActivity: ContinuousClock.Instant { state.withLock { $0.lastActivity } }

    /// Records `error` unless a failure was recorded before; the first one stops the group.
    func abort(_ error: any Error) {
        let first = state.withLock { s -> Bool in
            guard s.failure == nil else { return false }
            s.failure = error
            return true
        }
        guard first else { return }
        // Read while the processes still exist: their environment names the quarantine.
        let quarantines = pushRepoPath.map { PushQuarantine.paths(usedByGroup: group, repoPath: $0) } ?? []
        killpg(group, SIGTERM)
        let leader = group, grace = self.grace
        let escalation = Task {
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled else { return }
            Self.killRemaining(leader)
        }
        state.withLock {
            $0.quarantines.formUnion(quarantines)
            $0.escalation = escalation
        }
        onAbort(error)
    }

    /// After an aborted run: waits (at most the grace) for the group to end, kills what is left, and removes the
    /// quarantine the push left.
    func finishAbort() async {
        let (quarantines, escalation) = state.withLock { ($0.quarantines, $0.escalation) }
        let deadline = ContinuousClock.now + grace
        while !ProcessTable.members(ofGroup: group).isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        escalation?.cancel()
        Self.killRemaining(group)
        await PushQuarantine.remove(quarantines.sorted(), afterGroupEnds: group)
    }

    /// SIGKILL to the group while it has live members (a group id is not reused while a member exists).
    private static func killRemaining(_ group: pid_t) {
        if !ProcessTable.members(ofGroup: group).isEmpty { killpg(group, SIGKILL) }
    }
}

/// git moved no byte in either direction for the idle limit.
public struct GitIdleTimeout: Error, CustomStringConvertible {
    public let seconds: Int64
    public var description: String { "git moved no data for \(seconds) seconds" }
}
