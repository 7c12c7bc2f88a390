import CGit2
import DehubCore

extension GitRepository {
    /// Resolves any `git rev-parse` expression (`HEAD~2`, `main`, a short id, `v1.0^{}`...) to a commit.
    public func resolve(_ revision: String) throws -> ObjectID {
        let revision = try cSafe(revision, "revision")
        var object: OpaquePointer?
        let code = git_revparse_single(&object, handle, revision)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue {
            throw GitError.libgit2(code, "unknown revision '\(revision)'")
        }
        try check(code, "cannot resolve revision '\(revision)'")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        if peeled < 0 {
            let type = String(cString: git_object_type2string(git_object_type(object)))
            throw GitError.libgit2(peeled, "revision '\(revision)' names a \(type), not a commit")
        }
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit))
    }

    /// The short name of the branch HEAD points at (also when that branch has no commit yet);
    /// nil when HEAD is detached.
    public func currentBranch() throws -> String? {
        var head: OpaquePointer?
        try check(git_reference_lookup(&head, handle, "HEAD"), "cannot read HEAD")
        defer { git_reference_free(head) }
        guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(head) else {
            return nil
        }
        let name = String(cString: target)
        let prefix = "refs/heads/"
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    /// The commit HEAD points at; nil when its branch has no commit yet.
    public func headCommit() throws -> ObjectID? {
        var head: OpaquePointer?
        let code = git_repository_head(&head, handle)
        if code == GIT_EUNBORNBRANCH.rawValue || code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try check(code, "cannot read HEAD")
        defer { git_reference_free(head) }
        return try peeledCommit(of: head, name: "HEAD")
    }

    /// The commit a full reference name (`refs/heads/main`) points at; nil when there is no such reference.
    public func reference(_ name: String) throws -> ObjectID? {
        let name = try cSafe(name, "reference name")
        var reference: OpaquePointer?
        let code = git_reference_lookup(&reference, handle, name)
        if code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try check(code, "cannot read reference '\(name)'")
        defer { git_reference_free(reference) }
        return try peeledCommit(of: reference, name: name)
    }

    /// The object a full reference name points at, symbolic references followed but nothing peeled (what git's
    /// compare-and-swap compares); nil when there is no such reference.
    public func referenceTarget(_ name: String) throws -> ObjectID? {
        let name = try cSafe(name, "reference name")
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, handle, name)
        if code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try check(code, "cannot read reference '\(name)'")
        return ObjectID(oid)
    }

    /// Every reference under `refs/`, sorted by name, each with the commit it points at (or, for a
    /// reference to some other object that does not peel to a commit, that object's id).
    /// Symbolic references are followed; dangling ones are left out.
    public func references() throws -> [(name: String, id: ObjectID)] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_new(&iterator, handle), "cannot list references")
        defer { git_reference_iterator_free(iterator) }
        var result: [(name: String, id: ObjectID)] = []
        while true {
            var reference: OpaquePointer?
            let code = git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot list references")
            defer { git_reference_free(reference) }
            let name = String(cString: git_reference_name(reference))
            if let id = try peeledTarget(of: reference) { result.append((name: name, id: id)) }
        }
        result.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        return result
    }

    /// Follows symbolic references and peels tags down to a commit; throws when the target is not a commit.
    private func peeledCommit(of reference: OpaquePointer?, name: String) throws -> ObjectID {
        var object: OpaquePointer?
        try check(git_reference_peel(&object, reference, GIT_OBJECT_COMMIT), "'\(name)' does not point at a commit")
        defer { git_object_free(object) }
        return ObjectID(git_object_id(object))
    }

    /// The commit behind a reference, else the object it points at; nil when it is dangling.
    private func peeledTarget(of reference: OpaquePointer?) throws -> ObjectID? {
        var resolved: OpaquePointer?
        if git_reference_resolve(&resolved, reference) < 0 {
            git_error_clear()
            return nil
        }
        defer { git_reference_free(resolved) }
        var object: OpaquePointer?
        if git_reference_peel(&object, resolved, GIT_OBJECT_COMMIT) == 0 {
            defer { git_object_free(object) }
            return ObjectID(git_object_id(object))
        }
        git_error_clear()
        guard let target = git_reference_target(resolved) else { return nil }
        return ObjectID(target)
    }
}
