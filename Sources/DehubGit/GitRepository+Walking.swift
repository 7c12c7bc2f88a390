import CGit2
import DehubCore

extension GitRepository {
    /// The commits reachable from `tip` but from none of `excluding`, oldest first (parents before children).
    public func commits(from tip: ObjectID, excluding: [ObjectID]) throws -> [ObjectID] {
        try walk(from: tip) { walker in
            for excluded in excluding {
                var oid = excluded.gitOID
                try check(git_revwalk_hide(walker, &oid), "cannot exclude \(excluded) from the walk")
            }
        }
    }

    /// The commits reachable from `tip` and from no reference (nor HEAD), oldest first: the commits a push
    /// brings, as `git rev-list tip --not --all` lists them. In a pre-receive hook the references have not
    /// moved yet, so this is exactly what the push adds.
    public func commitsNotReachableFromAnyRef(_ tip: ObjectID) throws -> [ObjectID] {
        try walk(from: tip) { walker in
            try check(git_revwalk_hide_glob(walker, "refs/*"), "cannot exclude the existing references")
            // `--all` includes HEAD (a detached HEAD reaches commits no reference does). An unborn or odd HEAD
            // hides nothing, which can only make the walk longer.
            if let head = try? headCommit() {
                var oid = head.gitOID
                try check(git_revwalk_hide(walker, &oid), "cannot exclude HEAD")
            }
        }
    }

    /// The ancestors of `tip` (itself included) that have no parent, oldest first.
    public func rootCommits(of tip: ObjectID) throws -> [ObjectID] {
        var roots: [ObjectID] = []
        for id in try walk(from: tip, prepare: { _ in }) where try commitHeaders(id).parents.isEmpty {
            roots.append(id)
        }
        return roots
    }

    /// A topological walk from `tip`, reversed (oldest first), after `prepare` has hidden what it wants.
    private func walk(from tip: ObjectID, prepare: (OpaquePointer) throws -> Void) throws -> [ObjectID] {
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, handle), "cannot start a history walk")
        guard let walker else { throw GitError("cannot start a history walk") }
        defer { git_revwalk_free(walker) }
        try check(
            git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue),
            "cannot sort the history walk")
        var start = tip.gitOID
        try check(git_revwalk_push(walker, &start), "cannot walk from \(tip)")
        try prepare(walker)
        var result: [ObjectID] = []
        var current = git_oid()
        while true {
            let code = git_revwalk_next(&current, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot walk the history of \(tip)")
            result.append(ObjectID(current))
        }
        return result
    }
}
