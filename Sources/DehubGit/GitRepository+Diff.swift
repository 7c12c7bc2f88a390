import CGit2
import DehubCore

extension GitRepository {
    /// The paths that differ between two trees (`nil` = the empty tree), sorted by path bytes.
    ///
    /// One entry per path: a blob that became a symlink (or a submodule) is one change; renames are a
    /// deletion plus an addition; a file replaced by a directory is a deletion plus additions under it.
    /// Submodule gitlinks appear with mode 0o160000. The missing side has mode 0 and the zero id.
    /// Throws on a malformed tree (unsorted, duplicate names, `/`, `.` or `..` as a name) that git would refuse.
    public func changedFiles(from oldTree: ObjectID?, to newTree: ObjectID) throws -> [FileChange] {
        let new = try trees.tree(newTree, in: handle)
        defer { git_tree_free(new) }
        var old: OpaquePointer?
        if let oldTree { old = try trees.tree(oldTree, in: handle) }
        defer { if let old { git_tree_free(old) } }

        var diff = TreeDiff(repository: handle, trees: trees)
        try diff.compare(old, new, prefix: [])
        var changes = diff.changes
        changes.sort { $0.path.lexicographicallyPrecedes($1.path) }
        return changes
    }
}
