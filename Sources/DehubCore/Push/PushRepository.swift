/// What the push rules read of a repository, beyond single commits: refs, object presence, history walks, tree
/// diffs and tag objects. `DehubGit` implements it over libgit2 (through the hook's quarantine); tests use a fake.
public protocol PushRepository: RepositoryReading, TagReading {
    /// The object a full ref name points at, symbolic refs followed but nothing peeled (what git's compare-and-swap
    /// compares); nil when there is no such ref.
    func referenceTarget(_ ref: String) throws -> ObjectID?
    /// The commits reachable from `tip` and from none of `excluding`, oldest first (parents before children).
    func commits(from tip: ObjectID, excluding: [ObjectID]) throws -> [ObjectID]
    /// The ancestors of `tip` (itself included) that have no parent: the root commits of its history.
    func rootCommits(of tip: ObjectID) throws -> [ObjectID]
    /// The files that differ between two trees (`nil`: the empty tree), as `changedFiles(of:)` reports them.
    func changedFiles(from oldTree: ObjectID?, to newTree: ObjectID) throws -> [FileChange]
}

/// Format §10 rule 5: a branch must have exactly the root commits of main.
public enum RootAncestry {
    /// Whether `tip` has exactly `main`'s root commits. When one descends from the other the walk is skipped: the
    /// commits between them are verified commit by commit, and merges (the only way to bring in another root) are
    /// refused there.
    public static func sharesRoots(_ tip: ObjectID, with main: ObjectID, in repo: some PushRepository) throws -> Bool {
        if try repo.isAncestor(main, of: tip) || repo.isAncestor(tip, of: main) { return true }
        return try Set(repo.rootCommits(of: tip)) == Set(repo.rootCommits(of: main))
    }
}
