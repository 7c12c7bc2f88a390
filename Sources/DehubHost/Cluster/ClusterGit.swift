import DehubCluster
import DehubReplication

/// The git commands a cluster node runs on its own copies: fetch objects from another node, check an object is
/// there, apply verified ref moves with their old values. Every one of them runs with
/// hooks switched off (`core.hooksPath=/dev/null`): the node's own ref moves are not pushes, and must not go
/// through the `reference-transaction` hook back to the store.
enum ClusterGit {
    typealias Output = GitCommand.Output

    static let noHooks = ["-c", "core.hooksPath=/dev/null"]

    /// Whether the repo holds the object (and, through the fetch's connectivity check, what it reaches).
    static func hasObject(_ oid: String, in repo: String) async throws -> Bool {
        try await GitCommand.run(noHooks + ["--git-dir", repo, "cat-file", "-e", oid]).succeeded
    }

    /// Fetches the objects of `oids` (and what they reach) from `url` into the repo, without touching a ref, with
    /// every object checked (`fetch.fsckObjects`).
    static func fetch(_ oids: [String], from url: String, into repo: String, environment: [String: String] = [:]) async throws
        -> Output
    {
        try await GitCommand.run(
            noHooks + [
                "-c", "fetch.fsckObjects=true", "-c", "protocol.version=2", "-c",
                "http.extraHeader=\(ClusterProxy.proxiedHeader): fetch",
                "--git-dir", repo, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-auto-gc", url,
            ] + oids, environment: environment)
    }

    /// The shared git runner (`DehubReplication`) as the node runs it: the host's git settings only, hooks off.
    static let tool = GitTool(environment: [
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.hooksPath", "GIT_CONFIG_VALUE_0": "/dev/null",
    ])

    /// Applies verified moves (nil: absent) as one ref transaction with their old values. False, with nothing moved,
    /// when a ref is not at its old value any more (or git cannot move them).
    static func apply(_ changes: [RefChange], in repo: String) async throws -> Bool {
        var moves: [VerifiedRefsPublisher.Move] = []
        for change in changes {
            guard let old = ReplicaVerdict.objectID(change.old), let new = ReplicaVerdict.objectID(change.new) else {
                return false
            }
            moves.append(.init(ref: change.ref, old: old.isZero ? nil : old, new: new.isZero ? nil : new))
        }
        do {
            try await VerifiedRefsPublisher.apply(moves, in: repo, git: tool)
            return true
        } catch is ReplicationError {
            return false
        }
    }
}
