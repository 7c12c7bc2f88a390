import DehubCore
import DehubGit

/// Format §6: every verified commit descends from the root commit of `main`; a branch with another root is refused.
enum AncestryCheck {
    static func rejection(for tip: ObjectID?, branch: String, in repo: GitRepository) throws -> Rejection? {
        guard let tip, let main = try repo.reference("refs/heads/main") else { return nil }
        let mainRoots = Set(try repo.rootCommits(of: main))
        let roots = Set(try repo.rootCommits(of: tip))
        guard roots != mainRoots else { return nil }
        return Rejection(
            .ancestry, "branch '\(branch)' does not descend from the root commit of main",
            hint: "start thread branches from main (git switch -c NAME main)")
    }
}
