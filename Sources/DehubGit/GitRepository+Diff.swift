import CGit2
import DehubCore

extension GitRepository {
    /// The paths that differ between two trees (`nil` = the empty tree), sorted by path bytes.
    ///
    /// One entry per path: a blob that became a symlink (or a submodule) is one change; renames are a
    /// deletion plus an addition; a file replaced by a directory is a deletion plus additions under it.
    /// Submodule gitlinks appear with mode 0o160000. The missing side has mode 0 and the zero id.
    public func changedFiles(from oldTree: ObjectID?, to newTree: ObjectID) throws -> [FileChange] {
        let new = try trees.tree(newTree, in: handle)
        defer { git_tree_free(new) }
        var old: OpaquePointer?
        if let oldTree { old = try trees.tree(oldTree, in: handle) }
        defer { if let old { git_tree_free(old) } }

        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "cannot prepare a diff")
        options.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue | GIT_DIFF_SKIP_BINARY_CHECK.rawValue
        options.ignore_submodules = GIT_SUBMODULE_IGNORE_NONE

        var diff: OpaquePointer?
        try check(
            git_diff_tree_to_tree(&diff, handle, old, new, &options),
            "cannot compare tree \(oldTree?.hex ?? "(empty)") with \(newTree)")
        defer { git_diff_free(diff) }

        let count = git_diff_num_deltas(diff)
        var changes: [FileChange] = []
        changes.reserveCapacity(count)
        for index in 0..<count {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else {
                throw GitError("cannot read change \(index) between \(oldTree?.hex ?? "(empty)") and \(newTree)")
            }
            changes.append(try FileChange(delta))
        }
        changes.sort { $0.path.lexicographicallyPrecedes($1.path) }
        return changes
    }
}

extension FileChange {
    /// One libgit2 delta as a change; the side that does not exist gets mode 0 and the zero id.
    init(_ delta: git_diff_delta) throws {
        let hasOld = delta.status != GIT_DELTA_ADDED
        let hasNew = delta.status != GIT_DELTA_DELETED
        guard let pathPointer = hasNew ? delta.new_file.path : delta.old_file.path else {
            throw GitError("a change without a path")
        }
        self.init(
            path: bytesOfCString(pathPointer),
            fromMode: hasOld ? UInt32(delta.old_file.mode) : 0,
            fromID: hasOld ? ObjectID(delta.old_file.id) : .zero,
            toMode: hasNew ? UInt32(delta.new_file.mode) : 0,
            toID: hasNew ? ObjectID(delta.new_file.id) : .zero)
    }
}
