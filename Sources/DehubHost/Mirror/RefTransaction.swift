import Subprocess

/// Moves several refs of a repository at once, each from the value it was seen at: `git update-ref --stdin` with
/// `start`, `prepare` and `commit`, so that either every ref moves or none does, and a ref that changed since it was
/// read (another writer) fails the whole transaction instead of being overwritten.
public struct RefTransaction: Sendable, Equatable {
    public struct Update: Sendable, Equatable {
        public var ref: String
        /// nil: the ref must not exist.
        public var old: String?
        /// nil: delete it.
        public var new: String?

        public init(ref: String, old: String?, new: String?) {
            self.ref = ref
            self.old = old
            self.new = new
        }
    }

    public var updates: [Update]

    public init(_ updates: [Update]) { self.updates = updates }

    static let zero = String(repeating: "0", count: 40)

    /// The `--stdin` script (pure).
    public var script: String {
        var lines = ["start"]
        for update in updates {
            switch update.new {
            case .some(let new): lines.append("update \(update.ref) \(new) \(update.old ?? Self.zero)")
            case .none: lines.append("delete \(update.ref) \(update.old ?? Self.zero)")
            }
        }
        lines += ["prepare", "commit"]
        return lines.map { $0 + "\n" }.joined()
    }

    /// Runs it in `repoPath`; throws with git's message when any ref was not at its old value.
    public func commit(in repoPath: String) async throws {
        guard !updates.isEmpty else { return }
        guard updates.allSatisfy({ $0.ref.hasPrefix("refs/") && !$0.ref.contains(" ") && !$0.ref.contains("\n") }) else {
            throw HostError(.internal, "a ref transaction names an invalid ref")
        }
        let result = try await Subprocess.run(
            .name("git"), arguments: ["--git-dir", repoPath, "update-ref", "--stdin"],
            environment: GitCommand.environment(), input: .string(script), output: .string(limit: 64 * 1024),
            error: .string(limit: 64 * 1024))
        guard case .exited(0) = result.terminationStatus else {
            throw HostError(.io, "the ref transaction in \(repoPath) failed: \(result.standardError.trimmingLines())")
        }
    }
}
