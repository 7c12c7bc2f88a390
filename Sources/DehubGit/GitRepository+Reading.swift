import CGit2
import DehubCore

extension GitRepository: RepositoryReading {
    /// The commit's parents, tree and exact raw message, parsed strictly from the raw object. Fails on a
    /// message with a NUL byte: libgit2 and git's own tools would show a truncated message, so what a reviewer
    /// sees could differ from what the commit holds.
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        let raw = try rawCommit(id)
        let valid = String(validating: raw.message, as: UTF8.self)
        var info = CommitInfo(
            id: id, parents: raw.parents, tree: raw.tree, message: valid ?? String(decoding: raw.message, as: UTF8.self))
        info.messageIsValidUTF8 = valid != nil
        return info
    }

    /// The files that differ from the first parent (the empty tree for a root commit).
    public func changedFiles(of commit: CommitInfo) throws -> [FileChange] {
        guard let parent = commit.parents.first else { return try changedFiles(from: nil, to: commit.tree) }
        return try changedFiles(from: try treeID(ofCommit: parent), to: commit.tree)
    }

    /// The files that differ from `parentTree`, the first parent's tree (nil: the empty tree, for a root commit).
    public func changedFiles(of commit: CommitInfo, parentTree: ObjectID?) throws -> [FileChange] {
        try changedFiles(from: parentTree, to: commit.tree)
    }

    /// The id of the entry at `path` (a tree, a blob, or for a submodule the gitlink's commit id);
    /// nil when nothing is there.
    public func entryID(at path: String, inTree tree: ObjectID) throws -> ObjectID? {
        try withEntry(at: path, inTree: tree) { entry in ObjectID(git_tree_entry_id(entry)) }
    }

    /// The bytes of the blob at `path`; nil when there is no blob there (absent, a tree, or a submodule).
    /// Throws when the blob is larger than `limit`, before reading its content.
    public func blob(at path: String, inTree tree: ObjectID, limit: Int) throws -> [UInt8]? {
        let found = try withEntry(at: path, inTree: tree) { entry -> ObjectID? in
            git_tree_entry_type(entry) == GIT_OBJECT_BLOB ? ObjectID(git_tree_entry_id(entry)) : nil
        }
        guard let blobID = found ?? nil else { return nil }
        return try blobContent(blobID, path: path, limit: limit)
    }

    /// True when `ancestor` is `descendant` or reachable from it.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var commit = descendant.gitOID
        var candidate = ancestor.gitOID
        let result = git_graph_descendant_of(handle, &commit, &candidate)
        try check(result, "cannot tell whether \(ancestor) is an ancestor of \(descendant)")
        return result == 1
    }
}

extension GitRepository {
    /// The tree id of a commit.
    func treeID(ofCommit id: ObjectID) throws -> ObjectID { try commitHeaders(id).tree }

    public func tree(ofCommit id: ObjectID) throws -> ObjectID { try treeID(ofCommit: id) }

    /// A commit object read from the object database and parsed strictly. Its size and type are read first (from
    /// the object's header): a commit larger than `maxCommitObjectBytes` is refused without being inflated.
    func rawCommit(_ id: ObjectID) throws -> RawCommit {
        try withRawCommit(id) { try RawCommit.parse($0) }
    }

    /// A commit's headers only (tree, parents), parsed with the same grammar as `rawCommit`, without copying its
    /// message.
    func commitHeaders(_ id: ObjectID) throws -> RawCommit.Headers {
        try withRawCommit(id) { try RawCommit.Headers.parse($0) }
    }

    /// Runs `body` on the bytes of commit `id`, read after its header (type and size) is checked. A `GitError` from
    /// `body` says what is wrong with the commit; the commit's id is put in front of it.
    /// `checkingHeader: false` skips the header check, for a caller that bounds what it reads another way.
    func withRawCommit<T>(
        _ id: ObjectID, checkingHeader: Bool = true, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T {
        var oid = id.gitOID
        if checkingHeader { try checkCommitHeader(id) }
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "cannot read commit \(id)")
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_COMMIT else {
            let type = String(cString: git_object_type2string(git_odb_object_type(object)))
            throw GitError("object \(id) is a \(type), not a commit")
        }
        guard let data = git_odb_object_data(object) else { throw GitError("cannot read commit \(id)") }
        do {
            return try body(UnsafeRawBufferPointer(start: data, count: git_odb_object_size(object)))
        } catch let error as GitError {
            throw GitError("commit \(id) \(error.message)")
        }
    }

    /// Reads only the object's header: throws when it is not a commit or is larger than `maxCommitObjectBytes`.
    /// Returns its size.
    @discardableResult
    func checkCommitHeader(_ id: ObjectID) throws -> Int {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read commit \(id)")
        guard type == GIT_OBJECT_COMMIT else {
            throw GitError("object \(id) is a \(String(cString: git_object_type2string(type))), not a commit")
        }
        guard size <= maxCommitObjectBytes else { throw CommitTooLarge(commit: id, size: size, limit: maxCommitObjectBytes) }
        return size
    }

    /// Runs `body` on the tree entry at `path`; nil when there is no such entry.
    func withEntry<T>(at path: String, inTree tree: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T? {
        // Only plain relative paths name an entry: no empty, `.` or `..` component, no NUL.
        let components = path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
        guard !path.utf8.contains(0),
            components.allSatisfy({ !$0.isEmpty && !$0.elementsEqual([0x2E]) && !$0.elementsEqual([0x2E, 0x2E]) })
        else { return nil }
        let root = try trees.tree(tree, in: handle)
        defer { git_tree_free(root) }
        if components.count == 1 {
            // A name in the tree itself (`.dehub`, asked for every commit): the tree's own entry, nothing copied.
            guard let entry = git_tree_entry_byname(root, path) else { return nil }
            return try body(entry)
        }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, root, path)
        if code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try check(code, "cannot read '\(path)' in tree \(tree)")
        guard let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return try body(entry)
    }

    /// A blob's content, refusing (before inflating it) one larger than `limit`.
    func blobContent(_ id: ObjectID, path: String, limit: Int) throws -> [UInt8] {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read blob \(id) ('\(path)')")
        guard type == GIT_OBJECT_BLOB else { throw GitError("object \(id) at '\(path)' is not a blob") }
        guard size <= limit else {
            throw GitError("'\(path)' is \(size) bytes, more than the limit of \(limit) bytes")
        }
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, handle, &oid), "cannot read blob \(id) ('\(path)')")
        defer { git_blob_free(blob) }
        let length = Int(git_blob_rawsize(blob))
        guard length <= limit else {
            throw GitError("'\(path)' is \(length) bytes, more than the limit of \(limit) bytes")
        }
        guard length > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: length))
    }
}
