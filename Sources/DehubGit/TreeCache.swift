import CGit2
import DehubCore

/// A small cache of looked-up `git_tree` handles, owned by one repository.
/// When full it is emptied at once: walks touch each tree a few times in a row, so recency is what counts,
/// and clearing keeps the bookkeeping to one dictionary.
final class TreeCache {
    private var entries: [ObjectID: OpaquePointer] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The tree `id`, looked up through `repository` when not cached. The caller owns the returned
    /// handle (a reference-counted duplicate of the cached one) and must `git_tree_free` it.
    func tree(_ id: ObjectID, in repository: OpaquePointer) throws -> OpaquePointer {
        let cached: OpaquePointer
        if let hit = entries[id] {
            cached = hit
        } else {
            var oid = id.gitOID
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, repository, &oid), "cannot read tree \(id)")
            guard let tree else { throw GitError("cannot read tree \(id)") }
            if entries.count >= capacity { removeAll() }
            entries[id] = tree
            cached = tree
        }
        var duplicate: OpaquePointer?
        try check(git_tree_dup(&duplicate, cached), "cannot read tree \(id)")
        guard let duplicate else { throw GitError("cannot read tree \(id)") }
        return duplicate
    }

    func removeAll() {
        for tree in entries.values { git_tree_free(tree) }
        entries.removeAll(keepingCapacity: true)
    }
}
