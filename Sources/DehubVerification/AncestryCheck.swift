import DehubCore
import DehubGit

/// Format §10 rule 5: every verified commit descends from the root commit of `main`; a branch with another root is refused.
public enum AncestryCheck {
    /// Nil when `tip` (nil: nothing to check) shares the root commits of `repo`'s main, or main does not exist.
    public static func rejection(for tip: ObjectID?, branch: String, in repo: GitRepository) throws -> Rejection? {
        guard let tip, let main = try repo.reference("refs/heads/main") else { return nil }
        guard try !RootAncestry.sharesRoots(tip, with: main, in: repo) else { return nil }
        return Rejection(
            .ancestry, "branch '\(branch)' does not descend from the root commit of main",
            hint: "start thread branches from main (git switch -c NAME main)")
    }
}
