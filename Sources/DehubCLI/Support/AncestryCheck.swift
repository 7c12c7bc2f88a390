import DehubCore
import DehubGit

/// Format §10 rule 5: every verified commit descends from the root commit of `main`; a branch with another root is refused.
enum AncestryCheck {
    static func rejection(for tip: ObjectID?, branch: String, in repo: GitRepository) throws -> Rejection? {
        guard let tip, let main = try repo.reference("refs/heads/main") else { return nil }
        guard try !sharesRoots(tip, with: main, in: repo) else { return nil }
        return Rejection(
            .ancestry, "branch '\(branch)' does not descend from the root commit of main",
            hint: "start thread branches from main (git switch -c NAME main)")
    }

    /// Whether `tip` has exactly `main`'s root commits. When one descends from the other the walk is skipped: the
    /// commits between them are verified commit by commit, and merges (the only way to bring in another root) are
    /// refused there.
    static func sharesRoots(_ tip: ObjectID, with main: ObjectID, in repo: GitRepository) throws -> Bool {
        if try repo.isAncestor(main, of: tip) || repo.isAncestor(tip, of: main) { return true }
        return try Set(repo.rootCommits(of: tip)) == Set(repo.rootCommits(of: main))
    }
}
