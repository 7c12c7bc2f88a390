import CGit2
import DehubCore

/// A copy that would write more objects than it was allowed: a large transfer is better packed by git.
public struct TooManyObjectsToCopy: Error, Sendable {
    public let limit: Int
}

extension GitRepository {
    /// Copies into `target` (loose) every object that the commits `tips` reach here and `target` lacks, stopping at
    /// commits and trees `target` already has (a connected repository has everything they reach). Gitlinks are not
    /// followed. Throws `TooManyObjectsToCopy` past `maxObjects` (what was written stays: objects the tips reach).
    /// Returns the number of objects written.
    @discardableResult
    public func copyObjects(reachableFrom tips: [ObjectID], into target: GitRepository, maxObjects: Int) throws -> Int {
        var written = 0
        var commits = tips
        var trees: [ObjectID] = []
        var seen = Set<ObjectID>()
        func copy(_ id: ObjectID) throws -> Bool {
            guard seen.insert(id).inserted, try !target.hasObject(id) else { return false }
            guard written < maxObjects else { throw TooManyObjectsToCopy(limit: maxObjects) }
            try copyRaw(id, into: target)
            written += 1
            return true
        }
        while let commit = commits.popLast() {
            guard try copy(commit) else { continue }
            let raw = try rawCommit(commit)
            commits += raw.parents
            trees.append(raw.tree)
        }
        while let tree = trees.popLast() {
            guard try copy(tree) else { continue }
            for (id, type) in try treeEntries(tree) {
                if type == GIT_OBJECT_TREE {
                    trees.append(id)
                } else if type == GIT_OBJECT_BLOB {
                    _ = try copy(id)
                }
            }
        }
        return written
    }

    private func copyRaw(_ id: ObjectID, into target: GitRepository) throws {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "cannot read object \(id)")
        defer { git_odb_object_free(object) }
        var out = git_oid()
        try check(
            git_odb_write(
                &out, target.odb, git_odb_object_data(object), git_odb_object_size(object), git_odb_object_type(object)),
            "cannot write object \(id)")
        guard ObjectID(out) == id else { throw GitError("object \(id) was written as \(ObjectID(out))") }
    }

    private func treeEntries(_ id: ObjectID) throws -> [(ObjectID, git_object_t)] {
        var oid = id.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &oid), "cannot read tree \(id)")
        defer { git_tree_free(tree) }
        return (0..<git_tree_entrycount(tree)).compactMap { index in
            guard let entry = git_tree_entry_byindex(tree, index), let entryID = git_tree_entry_id(entry) else {
                return nil
            }
            return (ObjectID(entryID.pointee), git_tree_entry_type(entry))
        }
    }
}
