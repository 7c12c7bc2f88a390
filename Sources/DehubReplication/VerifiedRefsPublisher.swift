import DehubCore
import DehubGit
import DehubVerification

/// Makes a served repository (a host's mirror) show a replica's verified state: the objects the verified tips reach
/// are copied from the cache, then every ref that differs moves in one `git update-ref --stdin` transaction whose
/// old values are the ones read before, so a concurrent writer makes it fail as a whole. main only moves forward.
public struct VerifiedRefsPublisher: Sendable {
    public let cache: ReplicaCache
    /// The served repository's git directory.
    public let target: String
    let git: GitTool

    /// One ref the publisher moved: old nil when created, new nil when removed.
    public struct Move: Sendable, Equatable {
        public var ref: String
        public var old: ObjectID?
        public var new: ObjectID?

        public init(ref: String, old: ObjectID?, new: ObjectID?) {
            self.ref = ref
            self.old = old
            self.new = new
        }
    }

    public init(cache: ReplicaCache, target: String, git: GitTool = GitTool()) {
        self.cache = cache
        self.target = target
        self.git = git
    }

    /// Publishes `state` (usually `SyncReport.state`); returns the refs moved. Branches of the target that the state
    /// does not hold are removed, never main. Throws `ReplicationError` when the target's main is not an ancestor of
    /// the verified main, or the transaction fails.
    @discardableResult
    public func publish(_ state: VerifiedState) async throws -> [Move] {
        let current = try await targetBranches()
        var moves: [Move] = []
        for (ref, tip) in state.tips.sorted(by: { Replicator.mainFirst($0.key, $1.key) }) where current[ref] != tip {
            moves.append(Move(ref: ref, old: current[ref], new: tip))
        }
        for (ref, old) in current.sorted(by: { $0.key < $1.key }) where state.tips[ref] == nil && ref != RefUpdate.mainRef {
            moves.append(Move(ref: ref, old: old, new: nil))
        }
        guard !moves.isEmpty else { return [] }
        if let move = moves.first(where: { $0.ref == RefUpdate.mainRef }), let old = move.old, let new = move.new {
            let repo = try cache.repository()
            guard (try? repo.isAncestor(old, of: new)) == true else {
                throw ReplicationError(
                    "the served main \(old.short) in \(target) is not an ancestor of the verified main \(new.short): main is never rewound",
                    status: .notVerifiable)
            }
        }
        try await cache.copyObjects(of: moves.compactMap(\.new), into: target)
        try await Self.apply(moves, in: target, git: git)
        return moves
    }

    /// Moves `moves` in the repository at `gitDir` as one `git update-ref --stdin` transaction whose old values are
    /// checked: a ref that moved meanwhile (or a missing object) makes the whole fail with `ReplicationError`, and
    /// nothing moves. The objects must be there already. (A cluster replica applies a verified update with it too.)
    public static func apply(_ moves: [Move], in gitDir: String, git: GitTool) async throws {
        guard !moves.isEmpty else { return }
        let zero = String(repeating: "0", count: 40)
        var script = "start\n"
        for move in moves {
            if let new = move.new {
                script += "update \(move.ref) \(new.hex) \(move.old?.hex ?? zero)\n"
            } else if let old = move.old {
                script += "delete \(move.ref) \(old.hex)\n"
            }
        }
        script += "prepare\ncommit\n"
        try await git.check(["update-ref", "--stdin"], gitDir: gitDir, input: Array(script.utf8))
    }

    private func targetBranches() async throws -> [String: ObjectID] {
        let text = try await git.check(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"], gitDir: target)
        var refs: [String: ObjectID] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, let id = ObjectID(hex: fields[0]) else { continue }
            refs[String(fields[1])] = id
        }
        return refs
    }
}
