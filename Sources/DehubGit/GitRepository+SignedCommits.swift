import CGit2
import DehubCore

/// Writing objects directly (blobs, trees, git-signed commits) without an index or work tree.
/// Used by the benchmark generator to build long signed histories in-process.
extension GitRepository {
    /// One entry of a tree to write: a name (no `/`), the object it points at, and its git mode.
    public struct TreeEntry: Sendable {
        public var name: String
        public var id: ObjectID
        public var mode: UInt32

        public static let blobMode: UInt32 = 0o100644
        public static let treeMode: UInt32 = 0o040000

        public init(name: String, id: ObjectID, mode: UInt32) {
            self.name = name
            self.id = id
            self.mode = mode
        }
    }

    /// Who made a commit and when (seconds since the epoch, UTC offset in minutes).
    public struct Signature: Sendable {
        public var name: String
        public var email: String
        public var seconds: Int64
        public var offsetMinutes: Int32

        public init(name: String, email: String, seconds: Int64, offsetMinutes: Int32 = 0) {
            self.name = name
            self.email = email
            self.seconds = seconds
            self.offsetMinutes = offsetMinutes
        }
    }

    /// Stores `bytes` as a blob and returns its id.
    public func writeBlob(_ bytes: [UInt8]) throws -> ObjectID {
        var oid = git_oid()
        let code = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, handle, $0.baseAddress, $0.count) }
        try check(code, "cannot write a blob")
        return ObjectID(oid)
    }

    /// Stores a tree holding the entries of `base` (none when nil) with `entries` added or replaced, and
    /// returns its id. Starting from a base keeps libgit2's checks to the entries that change.
    public func writeTree(_ entries: [TreeEntry], basedOn base: ObjectID? = nil) throws -> ObjectID {
        var baseHandle: OpaquePointer?
        if let base { baseHandle = try trees.tree(base, in: handle) }
        defer { if let baseHandle { git_tree_free(baseHandle) } }
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, handle, baseHandle), "cannot start a tree")
        defer { git_treebuilder_free(builder) }
        for entry in entries {
            var oid = entry.id.gitOID
            let name = try cSafe(entry.name, "tree entry name")
            try check(
                git_treebuilder_insert(nil, builder, name, &oid, git_filemode_t(entry.mode)),
                "cannot add '\(name)' to a tree")
        }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "cannot write a tree")
        return ObjectID(oid)
    }

    /// The bytes of the commit object that `git commit` would make (what a `gpgsig` signature covers),
    /// without storing it.
    public func commitContent(
        tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
    ) throws -> String {
        let message = try cSafe(message, "the commit message")
        let authorHandle = try makeSignature(author)
        defer { git_signature_free(authorHandle) }
        let committerHandle = try makeSignature(committer)
        defer { git_signature_free(committerHandle) }
        let treeHandle = try trees.tree(tree, in: handle)
        defer { git_tree_free(treeHandle) }
        var parentHandles = try parentCommitHandles(parents)
        defer { for parent in parentHandles { git_commit_free(parent) } }
        var buffer = git_buf()
        let code = parentHandles.withUnsafeMutableBufferPointer { parents in
            git_commit_create_buffer(
                &buffer, handle, authorHandle, committerHandle, nil, message, treeHandle, parents.count, parents.baseAddress)
        }
        if code < 0 { git_buf_dispose(&buffer) }
        try check(code, "cannot prepare a commit")
        return takeString(&buffer)
    }

    /// Stores `content` (from `commitContent`) with `signature` (an armoured signature, such as
    /// `-----BEGIN SSH SIGNATURE-----…`) in its `gpgsig` header, as `git commit -S` does; returns its id.
    public func writeSignedCommit(content: String, signature: String) throws -> ObjectID {
        let content = try cSafe(content, "the commit")
        var signature = try cSafe(signature, "the signature")
        // libgit2 indents every line break and then adds one, so a final newline would leave an empty line.
        while signature.hasSuffix("\n") { signature.removeLast() }
        var oid = git_oid()
        try check(git_commit_create_with_signature(&oid, handle, content, signature, "gpgsig"), "cannot write a signed commit")
        return ObjectID(oid)
    }

    /// Sets a string in the repository's own configuration (`.git/config`).
    public func setLocalConfigValue(_ key: String, _ value: String) throws {
        let key = try cSafe(key, "config key")
        let value = try cSafe(value, "config value")
        var all: OpaquePointer?
        try check(git_repository_config(&all, handle), "cannot open the repository's config")
        defer { git_config_free(all) }
        var local: OpaquePointer?
        try check(git_config_open_level(&local, all, GIT_CONFIG_LEVEL_LOCAL), "cannot open the repository's own config")
        defer { git_config_free(local) }
        try check(git_config_set_string(local, key, value), "cannot set \(key)")
    }

    private func makeSignature(_ who: Signature) throws -> UnsafeMutablePointer<git_signature> {
        let name = try cSafe(who.name, "the name")
        let email = try cSafe(who.email, "the email")
        var signature: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(&signature, name, email, git_time_t(who.seconds), who.offsetMinutes),
            "invalid identity '\(name) <\(email)>'")
        guard let signature else { throw GitError("invalid identity '\(name) <\(email)>'") }
        return signature
    }
}
