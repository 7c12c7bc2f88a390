import DehubCore

extension GitRepository {
    /// The commits a push brings, found without reading any of them whole first: from each tip down through
    /// parents, stopping at commits that `before` (the repository as it was before the push, without git's
    /// quarantine) already holds. Each commit's header (type and size) is read before the commit itself, so an
    /// oversized commit is refused (`CommitTooLarge`) without being inflated; more than `maxCount` new commits is
    /// refused (`TooManyPushedCommits`) before any history walk. Returns how many new commits there are.
    ///
    /// Git checks that a push is complete before pre-receive runs, so the walk only meets objects that exist.
    public func scanPushedCommits(from tips: [ObjectID], before: GitRepository, maxCount: Int) throws -> Int {
        var seen = Set<ObjectID>()
        var pending = tips
        var count = 0
        while let id = pending.popLast() {
            // Without a refresh of `before`'s packs: a commit that arrived in it since it was opened (another push)
            // is then taken as new, which only makes the scan read more headers and count more commits.
            guard seen.insert(id).inserted, !before.hasObjectWithoutRefresh(id) else { continue }
            count += 1
            guard count <= maxCount else { throw TooManyPushedCommits(limit: maxCount) }
            pending += try commitHeaders(id).parents  // reads the header first: an oversized commit is never inflated
        }
        return count
    }
}

/// A push brings more new commits than the hook's limit.
public struct TooManyPushedCommits: Error, Equatable, Sendable {
    public var limit: Int
}
