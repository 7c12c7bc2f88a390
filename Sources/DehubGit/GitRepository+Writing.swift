import CGit2
import DehubCore

extension GitRepository {
    /// Writes the index (the staged state, re-read from disk) as a tree and returns its id.
    public func indexTree() throws -> ObjectID {
        let index = try openIndex()
        defer { git_index_free(index) }
        var oid = git_oid()
        try check(git_index_write_tree(&oid, index), "cannot write the index as a tree")
        return ObjectID(oid)
    }

    /// Creates a commit object (no reference moves). Author and committer come from GIT_AUTHOR_* /
    /// GIT_COMMITTER_* (NAME, EMAIL, DATE) when set, else from `user.name` / `user.email`.
    /// The message is stored exactly as given.
    public func createCommit(tree: ObjectID, parents: [ObjectID], message: String) throws -> ObjectID {
        try createCommit(tree: tree, parents: parents, message: message, environment: ProcessEnvironment.current())
    }

    /// `createCommit` with an explicit environment instead of the process's.
    public func createCommit(
        tree: ObjectID, parents: [ObjectID], message: String, environment: [String: String]
    ) throws -> ObjectID {
        let message = try cSafe(message, "the commit message")
        let lookup: (String) -> String? = { [self] in configValue($0) }
        let author = try signature(CommitIdentity.resolve(.author, environment: environment, config: lookup))
        defer { git_signature_free(author) }
        let committer = try signature(CommitIdentity.resolve(.committer, environment: environment, config: lookup))
        defer { git_signature_free(committer) }

        let treeHandle = try trees.tree(tree, in: handle)
        defer { git_tree_free(treeHandle) }
        var parentHandles = try parentCommitHandles(parents)
        defer { for parent in parentHandles { git_commit_free(parent) } }

        var oid = git_oid()
        let code = parentHandles.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(&oid, handle, nil, author, committer, nil, message, treeHandle, buffer.count, buffer.baseAddress)
        }
        try check(code, "cannot create a commit")
        return ObjectID(oid)
    }

    /// Moves `name` to `id` only if it currently points at `old` (nil: only if it does not exist yet),
    /// recording `message` in the reflog.
    /// `name` must be a full name under `refs/` (updating HEAD this way would detach it).
    public func updateReference(_ name: String, to id: ObjectID, expecting old: ObjectID?, message: String) throws {
        let name = try fullReferenceName(name)
        let message = try cSafe(message, "reflog message")
        var target = id.gitOID
        var reference: OpaquePointer?
        let code: Int32
        if let old {
            var current = old.gitOID
            code = git_reference_create_matching(&reference, handle, name, &target, 1, &current, message)
        } else {
            code = git_reference_create(&reference, handle, name, &target, 0, message)
        }
        defer { git_reference_free(reference) }
        if code == GIT_EMODIFIED.rawValue || (old != nil && code == GIT_ENOTFOUND.rawValue) {
            throw GitError.libgit2(code, "'\(name)' is no longer at \(old?.hex ?? "nothing"); not updated")
        }
        if code == GIT_EEXISTS.rawValue {
            throw GitError.libgit2(code, "'\(name)' already exists; not updated")
        }
        try check(code, "cannot update '\(name)' to \(id)")
    }

    /// Moves (or creates) `name` to `id` whatever it points at now.
    public func forceUpdateReference(_ name: String, to id: ObjectID, message: String) throws {
        let name = try fullReferenceName(name)
        let message = try cSafe(message, "reflog message")
        var target = id.gitOID
        var reference: OpaquePointer?
        try check(git_reference_create(&reference, handle, name, &target, 1, message), "cannot update '\(name)' to \(id)")
        git_reference_free(reference)
    }

    /// Makes the index and the work tree match HEAD's commit. Without `force`, files changed in the work
    /// tree since they were staged are left alone and the checkout fails instead of overwriting them
    /// (the index is taken as the state being left). With `force`, local changes are overwritten.
    public func checkoutHead(force: Bool) throws {
        guard !isBare else { throw GitError("cannot check out in a bare repository") }
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "cannot prepare a checkout")
        var baseline: OpaquePointer?
        defer { if let baseline { git_tree_free(baseline) } }
        if force {
            options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        } else {
            options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
            baseline = try trees.tree(try indexTree(), in: handle)
            options.baseline = baseline
        }
        try check(git_checkout_head(handle, &options), "cannot check out HEAD")
    }

    /// A configuration value as git would read it for this repository (local, global, system); nil when unset.
    public func configValue(_ key: String) -> String? {
        guard !key.utf8.contains(0) else { return nil }
        var buffer = git_buf()
        guard git_config_get_string_buf(&buffer, config, key) == 0 else {
            git_buf_dispose(&buffer)
            git_error_clear()
            return nil
        }
        return takeString(&buffer)
    }

    private func fullReferenceName(_ name: String) throws -> String {
        guard name.hasPrefix("refs/") else { throw GitError("'\(name)' is not a full reference name (refs/...)") }
        return try cSafe(name, "reference name")
    }

    private func openIndex() throws -> OpaquePointer {
        var index: OpaquePointer?
        try check(git_repository_index(&index, handle), "cannot open the index")
        guard let index else { throw GitError("cannot open the index") }
        let code = git_index_read(index, 0)
        if code < 0 {
            git_index_free(index)
            try check(code, "cannot read the index")
        }
        return index
    }

    func signature(_ identity: CommitIdentity) throws -> UnsafeMutablePointer<git_signature> {
        let name = try cSafe(identity.name, "the name")
        let email = try cSafe(identity.email, "the email")
        var signature: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(&signature, name, email, git_time_t(identity.date.seconds), Int32(identity.date.offsetMinutes)),
            "invalid identity '\(name) <\(email)>'")
        guard let signature else { throw GitError("invalid identity '\(name) <\(email)>'") }
        return signature
    }

    /// The parent commits for libgit2's commit constructors; the caller frees them.
    func parentCommitHandles(_ parents: [ObjectID]) throws -> [OpaquePointer?] {
        var handles: [OpaquePointer?] = []
        do {
            for parent in parents {
                var oid = parent.gitOID
                var commit: OpaquePointer?
                try check(git_commit_lookup(&commit, handle, &oid), "cannot read parent commit \(parent)")
                handles.append(commit)
            }
        } catch {
            for commit in handles { git_commit_free(commit) }
            throw error
        }
        return handles
    }
}
